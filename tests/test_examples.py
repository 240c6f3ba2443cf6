"""Every project under examples/ validates clean, strictly (examples are tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

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


def test_the_stack_example_terraform_is_what_init_writes(run_cli: RunCli, tmp_path: Path) -> None:
    # The example is the template rendered with the example's own answers, byte for byte:
    # a change to the template shows up here until the example is re-rendered.
    example = next(p for p in EXAMPLES if p.name == "stack-listing")
    listing = yaml.safe_load((example / "listing.yaml").read_text())["listing"]
    made = run_cli("init", tmp_path / "fresh", "--kind", "stack", "--non-interactive",
                   "--name", listing["name"], "--version", listing["version"]["number"],
                   "--pricing", listing["pricing"]["type"])
    assert made.exit_code == 0, made.stderr

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes()
                for p in sorted(root.rglob("*")) if p.is_file()}

    written = files(tmp_path / "fresh" / "terraform")
    assert files(example / "terraform") == written


def test_examples_point_editors_at_the_committed_schema() -> None:
    for example in EXAMPLES:
        first = (example / "listing.yaml").read_text().splitlines()[0]
        target = first.split("$schema=", 1)[1]
        assert (example / target).resolve().is_file(), first
