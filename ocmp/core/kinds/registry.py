"""The kind registry: every listing kind by its name and by its package type.

Importing this module imports the built-in kinds, which register themselves
(:func:`~ocmp.core.kinds.base.register`); a new kind's module is imported here too.
"""

from __future__ import annotations

from ocmp.core.kinds import image, stack
from ocmp.core.kinds.base import KINDS, ListingKind
from ocmp.errors import CloudError, InputError

BUILT_IN = (image.IMAGE, stack.STACK)


def unregister(name: str) -> None:
    """Forget a kind (tests register throwaway kinds)."""
    KINDS.pop(name, None)


def names() -> tuple[str, ...]:
    """The registered kinds, in registration order."""
    return tuple(KINDS)


def kind_of(name: str) -> ListingKind:
    """The kind ``name`` (listing.yaml ``kind:``); an unknown name is an error, never a default."""
    try:
        return KINDS[name]
    except KeyError:
        raise InputError(
            f"unknown listing kind {name!r}",
            file="listing.yaml",
            path="kind",
            hint=f"kind is one of: {', '.join(KINDS)}",
        ) from None


def kind_of_package(package_type: str | None) -> ListingKind:
    """The kind whose listings and artifacts the API marks ``package_type``."""
    for kind in KINDS.values():
        if kind.package_type == package_type:
            return kind
    raise CloudError(
        f"the live artifact is of type {package_type!r}, which ocmp does not know",
        hint=f"ocmp handles these package types: "
        f"{', '.join(k.package_type for k in KINDS.values())}",
    )
