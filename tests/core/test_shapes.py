"""The shape catalogue: one source of truth, and what it says about wrong names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ocmp.core.shapes import families, judge, known_shapes

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize(("shape", "certain", "message", "hint"), [
    ("VM.Standard.E4.Generic", True, "is an alias, not a shape",
     "did you mean VM.Standard.E4.Flex?"),
    ("VM.Standard.E4.8", True, "VM.Standard.E4 comes only as VM.Standard.E4.Flex",
     "did you mean VM.Standard.E4.Flex?"),
    ("VM.Standrd.E5.Flex", True, "is no OCI shape", "did you mean VM.Standard.E5.Flex?"),
    ("vm.standard.e4.flex", True, "is spelt VM.Standard.E4.Flex", "write VM.Standard.E4.Flex"),
    ("Standard.E4.Flex", True, "is not a shape name", "did you mean VM.Standard.E4.Flex?"),
    ("VM.Standard.E9.Flex", False, "not among the OCI shapes ocmp knows", "TEN012"),
])
def test_a_wrong_name_is_named_with_what_was_meant(
    shape: str, certain: bool, message: str, hint: str
) -> None:
    verdict = judge(shape)
    assert verdict is not None
    assert (verdict.certain, message in verdict.message, hint in verdict.hint) == (
        certain, True, True)


def test_every_catalogued_shape_passes() -> None:
    assert all(judge(shape) is None for shape in known_shapes())
    assert all(sizes for sizes in families().values())


def test_the_shapes_ocmp_ships_elsewhere_are_in_the_catalogue() -> None:
    # The sandbox keeps its own seed (it imports nothing from ocmp) and the templates name
    # shapes in text: both must stay inside the one catalogue the rules judge by.
    seed = yaml.safe_load((ROOT / "ocmp/sandbox/data/demo.yaml").read_text("utf-8"))
    named = {s["shape"] for s in seed["supported_shapes"]}
    named |= {s for image in seed["images"] for s in image.get("shapes", [])}
    for path in (ROOT / "ocmp/templates").rglob("*"):
        if path.is_file() and path.suffix in (".tf", ".j2", ".yaml", ".md"):
            named |= set(re.findall(r"\b(?:VM|BM)\.[A-Za-z0-9.-]*[A-Za-z0-9]",
                                    path.read_text("utf-8")))
    assert named and named <= known_shapes(), named - known_shapes()
