"""Listing kinds: one module per kind behind :class:`~ocmp.core.kinds.base.ListingKind`."""

from ocmp.core.kinds.base import ImportedPackage, KindSource, ListingKind, register
from ocmp.core.kinds.registry import kind_of, kind_of_package, names, unregister

__all__ = [
    "ImportedPackage",
    "KindSource",
    "ListingKind",
    "kind_of",
    "kind_of_package",
    "names",
    "register",
    "unregister",
]
