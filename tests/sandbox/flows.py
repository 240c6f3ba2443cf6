"""Publisher call sequences shared by the sandbox tests (all through the real SDK)."""

from __future__ import annotations

import struct
import zlib
from typing import Any

import oci
from oci.marketplace_publisher import models as m

DEMO = "ocid1.tenancy.oc1..aaaaaaaaocmpsandboxdemotenancy"
IMAGE = "ocid1.image.oc1.iad.aaaaaaaaocmpdemoimage"
Publisher = oci.marketplace_publisher.MarketplacePublisherClient


def png(width: int = 130, height: int = 130) -> bytes:
    """A valid, tiny PNG."""
    raw = b"".join(b"\x00" + b"\x00\x80\xff" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def finish(pub: Publisher, work_request_id: str, limit: int = 10) -> Any:
    """Poll a work request until it is final; return it."""
    for _ in range(limit):
        wr = pub.get_work_request(work_request_id).data
        if wr.status in ("SUCCEEDED", "FAILED", "CANCELED"):
            return wr
    raise AssertionError(f"work request {work_request_id} never finished")


def created_id(wr: Any, entity: str) -> str:
    """The OCID a work request CREATED."""
    return next(r.identifier for r in wr.resources
                if r.entity_type == entity and r.action_type == "CREATED")


def image_shapes() -> list[m.ImageShapeCompatibility]:
    """Shape entries that pass validation for the demo image."""
    return [m.ImageShapeCompatibility(
        shape="VM.Standard.E4.Flex", ocpu_constraints=m.ImageOcpuConstraints(min=1, max=64),
        memory_constraints=m.ImageMemoryConstraints(min_in_gbs=1, max_in_gbs=1024)),
        m.ImageShapeCompatibility(shape="VM.Standard2.1")]


def image_artifact(pub: Publisher, *, image: str = IMAGE,
                   shapes: list[m.ImageShapeCompatibility] | None = None) -> Any:
    """Create a MACHINE_IMAGE artifact; return the finished work request."""
    response = pub.create_artifact(m.CreateMachineImageArtifactDetails(
        compartment_id=DEMO, display_name="demo image",
        machine_image=m.CreateMachineImageDetails(
            source_image_id=image, username="opc", is_snapshot_allowed=False,
            image_shape_compatibility_entries=shapes if shapes is not None else image_shapes())))
    assert response.status == 202
    return finish(pub, response.headers["opc-work-request-id"])


def term_with_active_version(pub: Publisher, name: str = "EULA") -> str:
    """A term with an ACTIVE version; returns the term id."""
    term = pub.create_term(m.CreateTermDetails(compartment_id=DEMO, name=name)).data
    version = pub.create_term_version(b"%PDF-1.4 the eula", term.id, display_name="v1").data
    pub.activate_term_version(version.id)
    return str(term.id)


def listing_with_draft(pub: Publisher, name: str = "Demo App",
                       package_type: str = "MACHINE_IMAGE") -> tuple[str, str]:
    """A listing and a NEW OCI_APPLICATION revision; returns (listing id, revision id)."""
    listing = pub.create_listing(m.CreateListingDetails(
        compartment_id=DEMO, name=name, listing_type="OCI_APPLICATION",
        package_type=package_type)).data
    revision = pub.create_listing_revision(m.CreateOciListingRevisionDetails(
        listing_id=listing.id, headline="Demo headline", display_name=name,
        short_description="Short", pricing_type="FREE",
        products=[m.ListingProduct(code="applications", categories=["DEVELOPER_TOOLS"])],
        version_details=m.VersionDetails(number="1.0.0", description="first",
                                         release_date="2026-11-24"))).data
    return str(listing.id), str(revision.id)


def ready_revision(pub: Publisher) -> tuple[str, str, str]:
    """A NEW revision with icon and one default image package: (listing, revision, artifact)."""
    wr = image_artifact(pub)
    assert wr.status == "SUCCEEDED"
    artifact_id = created_id(wr, "artifact")
    term_id = term_with_active_version(pub)
    listing_id, revision_id = listing_with_draft(pub)
    pub.update_listing_revision_icon_content(revision_id, png())
    pub.create_listing_revision_package(m.CreateListingRevisionPackageDetails(
        listing_revision_id=revision_id, package_version="1.0.0", artifact_id=artifact_id,
        term_id=term_id, are_security_upgrades_provided=True, is_default=True,
        display_name="1.0.0"))
    return listing_id, revision_id, artifact_id
