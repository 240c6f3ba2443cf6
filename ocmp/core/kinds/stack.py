"""The stack kind: a listing of a Terraform stack (package type ``STACK``).

Its folder is zipped and uploaded to Resource Manager; the artifact points at that stack
and at the image listings it launches. Its extra publish steps (the Resource Manager
stack, the ``--verify`` PLAN job) are rows of the step table marked ``stack``
(:mod:`ocmp.core.publish.steps`), implemented in :mod:`ocmp.core.publish.steps_stack`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocmp.core.kinds.base import ImportedPackage, KindSource, ListingKind, register
from ocmp.errors import CloudError, InputError
from ocmp.schemas.common import is_ocid

if TYPE_CHECKING:
    from ocmp.clients.publisher_types import Artifact


class StackKind(ListingKind):
    """A stack listing: its artifact points at a Resource Manager stack."""

    name = "stack"
    package_type = "STACK"
    artifact_field = "stack"
    template = "stack"
    uses_resource_manager = True

    def artifact_block(self, listing: Any) -> dict[str, Any]:
        """Nothing listing.yaml decides alone: the stack OCID and image listing OCIDs are
        known once the run has uploaded the stack and resolved the names."""
        return {}

    def source(self, listing: Any, root: Path) -> KindSource:
        """The Terraform folder and the image listings it launches."""
        stack = listing.package.stack
        return KindSource(root / stack.path, tuple(stack.image_listings))

    def known_identity(
        self, block: dict[str, Any], source: KindSource, digest: Callable[[], str]
    ) -> dict[str, Any] | None:
        """The zip's hash and the image listing OCIDs (names are resolved by the step)."""
        refs = list(source.image_listings)
        if not all(is_ocid(ref) for ref in refs):
            return None
        return self.identity(digest(), refs)

    @staticmethod
    def identity(zip_sha: str, image_listing_ids: list[str]) -> dict[str, Any]:
        """What names a stack artifact: its content, not the stack OCID (a plan lacks it)."""
        return {"zip": zip_sha, "imageListingIds": image_listing_ids}

    def read_artifact(
        self, artifact: Artifact, download: Callable[[str], bytes]
    ) -> ImportedPackage:
        """``package.stack`` and the ``terraform/`` files from the live stack's zip."""
        from ocmp.core.stack_files import read_zip_bytes

        source = artifact.stack
        if source is None or not source.source_stack_id:
            raise CloudError(f"artifact {artifact.id} names no Resource Manager stack to import")
        # The same guards as a zip on disk: bounded entries, sizes and ratio, no unsafe names.
        unpacked = read_zip_bytes(download(source.source_stack_id), Path("terraform"))
        fatal = [p for p in unpacked.problems if p.rule in ("STK001", "STK011")]
        if fatal:
            raise InputError(
                f"the live stack's Terraform zip cannot be imported: {fatal[0].message}"
                + (f" (and {len(fatal) - 1} more problems)" if len(fatal) > 1 else ""),
                hint="inspect the stack in Resource Manager; ocmp imports only a safe, bounded zip",
            )
        files = {f"terraform/{name}": data for name, data in unpacked.files.items()}
        section = {
            "path": "terraform/",
            "image_listings": list(source.image_listing_ids),
        }
        return ImportedPackage(self.name, section, files)


STACK = register(StackKind())
