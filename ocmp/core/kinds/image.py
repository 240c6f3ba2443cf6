"""The image kind: a listing of one custom compute image (package type ``MACHINE_IMAGE``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ocmp.core.kinds.base import ImportedPackage, ListingKind, register
from ocmp.errors import CloudError

if TYPE_CHECKING:
    from ocmp.clients.publisher_types import Artifact


class ImageKind(ListingKind):
    """An image listing: its artifact points at a custom image and the shapes it runs on."""

    name = "image"
    package_type = "MACHINE_IMAGE"
    artifact_field = "machineImage"
    template = "image"

    def artifact_block(self, listing: Any) -> dict[str, Any]:
        """``CreateMachineImageArtifactDetails.machineImage`` from ``package.image``."""
        image = listing.package.image
        entries = []
        for s in image.shapes:
            entry: dict[str, Any] = {"shape": s.shape}
            if s.ocpus:
                entry["ocpuConstraints"] = {"min": s.ocpus.min, "max": s.ocpus.max}
            if s.memory_gbs:
                entry["memoryConstraints"] = {
                    "minInGBs": s.memory_gbs.min,
                    "maxInGBs": s.memory_gbs.max,
                }
            entries.append(entry)
        return {
            "sourceImageId": image.source_image,
            "username": image.username,
            "isSnapshotAllowed": image.snapshot_allowed,
            "imageShapeCompatibilityEntries": entries,
        }

    def read_artifact(
        self, artifact: Artifact, download: Callable[[str], bytes]
    ) -> ImportedPackage:
        """``package.image`` back from the artifact's machine image."""
        image = artifact.machine_image
        if image is None:
            raise CloudError(f"artifact {artifact.id} has no machine image to import")
        shapes = []
        for entry in image.shapes:
            shape: dict[str, Any] = {"shape": entry.shape}
            if entry.ocpus:
                shape["ocpus"] = {"min": entry.ocpus[0], "max": entry.ocpus[1]}
            if entry.memory_gbs:
                shape["memory_gbs"] = {"min": entry.memory_gbs[0], "max": entry.memory_gbs[1]}
            shapes.append(shape)
        section = {
            "source_image": image.source_image_id,
            "username": image.username or "opc",
            "snapshot_allowed": image.snapshot_allowed,
            "shapes": shapes,
        }
        return ImportedPackage(self.name, section)


IMAGE = register(ImageKind())
