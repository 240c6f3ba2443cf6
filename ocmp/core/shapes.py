"""OCI compute shape names: which can exist, and what a wrong one was probably meant to be.

The catalogue is data (``data/oci_shapes.json``), one copy for all of ocmp: the offline shape
rules (LST019 in ``rules/listing_shapes``, STK095 in ``rules/stack_shapes``) and
``ocmp init --shape`` read it. The sandbox seeds its own tenancy's
supported shapes (it imports nothing from ocmp); a test keeps those inside this catalogue.
Whether a tenancy offers a shape, and the image runs on it, stays the live rules' question
(TEN010-TEN012).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ocmp.core.findings import Location, Problem, Severity

# VM.<family parts>.<size> or BM.…: letters, digits and '-' between the dots.
SHAPE_FORM = re.compile(r"^(VM|BM)(\.[A-Za-z0-9-]+)+$")
# A string of a stack that is meant as a shape name (the whole string, no interpolation).
LOOKS_LIKE_SHAPE = re.compile(r"^(?:VM|BM)\.[A-Za-z0-9.-]+$", re.IGNORECASE)


@cache
def families() -> dict[str, tuple[str, ...]]:
    """Family (``VM.Standard.E4``) → the sizes it comes in (``Flex``)."""
    raw = resources.files("ocmp.core").joinpath("data", "oci_shapes.json").read_text("utf-8")
    return {family: tuple(sizes) for family, sizes in json.loads(raw)["families"].items()}


@cache
def known_shapes() -> frozenset[str]:
    """Every shape name of the catalogue."""
    return frozenset(f"{family}.{size}" for family, sizes in families().items()
                     for size in sizes)


def is_generic_alias(shape: str) -> bool:
    """``VM.Standard.E4.Generic`` and the like: aliases some APIs list, never a real shape."""
    return shape.lower().endswith(".generic")


@dataclass(frozen=True)
class ShapeVerdict:
    """What is wrong with a shape name: ``certain`` when the name cannot exist (an error),
    else it is only unknown to the catalogue (a warning: Oracle may have launched it since)."""

    message: str
    hint: str
    certain: bool


def _family_of(shape: str) -> tuple[str, str] | None:
    """(family, size) for a name of a known family, also ``VM.Standard.E2.1.Micro``."""
    for family in sorted(families(), key=len, reverse=True):
        if shape.startswith(family + "."):
            return family, shape[len(family) + 1:]
    return None


def _closest(shape: str, cutoff: float) -> str | None:
    by_fold = {s.lower(): s for s in known_shapes()}
    close = difflib.get_close_matches(shape.lower(), sorted(by_fold), n=1, cutoff=cutoff)
    return by_fold[close[0]] if close else None


def judge(shape: str) -> ShapeVerdict | None:
    """None for a shape of the catalogue; else what is wrong with the name."""
    name = shape.strip()
    if name in known_shapes():
        return None
    listed = "list the real shapes, e.g. VM.Standard.E5.Flex"
    by_fold = {s.lower(): s for s in known_shapes()}
    if name.lower() in by_fold:
        right = by_fold[name.lower()]
        return ShapeVerdict(f"{shape!r} is spelt {right} (shape names are case-sensitive)",
                            f"write {right}", True)
    if is_generic_alias(name):
        flex = name[: -len(".Generic")] + ".Flex"
        return ShapeVerdict(
            f"{shape!r} is an alias, not a shape: instances cannot launch on it and "
            "Marketplace refuses it",
            f"did you mean {flex}?" if flex in known_shapes() else listed, True)
    if not SHAPE_FORM.match(name):
        prefixed = next((f"{p}.{name}" for p in ("VM", "BM") if f"{p}.{name}" in known_shapes()),
                        None)
        meant = prefixed or _closest(name, 0.6)
        return ShapeVerdict(
            f"{shape!r} is not a shape name (they read VM.<family>.<size> or BM.…, e.g. "
            "VM.Standard.E5.Flex)", f"did you mean {meant}?" if meant else listed, True)
    found = _family_of(name)
    if found is not None:
        family, _ = found
        own = [f"{family}.{s}" for s in families()[family]]
        nearest = difflib.get_close_matches(name, own, n=1, cutoff=0.0)
        return ShapeVerdict(
            f"{shape!r} cannot exist: {family} comes only as {', '.join(own)}",
            f"did you mean {nearest[0]}?" if nearest else f"use one of {', '.join(own)}", True)
    # A known name with other generation numbers (VM.Standard.E7.Flex) may be a shape Oracle
    # launched after this catalogue: unknown, not wrong.
    newer = _digits(name) in {_digits(s) for s in known_shapes()}
    meant = None if newer else _closest(name, 0.85)
    if meant is not None:  # a letter or two off a known shape: a typo
        return ShapeVerdict(f"{shape!r} is no OCI shape", f"did you mean {meant}?", True)
    return ShapeVerdict(
        f"{shape!r} is not among the OCI shapes ocmp knows",
        "check the name on Oracle's Compute Shapes page; if the shape is new, "
        "`ocmp validate --online` checks it against the tenancy (TEN012)", False)


def _digits(shape: str) -> str:
    return re.sub(r"\d+", "#", shape)


def shape_problem(shape: str, at: Location) -> Problem | None:
    """The finding of the shape rules (LST019, STK095) on one name: an error when it cannot
    exist, a warning when it is only unknown to the catalogue."""
    verdict = judge(shape)
    if verdict is None:
        return None
    return Problem(verdict.message, at, hint=verdict.hint,
                   severity=None if verdict.certain else Severity.WARNING)
