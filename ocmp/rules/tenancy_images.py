"""TEN002, TEN006, TEN008, TEN009: the images a listing publishes or references, checked live.

The image of an image listing (``package.image.source_image``) must exist, be AVAILABLE,
live in us-ashburn-1 and have a sane launch mode. A stack listing's Marketplace images must
be published.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator

from ocmp.clients.compute import Image, region_of_ocid
from ocmp.core.findings import Problem, Severity
from ocmp.core.project import Project
from ocmp.core.tenancy import ASHBURN, NotFound, TenancyFacts, Unavailable, could_not_check
from ocmp.rules.base import live_rule
from ocmp.rules.tenancy_common import listing_at

_CATALOG_OCID = re.compile(r"ocid1\.appcataloglisting\.oc1\.[a-z0-9-]*\.[a-z0-9]+")
_SANE_LAUNCH_MODES = {"NATIVE", "PARAVIRTUALIZED", "CUSTOM"}

@live_rule(
    "TEN008",
    name="tenancy.image-available",
    severity=Severity.ERROR,
    summary="The listing's custom image exists and is AVAILABLE",
)
def image_available(project: Project, facts: TenancyFacts) -> Iterator[Problem]:
    image = facts.image
    if image is None:
        return
    at = listing_at(project, "package", "image", "source_image")
    if isinstance(image, Unavailable):
        yield could_not_check(image, "the image")
    elif isinstance(image, NotFound):
        yield Problem(
            f"image {image.id} does not exist, or these credentials cannot see it",
            at=at,
            hint="set package.image.source_image to a custom image of your tenancy in "
            f"{ASHBURN} (Console → Compute → Custom Images)",
        )
    elif image.lifecycle_state != "AVAILABLE":
        yield Problem(
            f"image '{image.display_name}' is {image.lifecycle_state}, not AVAILABLE",
            at=at,
            hint="wait for an import to finish, or re-enable / re-create the image",
        )


@live_rule(
    "TEN002",
    name="tenancy.image-in-ashburn",
    severity=Severity.ERROR,
    summary="The listing's custom image lives in us-ashburn-1",
)
def image_in_ashburn(project: Project, facts: TenancyFacts) -> Iterator[Problem]:
    image_id = facts.image_id
    if image_id is None:
        return
    image = facts.image
    region = image.region if isinstance(image, Image) else region_of_ocid(image_id)
    if region != ASHBURN:
        where = region or "no region (a region-free OCID is a published Marketplace image)"
        yield Problem(
            f"image {image_id} lives in {where}, not {ASHBURN}",
            at=listing_at(project, "package", "image", "source_image"),
            hint=f"export the image to Object Storage and import it in {ASHBURN} (`oci compute "
            "image export to-object`, then `oci compute image import from-object --region "
            f"{ASHBURN}`), and use the new OCID",
        )


@live_rule(
    "TEN009",
    name="tenancy.image-launch-mode",
    severity=Severity.WARNING,
    summary="The listing's image uses a NATIVE or PARAVIRTUALIZED launch mode",
)
def image_launch_mode(project: Project, facts: TenancyFacts) -> Iterator[Problem]:
    image = facts.image
    if isinstance(image, Image) and image.launch_mode not in _SANE_LAUNCH_MODES:
        yield Problem(
            f"image '{image.display_name}' launches in {image.launch_mode or 'an unknown'} mode; "
            "customers get slow emulated devices",
            at=listing_at(project, "package", "image", "source_image"),
            hint="re-import the image with launch mode PARAVIRTUALIZED (or NATIVE) once its "
            "virtio drivers work",
        )


def _stack_texts(project: Project) -> list[str]:
    path = project.stack_path
    if path is None or not path.exists():
        return []
    if path.is_dir():
        return [p.read_text("utf-8", errors="replace") for p in sorted(path.rglob("*.tf"))
                if ".terraform" not in p.parts]
    try:
        with zipfile.ZipFile(path) as archive:
            return [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                    if n.endswith(".tf")]
    except (OSError, zipfile.BadZipFile):
        return []  # the STK rules report an unreadable zip


@live_rule(
    "TEN006",
    name="tenancy.catalog-images",
    severity=Severity.INFO,
    summary="Marketplace images the stack references are published in us-ashburn-1",
)
def catalog_images(project: Project, facts: TenancyFacts) -> Iterator[Problem]:
    if facts.kind != "stack":
        return
    ids = sorted({m.group(0) for t in _stack_texts(project) for m in _CATALOG_OCID.finditer(t)})
    for listing_id in ids:
        versions = facts.catalog_versions(listing_id)
        if isinstance(versions, Unavailable):
            yield could_not_check(versions, f"Marketplace image listing {listing_id}")
        elif isinstance(versions, NotFound) or not versions:
            yield Problem(
                f"the stack references Marketplace image listing {listing_id}, which has no "
                "published version",
                hint="publish the image listing first, then use its listing OCID and version",
            )
        elif not any(ASHBURN in v.regions for v in versions):
            yield Problem(
                f"no version of Marketplace image listing {listing_id} is available in {ASHBURN}",
                hint="ask Oracle Marketplace support to replicate the image listing",
            )
