"""What makes a listing kind a kind: one interface, one registry.

A kind (``image``, ``stack``) is named by ``kind:`` in listing.yaml. Everything that
differs between kinds — the package and artifact type the Publisher API knows it by, the
block of the artifact's body that describes it, what identifies its artifact, how
``ocmp import`` reads it back, the scaffold template — is said once, by its
:class:`ListingKind` module, and looked up by name in :mod:`~ocmp.core.kinds.registry`.
The publish steps a kind adds are rows of the one step table
(:mod:`ocmp.core.publish.steps`), marked with the kinds they apply to.

Adding a kind: a module beside :mod:`ocmp.core.kinds.image` with a :class:`ListingKind`
subclass registered with :func:`register` and imported by :mod:`ocmp.core.kinds.registry`,
its schema model in :mod:`ocmp.schemas.listing`, and its template folder in
``ocmp/templates/``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from ocmp.clients.publisher_types import Artifact


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
        self, artifact: Artifact, download: Callable[[str], bytes]
    ) -> ImportedPackage:
        """``ocmp import``: the package.<kind> section (and files) of a live artifact.

        ``download`` fetches a Resource Manager stack's zip by its OCID.
        """


# Every registered kind by name; filled as kind modules are imported (see registry.py).
KINDS: dict[str, ListingKind] = {}


def register(kind: ListingKind) -> ListingKind:
    """Make ``kind`` known by its name and its package type."""
    for other in KINDS.values():
        if other.package_type == kind.package_type and other.name != kind.name:
            raise ValueError(f"package type {kind.package_type} is already kind {other.name}")
    KINDS[kind.name] = kind
    return kind
