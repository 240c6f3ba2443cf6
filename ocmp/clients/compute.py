"""Core compute (``/20160918``): custom images and the shapes they are compatible with."""

from __future__ import annotations

from dataclasses import dataclass

from ocmp.clients._base import ServiceWrapper


@dataclass(frozen=True, slots=True)
class Image:
    """A compute image as ocmp needs it."""

    id: str
    display_name: str
    lifecycle_state: str  # PROVISIONING | IMPORTING | AVAILABLE | EXPORTING | DISABLED | DELETED
    launch_mode: str  # NATIVE | EMULATED | PARAVIRTUALIZED | CUSTOM
    compartment_id: str
    operating_system: str
    region: str | None  # from the OCID's region segment; None for region-free OCIDs


@dataclass(frozen=True, slots=True)
class ImageShape:
    """A shape an image is compatible with, and the limits declared for it."""

    shape: str
    ocpus: tuple[float | None, float | None] = (None, None)
    memory_gbs: tuple[float | None, float | None] = (None, None)


@dataclass(frozen=True, slots=True)
class CatalogVersion:
    """A published version of an App Catalog (Marketplace image) listing."""

    listing_id: str
    version: str
    image_id: str
    regions: tuple[str, ...]
    shapes: tuple[str, ...]


def region_of_ocid(ocid: str) -> str | None:
    """The region an OCID was minted in (``ocid1.image.oc1.iad.…`` → ``us-ashburn-1``).

    Region-free OCIDs (Marketplace images, tenancies) give None. Short keys are resolved
    with the SDK's own region table, so ``fra`` and ``eu-frankfurt-1`` both work.
    """
    parts = ocid.split(".")
    if len(parts) < 5 or not parts[3]:
        return None
    import oci

    segment = parts[3].lower()
    return str(oci.regions.REGIONS_SHORT_NAMES.get(segment, segment))


class ComputeClient(ServiceWrapper):
    """The Compute calls ocmp needs."""

    service = "compute"

    def get_image(self, image_id: str) -> Image:
        """One image; a 404 ``NotAuthorizedOrNotFound`` becomes a ``CloudError``."""
        data = self._send("get_image", image_id).data
        return Image(
            id=data.id,
            display_name=data.display_name or "",
            lifecycle_state=data.lifecycle_state or "",
            launch_mode=data.launch_mode or "",
            compartment_id=data.compartment_id or "",
            operating_system=data.operating_system or "",
            region=region_of_ocid(data.id),
        )

    def list_image_shapes(self, image_id: str) -> list[ImageShape]:
        """The shapes an image is compatible with (``GET /images/{id}/shapes``)."""
        shapes = []
        for s in self._models("list_image_shape_compatibility_entries", image_id):
            ocpu = s.ocpu_constraints
            mem = s.memory_constraints
            shapes.append(
                ImageShape(
                    shape=s.shape,
                    ocpus=(ocpu.min, ocpu.max) if ocpu else (None, None),
                    memory_gbs=(mem.min_in_gbs, mem.max_in_gbs) if mem else (None, None),
                )
            )
        return shapes

    def catalog_versions(self, listing_id: str) -> list[CatalogVersion]:
        """Every published version of an App Catalog listing, with regions and shapes."""
        versions = []
        for summary in self._models("list_app_catalog_listing_resource_versions", listing_id):
            detail = self._send(
                "get_app_catalog_listing_resource_version",
                listing_id,
                summary.listing_resource_version,
            ).data
            versions.append(
                CatalogVersion(
                    listing_id=listing_id,
                    version=detail.listing_resource_version or "",
                    image_id=detail.listing_resource_id or "",
                    regions=tuple(detail.available_regions or ()),
                    shapes=tuple(detail.compatible_shapes or ()),
                )
            )
        return versions
