"""Every project under examples/ validates clean, strictly (examples are tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli

EXAMPLES = sorted(p.parent for p in (Path(__file__).parents[1] / "examples").glob("*/listing.yaml"))


def test_there_are_examples_of_both_kinds() -> None:
    assert {p.name for p in EXAMPLES} >= {"image-listing", "stack-listing"}


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_validates_clean(run_cli: RunCli, example: Path) -> None:
    result = run_cli("validate", example, "--format", "json", "--strict")
    report = json.loads(result.stdout)
    assert result.exit_code == 0, report
    assert [f for f in report["findings"] if f["severity"] != "info"] == []



def test_examples_point_editors_at_the_committed_schema() -> None:
    for example in EXAMPLES:
        first = (example / "listing.yaml").read_text().splitlines()[0]
        target = first.split("$schema=", 1)[1]
        assert (example / target).resolve().is_file(), first
