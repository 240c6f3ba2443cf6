"""Marketplace Publisher (``/20241201``): one module per resource family (state and its
HTTP handlers), the operations listed in ``routes``."""
