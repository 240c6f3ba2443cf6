"""The case runner's own rules: it refuses loose cases and notices any difference in findings."""

from __future__ import annotations

from typing import Any

import pytest

from tests.rules import casekit

ONE = {"rule": "LST001", "severity": "error", "message": "the listing name has 85 characters",
       "hint": None, "file": "listing.yaml", "line": 8, "column": None}


def _fail(**extra: Any) -> dict[str, Any]:
    return {"name": "x", "expect": "fail",
            "findings": [{"file": "listing.yaml", "line": 8, "severity": "error"}], **extra}


def test_a_well_formed_fail_case_has_no_problems() -> None:
    assert casekit.case_problems(_fail()) == []


@pytest.mark.parametrize(("case", "said"), [
    ({"name": "x", "expect": "fail"}, "must pin its exact findings"),
    ({"name": "x", "expect": "fail", "findings": []}, "must pin its exact findings"),
    (_fail(findings=[{"file": "listing.yaml"}]), "exactly the keys file, line, severity"),
    ({"name": "x", "expect": "pass", "findings": []}, "a pass case pins no findings"),
    (_fail(locations=[{"file": "listing.yaml"}]), "unknown key 'locations'"),
    ({"name": "x", "expect": "fails"}, "expect must be pass or fail"),
])
def test_loose_cases_are_refused(case: dict[str, Any], said: str) -> None:
    assert any(said in p for p in casekit.case_problems(case))


def test_exact_findings_match() -> None:
    assert casekit.verdict("LST001", _fail(), [ONE]) == []


@pytest.mark.parametrize("mine", [
    [],
    [ONE, ONE],
    [{**ONE, "line": 9}],
    [{**ONE, "file": "other.yaml"}],
    [{**ONE, "severity": "warning"}],
])
def test_any_difference_in_findings_fails(mine: list[dict[str, Any]]) -> None:
    assert casekit.verdict("LST001", _fail(), mine)


def test_a_pass_case_fails_on_any_finding_of_its_rule() -> None:
    assert casekit.verdict("LST001", {"name": "x", "expect": "pass"}, []) == []
    assert casekit.verdict("LST001", {"name": "x", "expect": "pass"}, [ONE])


def test_a_message_the_findings_do_not_say_fails() -> None:
    assert casekit.verdict("LST001", _fail(messages=["85 characters"]), [ONE]) == []
    assert casekit.verdict("LST001", _fail(messages=["86 characters"]), [ONE])


def test_an_edit_must_replace_text_that_occurs_exactly_once() -> None:
    assert casekit.apply_edits("a\nb\n", [{"replace": "b\n", "with": "c\n"}], "f") == "a\nc\n"
    assert casekit.apply_edits("a\n", [{"append": "b\n"}], "f") == "a\nb\n"
    for text in ("a\n", "b\nb\n"):
        with pytest.raises(AssertionError, match="not once"):
            casekit.apply_edits(text, [{"replace": "b\n", "with": "c\n"}], "f")


@pytest.mark.parametrize(("old", "new"), [
    ("a\nb\nc\n", "a\nB\nc\n"),
    ("x\ny\nx\ny\n", "x\ny\nx\nZ\n"),  # the changed line repeats: widened until unique
    ("a\n", "a\nb\n"),
    ("a\nb\n", "b\n"),
    ("k: 1\nk: 1\nk: 1\n", "k: 1\nk: 2\nk: 1\n"),
])
def test_edits_between_rebuild_the_new_text(old: str, new: str) -> None:
    changes = casekit.edits_between(old, new)
    assert casekit.apply_edits(old, changes, "f") == new
