"""The runner: one cause, one finding."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ocmp.core.findings import Location, Problem, Scope, Severity
from ocmp.core.project import Project, open_projects
from ocmp.rules import _run_one
from ocmp.rules.base import Rule
from tests.conftest import RunCli


def _project(run_cli: RunCli, tmp_path: Path) -> Project:
    assert run_cli("init", "p", "--kind", "image", "--non-interactive").exit_code == 0
    return open_projects([tmp_path / "p"])[0]


def test_the_same_finding_twice_from_one_rule_is_reported_once(
    run_cli: RunCli, tmp_path: Path
) -> None:
    def twice(_: Project) -> Iterator[Problem]:
        for how in ("a script read by two resources", "the same, read again"):
            yield Problem("`curl x` runs at boot", Location("boot.sh", 3), hint=how)
        yield Problem("`wget y` runs at boot", Location("boot.sh", 3))  # another problem
        yield Problem("`curl x` runs at boot", Location("boot.sh", 4))  # another place

    rule = Rule("XYZ999", "test.twice", Severity.ERROR, Scope.LISTING, "Twice", twice)
    found = _run_one(rule, _project(run_cli, tmp_path), None)
    assert [(f.line, f.message, f.hint) for f in found] == [
        (3, "`curl x` runs at boot", "a script read by two resources"),
        (3, "`wget y` runs at boot", None),
        (4, "`curl x` runs at boot", None),
    ]
