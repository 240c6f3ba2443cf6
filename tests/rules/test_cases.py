"""The one parametrised runner of every rule case file, ``tests/rules/cases/<ID>.yaml``.

Each case (format in :mod:`tests.rules.casekit`) builds a project from a base project and the
change the case states, runs ``ocmp validate --format json --select RULE TARGET`` in it through
the real CLI, and checks that the rule reported exactly the case's pinned ``findings`` (rule,
file, line and severity; no more, no fewer), or nothing at all for a pass case. A fail case
without exact findings is refused. The case a rule's doc shows as an example must also match
the doc word for word, what ocmp reports included (``python -m tests.rules.casekit docs ID``
rewrites the doc's Examples section).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.rules import casekit


def _load_cases() -> list[Any]:
    params = []
    for rule_id in casekit.rule_ids():
        for case in casekit.load(rule_id)["cases"]:
            params.append(pytest.param(rule_id, case, id=f"{rule_id}-{case['name']}"))
    return params


@pytest.fixture(scope="session")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[casekit.Bases]:
    """Lazily created, never modified `ocmp init` projects, one per kind."""
    yield casekit.Bases(tmp_path_factory.mktemp("bases"))


@pytest.mark.parametrize(("rule_id", "case"), _load_cases())
def test_case(
    rule_id: str,
    case: dict[str, Any],
    tmp_path: Path,
    pristine: casekit.Bases,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problems = casekit.case_problems(case)
    assert not problems, f"{rule_id} case {case.get('name')}: {'; '.join(problems)}"
    mine = casekit.run_case(rule_id, case, tmp_path / "project", pristine, monkeypatch)
    wrong = casekit.verdict(rule_id, case, mine)
    assert not wrong, "; ".join(wrong)
    if case.get("example"):
        shown = casekit.doc_example(rule_id, case["name"])
        assert shown == casekit.render_example(rule_id, case, mine), (
            f"{rule_id}.md does not show case {case['name']} as it is now: run "
            f"`python -m tests.rules.casekit docs {rule_id}`")
