"""`ocmp rules` and `ocmp rules explain` when stdout is not a terminal (pipes, CI logs)."""

from __future__ import annotations

import re

import pytest

from ocmp.rules import get, select_rules
from tests.conftest import RunCli


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch) -> None:
    """A narrow guessed width: anything that wraps or crops to it loses text."""
    monkeypatch.setenv("COLUMNS", "40")


@pytest.mark.usefixtures("narrow")
def test_rules_list_piped_is_one_unwrapped_line_per_rule(run_cli: RunCli) -> None:
    result = run_cli("rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    rules = select_rules(())
    assert len(lines) == len(rules)
    for line, r in zip(lines, rules, strict=True):
        assert line.split("\t") == [r.id, r.severity.value, r.scope.value, r.name, r.summary]


@pytest.mark.usefixtures("narrow")
def test_rules_explain_piped_prints_the_markdown_source_as_is(run_cli: RunCli) -> None:
    result = run_cli("rules", "explain", "LST001")
    assert result.exit_code == 0
    doc = get("LST001").doc
    assert doc.strip() in result.stdout
    # The long example line of LST001 survives whole (it used to be cut at the width).
    longest = max(doc.splitlines(), key=len)
    assert len(longest) > 40
    assert longest in result.stdout.splitlines()


@pytest.mark.parametrize("rule_id", [r.id for r in select_rules(())])
def test_rules_explain_prints_a_failing_and_a_passing_example(
    run_cli: RunCli, rule_id: str,
) -> None:
    from tests.rules import casekit

    result = run_cli("rules", "explain", rule_id)
    assert result.exit_code == 0
    examples = result.stdout[result.stdout.index("## Examples"):]
    marked = {c["expect"]: c for c in casekit.load(rule_id)["cases"] if c.get("example")}
    failing = examples.index(f"### Fails: `{marked['fail']['name']}`")
    passing = examples.index(f"### Passes: `{marked['pass']['name']}`")
    assert failing < passing
    # Every finding the failing case pins is shown, as `ocmp validate` prints it.
    for f in marked["fail"]["findings"]:
        where = (f["file"] or "(tenancy)") + (f":{f['line']}" if f["line"] is not None else "")
        said = rf"\n{re.escape(where)}(:\d+)?: {f['severity']} {rule_id} "
        assert re.search(said, examples[failing:passing]), f"no {where} finding shown"
    assert f"reports nothing for {rule_id}." in examples[passing:]
