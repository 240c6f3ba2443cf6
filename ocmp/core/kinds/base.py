"""What makes a listing kind a kind: one interface, one registry.

A kind (``image``, ``stack``) is named by ``kind:`` in listing.yaml. Everything that
differs between kinds — the package and artifact type the Publisher API knows it by, the
block of the artifact's body that describes it, what identifies its artifact, how
``ocmp import`` reads it back, the scaffold template — is said once, by its
:class:`ListingKind` module, and looked up here by name. The publish steps a kind adds are
rows of the one step table (:mod:`ocmp.core.publish.steps`), marked with the kinds they
apply to.

Adding a kind: a module beside :mod:`ocmp.core.kinds.image` with a :class:`ListingKind`
subclass registered with :func:`register`, its schema model in
:mod:`ocmp.schemas.listing`, and its template folder in ``ocmp/templates/``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from ocmp.errors import InputError


@dataclass(frozen=True)
class KindSource:
    """What the kind's publish steps read beyond the artifact block (a stack: its folder)."""

    path: Path | None = None  # the folder that is zipped and uploaded (a stack's Terraform)
    image_listings: tuple[str, ...] = ()  # the image listings a stack launches


@dataclass
class ImportedPackage:
    """What ``ocmp import`` read back of a package's artifact."""

    kind: str
    section: dict[str, Any]  # the listing.yaml package.<kind> section
    files: dict[str, bytes] = field(default_factory=dict)  # project files it brings along


class ListingKind(ABC):
    """One kind of listing, as the Publisher API and ocmp's publish engine see it."""

    name: ClassVar[str]  # listing.yaml ``kind:``
    package_type: ClassVar[str]  # the listing's packageType and its artifacts' artifactType
    artifact_field: ClassVar[str]  # the artifact body's key of its type-specific block
    template: ClassVar[str]  # the folder of ocmp/templates/ ``ocmp init`` lays down
    # Whether its steps talk to Resource Manager (the run builds that client only then).
    uses_resource_manager: ClassVar[bool] = False

    @abstractmethod
    def artifact_block(self, listing: Any) -> dict[str, Any]:
        """The artifact's type-specific block that listing.yaml decides (its wire form).

        What only the run knows (a stack's Resource Manager stack OCID) is added by the
        kind's steps.
        """

    def source(self, listing: Any, root: Path) -> KindSource:
        """What the kind's steps read besides the artifact block (nothing by default)."""
        return KindSource()

    def known_identity(
        self, block: dict[str, Any], source: KindSource, digest: Callable[[], str]
    ) -> dict[str, Any] | None:
        """What names the artifact's content, when known before any request (else None).

        The artifact's display name carries its hash, so a run finds it again by name.
        ``digest`` gives the hash of the kind's uploaded source (a stack: its zip).
        """
        return block

    @abstractmethod
    def read_artifact(
        self, block: dict[str, Any], download: Callable[[str], bytes]
    ) -> ImportedPackage:
        """``ocmp import``: the package.<kind> section (and files) of a live artifact block.

        ``download`` fetches a Resource Manager stack's zip by its OCID.
        """


_KINDS: dict[str, ListingKind] = {}


def register(kind: ListingKind) -> ListingKind:
    """Make ``kind`` known by its name and its package type."""
    for other in _KINDS.values():
        if other.package_type == kind.package_type and other.name != kind.name:
            raise ValueError(f"package type {kind.package_type} is already kind {other.name}")
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Forget a kind (tests register throwaway kinds)."""
    _KINDS.pop(name, None)


def names() -> tuple[str, ...]:
    """The registered kinds, in registration order."""
    _load()
    return tuple(_KINDS)


def kind_of(name: str) -> ListingKind:
    """The kind ``name`` (listing.yaml ``kind:``); an unknown name is an error, never a default."""
    _load()
    try:
        return _KINDS[name]
    except KeyError:
        raise InputError(
            f"unknown listing kind {name!r}",
            file="listing.yaml",
            path="kind",
            hint=f"kind is one of: {', '.join(_KINDS)}",
        ) from None


def kind_of_package(package_type: str | None) -> ListingKind:
    """The kind whose listings and artifacts the API marks ``package_type``."""
    _load()
    for kind in _KINDS.values():
        if kind.package_type == package_type:
            return kind
    from ocmp.errors import CloudError

    raise CloudError(
        f"the live artifact is of type {package_type!r}, which ocmp does not know",
        hint=f"ocmp handles these package types: "
        f"{', '.join(k.package_type for k in _KINDS.values())}",
    )


def _load() -> None:
    # The built-in kinds register themselves when their modules are imported.
    if "image" not in _KINDS or "stack" not in _KINDS:
        from ocmp.core.kinds import image, stack  # noqa: F401
