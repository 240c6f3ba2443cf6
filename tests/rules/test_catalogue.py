"""The catalogue's own invariants: ids, names, docs with fixed headings, cases as data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ocmp.rules import all_rules
from ocmp.rules.base import DOC_HEADINGS, RULE_ID, RULE_NAME
from tests.rules import casekit

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


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_cases_are_well_formed(rule_id: str) -> None:
    data = casekit.load(rule_id)
    assert data["rule"] == rule_id
    names = [case.get("name") for case in data["cases"]]
    assert len(names) == len(set(names)), f"{rule_id}: case names repeat"
    for case in data["cases"]:
        problems = casekit.case_problems(case)
        assert not problems, f"{rule_id} case {case.get('name')}: {'; '.join(problems)}"


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_doc_examples_are_the_rules_marked_cases(rule_id: str) -> None:
    # What ocmp reports on them is compared by tests/rules/test_cases.py, which runs them.
    cases = casekit.load(rule_id)["cases"]
    marked = [(c["expect"], c["name"]) for c in cases if c.get("example")]
    assert sorted(e for e, _ in marked) == ["fail", "pass"], (
        f"{rule_id}: mark one fail case and one pass case `example: true` "
        f"(python -m tests.rules.casekit docs {rule_id} picks them)")
    _, shown = casekit.split_doc(RULES[rule_id].doc)
    assert list(shown) == [name for _, name in sorted(marked)], (
        f"{rule_id}.md: the Examples must be its cases {marked}: "
        f"run python -m tests.rules.casekit docs {rule_id}")


def test_every_docs_file_belongs_to_a_rule() -> None:
    docs = Path(__file__).parents[2] / "ocmp" / "rules" / "docs"
    orphans = {p.stem for p in docs.glob("*.md")} - set(RULES)
    assert not orphans


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_doc_names_every_severity_the_rule_reports(rule_id: str) -> None:
    # The code, its cases and its doc agree on severity: `ocmp rules` shows the rule's own,
    # and a finding of another severity (LST002's long headline is a warning) is one the doc
    # states, so that the catalogue a publisher reads says what validate does.
    rule = RULES[rule_id]
    pinned = {f["severity"] for case in casekit.load(rule_id)["cases"]
              for f in case.get("findings") or []}
    prose, _ = casekit.split_doc(rule.doc)
    missing = {s for s in pinned - {rule.severity.value}
               if s not in prose.lower() and not (s == "info" and "information" in prose)}
    assert not missing, f"{rule_id} reports {sorted(missing)} findings its doc does not name"
