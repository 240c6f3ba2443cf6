"""Pydantic models of listing.yaml: the single source of truth for its shape."""
