"""TEN010, TEN011, TEN012: the shapes an image listing offers — real shapes (no
``*.Generic`` aliases), limits on flexible ones, supported by Marketplace and compatible
with the image."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ocmp.core.findings import Location, Problem, Severity
from ocmp.core.project import Project
from ocmp.core.shapes import is_generic_alias as _is_generic
from ocmp.core.tenancy import TenancyFacts, Unavailable, could_not_check
from ocmp.rules.base import live_rule


@dataclass(frozen=True, slots=True)
class OfferedShape:
    """A shape the listing will offer, where it comes from, and its limits."""

    shape: str
    at: Location
    ocpus: tuple[float | None, float | None]
    memory_gbs: tuple[float | None, float | None]


def _offered_shapes(project: Project, facts: TenancyFacts) -> list[OfferedShape]:
    """The shapes an image listing declares (``package.image.shapes``, at least one)."""
    from ocmp.schemas.listing import ImageListingFile

    listing = facts.listing
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


@live_rule(
    "TEN010",
    name="tenancy.no-generic-shapes",
    severity=Severity.ERROR,
    summary="The listing's shape list holds no *.Generic aliases",
)
def no_generic_shapes(project: Project, facts: TenancyFacts) -> Iterator[Problem]:
    for offered in _offered_shapes(project, facts):
        if _is_generic(offered.shape):
            yield Problem(
                f"{offered.shape} is an alias, not a shape Marketplace can offer",
                at=offered.at,
                hint="list the real shapes instead, e.g. VM.Standard.E4.Flex (`oci compute "
                "image-shape-compatibility-entry list --image-id …` shows them)",
            )


@live_rule(
    "TEN011",
    name="tenancy.flex-shape-limits",
    severity=Severity.ERROR,
    summary="Flexible shapes carry OCPU and memory limits within the shape's range",
)
def flex_shape_limits(project: Project, facts: TenancyFacts) -> Iterator[Problem]:
    supported = facts.supported_shapes
    known = {s.shape: s for s in supported} if isinstance(supported, list) else {}
    for offered in _offered_shapes(project, facts):
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


@live_rule(
    "TEN012",
    name="tenancy.supported-shapes",
    severity=Severity.ERROR,
    summary="Every shape is supported by Marketplace and compatible with the image",
)
def supported_shapes(project: Project, facts: TenancyFacts) -> Iterator[Problem]:
    offered = [s for s in _offered_shapes(project, facts) if not _is_generic(s.shape)]
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
