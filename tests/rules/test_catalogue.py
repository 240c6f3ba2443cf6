"""The catalogue's own invariants: ids, names, docs with fixed headings, cases as data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ocmp.rules import all_rules
from ocmp.rules.base import DOC_HEADINGS, RULE_ID, RULE_NAME

CASES = Path(__file__).parent / "cases"
RULES = all_rules()


def test_names_are_unique() -> None:
    names = [r.name for r in RULES.values()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_is_well_formed_and_documented(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert RULE_ID.match(rule.id)
    assert RULE_NAME.match(rule.name)
    assert rule.summary and not rule.summary.endswith(".")
    doc = rule.doc
    positions = [doc.find(h) for h in DOC_HEADINGS]
    assert all(p >= 0 for p in positions), f"{rule_id}.md lacks one of {DOC_HEADINGS}"
    assert positions == sorted(positions), f"{rule_id}.md headings out of order"


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_has_a_passing_and_a_failing_case(rule_id: str) -> None:
    path = CASES / f"{rule_id}.yaml"
    assert path.is_file(), f"no cases file {path.name}"
    data = yaml.safe_load(path.read_text("utf-8"))
    expects = {case["expect"] for case in data["cases"]}
    assert {"pass", "fail"} <= expects, f"{rule_id} needs at least one pass and one fail case"


def test_every_docs_file_belongs_to_a_rule() -> None:
    docs = Path(__file__).parents[2] / "ocmp" / "rules" / "docs"
    orphans = {p.stem for p in docs.glob("*.md")} - set(RULES)
    assert not orphans
