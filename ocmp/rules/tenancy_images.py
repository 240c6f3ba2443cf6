"""TEN rules about the images a listing publishes or references, checked live.

The image of an image listing (``package.image.source_image``) must exist, be AVAILABLE,
live in us-ashburn-1 and have a sane launch mode; the shapes the listing offers must be
real (no ``*.Generic`` aliases), carry limits when flexible, be supported by Marketplace
and be compatible with the image. A stack listing's Marketplace images must be published.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from ocmp.clients.compute import Image, region_of_ocid
from ocmp.core.findings import Location, Problem, Scope, Severity
from ocmp.core.project import Project
from ocmp.core.tenancy import ASHBURN, NotFound, Unavailable, could_not_check
from ocmp.rules.base import rule
from ocmp.rules.tenancy import facts_of, listing_at

_CATALOG_OCID = re.compile(r"ocid1\.appcataloglisting\.oc1\.[a-z0-9-]*\.[a-z0-9]+")
_SANE_LAUNCH_MODES = {"NATIVE", "PARAVIRTUALIZED", "CUSTOM"}


@dataclass(frozen=True, slots=True)
class OfferedShape:
    """A shape the listing will offer, where it comes from, and its limits."""

    shape: str
    at: Location
    ocpus: tuple[float | None, float | None]
    memory_gbs: tuple[float | None, float | None]


def _offered_shapes(project: Project) -> list[OfferedShape]:
    """The shapes an image listing declares (``package.image.shapes``, at least one)."""
    from ocmp.schemas.listing import ImageListingFile

    listing = facts_of(project).listing
    if not isinstance(listing, ImageListingFile):
        return []
    return [
        OfferedShape(
            s.shape,
            project.locate("package", "image", "shapes", i, "shape"),
            (s.ocpus.min, s.ocpus.max) if s.ocpus else (None, None),
            (s.memory_gbs.min, s.memory_gbs.max) if s.memory_gbs else (None, None),
        )
        for i, s in enumerate(listing.package.image.shapes)
    ]


def _is_generic(shape: str) -> bool:
    return shape.lower().endswith(".generic")


@rule(
    "TEN008",
    name="tenancy.image-available",
    severity=Severity.ERROR,
    scope=Scope.TENANCY,
    summary="The listing's custom image exists and is AVAILABLE",
)
def image_available(project: Project) -> Iterator[Problem]:
    facts = facts_of(project)
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


@rule(
    "TEN002",
    name="tenancy.image-in-ashburn",
    severity=Severity.ERROR,
    scope=Scope.TENANCY,
    summary="The listing's custom image lives in us-ashburn-1",
)
def image_in_ashburn(project: Project) -> Iterator[Problem]:
    facts = facts_of(project)
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


@rule(
    "TEN009",
    name="tenancy.image-launch-mode",
    severity=Severity.WARNING,
    scope=Scope.TENANCY,
    summary="The listing's image uses a NATIVE or PARAVIRTUALIZED launch mode",
)
def image_launch_mode(project: Project) -> Iterator[Problem]:
    image = facts_of(project).image
    if isinstance(image, Image) and image.launch_mode not in _SANE_LAUNCH_MODES:
        yield Problem(
            f"image '{image.display_name}' launches in {image.launch_mode or 'an unknown'} mode; "
            "customers get slow emulated devices",
            at=listing_at(project, "package", "image", "source_image"),
            hint="re-import the image with launch mode PARAVIRTUALIZED (or NATIVE) once its "
            "virtio drivers work",
        )


@rule(
    "TEN010",
    name="tenancy.no-generic-shapes",
    severity=Severity.ERROR,
    scope=Scope.TENANCY,
    summary="The listing's shape list holds no *.Generic aliases",
)
def no_generic_shapes(project: Project) -> Iterator[Problem]:
    for offered in _offered_shapes(project):
        if _is_generic(offered.shape):
            yield Problem(
                f"{offered.shape} is an alias, not a shape Marketplace can offer",
                at=offered.at,
                hint="list the real shapes instead, e.g. VM.Standard.E4.Flex (`oci compute "
                "image-shape-compatibility-entry list --image-id …` shows them)",
            )


@rule(
    "TEN011",
    name="tenancy.flex-shape-limits",
    severity=Severity.ERROR,
    scope=Scope.TENANCY,
    summary="Flexible shapes carry OCPU and memory limits within the shape's range",
)
def flex_shape_limits(project: Project) -> Iterator[Problem]:
    supported = facts_of(project).supported_shapes
    known = {s.shape: s for s in supported} if isinstance(supported, list) else {}
    for offered in _offered_shapes(project):
        spec = known.get(offered.shape)
        flexible = spec.flexible if spec else offered.shape.lower().endswith(".flex")
        if not flexible:
            continue
        for label, got, allowed in (
            ("ocpus", offered.ocpus, spec.ocpus if spec else (None, None)),
            ("memory_gbs", offered.memory_gbs, spec.memory_gbs if spec else (None, None)),
        ):
            problem = _limit_problem(offered, label, got, allowed)
            if problem is not None:
                yield problem


def _limit_problem(
    offered: OfferedShape,
    label: str,
    got: tuple[float | None, float | None],
    allowed: tuple[float | None, float | None],
) -> Problem | None:
    low, high = got
    floor, ceiling = allowed
    known = floor is not None and ceiling is not None
    bounds = f" (allowed {floor:g}–{ceiling:g})" if known else ""
    if low is None or high is None:
        return Problem(
            f"flexible shape {offered.shape} has no {label} limits",
            at=offered.at,
            hint=f"add `{label}: {{min: …, max: …}}` to the shape{bounds}",
        )
    if floor is not None and ceiling is not None and not floor <= low <= high <= ceiling:
        return Problem(
            f"{offered.shape} {label} {low:g}–{high:g} is outside {floor:g}–{ceiling:g}",
            at=offered.at,
            hint=f"keep {label} within the range Marketplace supports for the shape",
        )
    return None


@rule(
    "TEN012",
    name="tenancy.supported-shapes",
    severity=Severity.ERROR,
    scope=Scope.TENANCY,
    summary="Every shape is supported by Marketplace and compatible with the image",
)
def supported_shapes(project: Project) -> Iterator[Problem]:
    facts = facts_of(project)
    offered = [s for s in _offered_shapes(project) if not _is_generic(s.shape)]
    if not offered:
        return
    supported = facts.supported_shapes
    if isinstance(supported, Unavailable):
        yield could_not_check(supported, "the shapes Marketplace supports")
    else:
        names = {s.shape for s in supported}
        for shape in offered:
            if shape.shape not in names:
                yield Problem(
                    f"{shape.shape} is not among the shapes Marketplace supports",
                    at=shape.at,
                    hint="choose from `oci marketplace-publisher supported-shape-collection "
                    "list-supported-shapes`",
                )
    image_shapes = facts.image_shapes
    if isinstance(image_shapes, Unavailable):
        yield could_not_check(image_shapes, "the image's compatible shapes")
    elif isinstance(image_shapes, list):
        compatible = {s.shape for s in image_shapes}
        for shape in offered:
            if shape.shape not in compatible:
                yield Problem(
                    f"{shape.shape} is not compatible with the image",
                    at=shape.at,
                    hint="add the shape to the image's compatible shapes (Console → Custom "
                    "Images → Edit details) or drop it from the listing",
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


@rule(
    "TEN006",
    name="tenancy.catalog-images",
    severity=Severity.INFO,
    scope=Scope.TENANCY,
    summary="Marketplace images the stack references are published in us-ashburn-1",
)
def catalog_images(project: Project) -> Iterator[Problem]:
    facts = facts_of(project)
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
