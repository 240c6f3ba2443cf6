"""LST011, LST016: the listing's images — present, real PNG/JPEG files read from their bytes
(format, completeness, size), the icon square and large enough, the banner a wide strip."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ocmp.core.findings import Location, Problem, Scope, Severity
from ocmp.core.image_files import read_image
from ocmp.core.project import Project
from ocmp.rules.base import rule
from ocmp.schemas.listing import Screenshot

ICON_MIN = 130
# Oracle publishes no banner figure (validation-rules.md, open question 5): these are ocmp's
# own, hence a warning. A banner is a wide strip across the listing page: at least twice as
# wide as high, and wide enough to stay sharp there (the `ocmp init` banner is 1200x300).
BANNER_MIN_WIDTH = 800
BANNER_MIN_RATIO = 2.0
FORMATS = {"PNG": (".png",), "JPEG": (".jpg", ".jpeg")}


def _images(project: Project) -> Iterator[tuple[str, tuple[str | int, ...], str]]:
    listing = project.listing.model.listing
    if listing.icon:
        yield "icon", ("listing", "icon"), listing.icon
    if listing.banner:
        yield "banner", ("listing", "banner"), listing.banner
    for index, shot in enumerate(listing.screenshots):
        name = shot.file if isinstance(shot, Screenshot) else shot
        yield "screenshot", ("listing", "screenshots", index), name


@rule(
    "LST011",
    name="listing.icon-image",
    severity=Severity.ERROR,
    scope=Scope.LISTING,
    summary="Icon, banner and screenshots are whole PNG/JPEG files; the icon is square, "
    "at least 130x130; the banner a wide strip",
)
def icon_image(project: Project) -> Iterator[Problem]:
    """Images are read from their bytes: the Publisher API refuses anything but a whole PNG
    or JPEG, half-way through ``ocmp publish``, so validate refuses it first."""
    for role, path, name in _images(project):
        at: Location = project.locate(*path)
        facts = read_image(project.root / name)
        suffix = Path(name).suffix.lower()
        if facts.format is None:
            why = f" ({facts.damage})" if facts.damage else ""
            yield Problem(
                f"{role} {name!r} is not a readable image{why}",
                at,
                hint="export it again as PNG or JPEG",
            )
            continue
        if facts.damage is not None:
            yield Problem(
                f"{role} {name!r} is a {facts.format} file that cannot be read whole: "
                f"{facts.damage}",
                at,
                hint="export it again from the original; a half-copied file fails the upload",
            )
            continue
        if facts.format not in FORMATS:
            yield Problem(
                f"{role} {name!r} is {facts.format}, not PNG or JPEG", at, hint="convert it to PNG"
            )
            continue  # its size is of no use: the file has to be converted first
        if suffix not in FORMATS[facts.format]:
            named = suffix or "(no extension)"
            yield Problem(
                f"{role} {name!r} holds {facts.format} data but is named {named}",
                at,
                hint=f"rename it to {FORMATS[facts.format][0]} or convert it",
            )
        if role == "banner":
            yield from _banner_size(facts.width, facts.height, at)
        if role != "icon":
            continue
        if facts.width != facts.height:
            yield Problem(
                f"icon is {facts.width}x{facts.height}, not square",
                at,
                hint="crop or pad it to a square; stretched icons are rejected",
            )
        if min(facts.width, facts.height) < ICON_MIN:
            yield Problem(
                f"icon is {facts.width}x{facts.height}, smaller than {ICON_MIN}x{ICON_MIN}",
                at,
                hint="export it at 130x130 or larger (the Marketplace shows it on its own)",
            )


def _banner_size(width: int, height: int, at: Location) -> Iterator[Problem]:
    fix = (f"export it at {BANNER_MIN_WIDTH}x{BANNER_MIN_WIDTH // 4} or larger, about 4:1 "
           "(the `ocmp init` banner is 1200x300)")
    if height <= 0 or width < BANNER_MIN_RATIO * height:
        yield Problem(
            f"banner is {width}x{height}; a banner is a wide strip, at least "
            f"{BANNER_MIN_RATIO:g} times as wide as high", at, hint=fix,
            severity=Severity.WARNING)
    elif width < BANNER_MIN_WIDTH:
        yield Problem(
            f"banner is {width}x{height}, narrower than {BANNER_MIN_WIDTH} pixels: it shows "
            "blurred across the listing page", at, hint=fix, severity=Severity.WARNING)


@rule(
    "LST016",
    name="listing.icon-present",
    severity=Severity.ERROR,
    scope=Scope.LISTING,
    summary="The listing has an icon (a revision without one cannot be submitted for review)",
)
def icon_present(project: Project) -> Iterator[Problem]:
    """``listing.icon`` is set: Oracle's review needs the icon the Marketplace shows."""
    if not project.listing.model.listing.icon:
        yield Problem(
            "the listing has no icon; a revision without one cannot be submitted for review",
            project.locate("listing"),
            hint="add listing.icon: a square PNG or JPEG of 130x130 or more",
        )
