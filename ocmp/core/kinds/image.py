"""The image kind: a listing of one custom compute image (package type ``MACHINE_IMAGE``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ocmp.core.kinds.base import ImportedPackage, ListingKind, register


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
        self, block: dict[str, Any], download: Callable[[str], bytes]
    ) -> ImportedPackage:
        """``package.image`` back from the artifact's ``machineImage`` block."""
        shapes = []
        for entry in block.get("imageShapeCompatibilityEntries") or []:
            shape: dict[str, Any] = {"shape": entry["shape"]}
            if entry.get("ocpuConstraints"):
                c = entry["ocpuConstraints"]
                shape["ocpus"] = {"min": c["min"], "max": c["max"]}
            if entry.get("memoryConstraints"):
                c = entry["memoryConstraints"]
                shape["memory_gbs"] = {"min": c["minInGBs"], "max": c["maxInGBs"]}
            shapes.append(shape)
        section = {
            "source_image": block.get("sourceImageId"),
            "username": block.get("username") or "opc",
            "snapshot_allowed": bool(block.get("isSnapshotAllowed")),
            "shapes": shapes,
        }
        return ImportedPackage(self.name, section)


IMAGE = register(ImageKind())
