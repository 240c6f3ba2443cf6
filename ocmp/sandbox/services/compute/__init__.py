"""Compute (``/20160918``): images, shapes and the App Catalog.

``models`` holds state and behaviour, ``responses`` the HTTP side, ``routes`` the table.
"""
