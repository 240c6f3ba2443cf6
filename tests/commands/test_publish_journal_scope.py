"""The journal belongs to one tenancy and endpoint: a rehearsal's ids do not leak elsewhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import fast
from tests.conftest import RunCli


def _stack_project(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> Path:
    fast(monkeypatch)
    assert run_cli("init", "stk", "--kind", "stack", "--non-interactive").exit_code == 0
    return Path("stk")


def _journal(project: Path) -> dict[str, object]:
    (path,) = (project / ".ocmp" / "state").glob("*.json")
    data: dict[str, object] = json.loads(path.read_text())
    return data


def test_doctor_after_a_sandbox_rehearsal_ignores_the_rehearsal_stack(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _stack_project(run_cli, monkeypatch)
    assert run_cli("publish", "stk", "--sandbox").exit_code == 0
    assert "ormstack" in json.dumps(_journal(project)["ids"])
    # A new sandbox (or the real tenancy) has never seen that stack: it used to fail TEN015
    # ("does not exist"), exit 1, right after the README's own `--sandbox` rehearsal.
    result = run_cli("doctor", "stk", "--sandbox", "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["findings"] == []


def test_the_journal_is_reused_on_the_same_endpoint_only(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _stack_project(run_cli, monkeypatch)
    assert run_cli("publish", "stk").exit_code == 0
    journal = _journal(project)
    assert journal["scope"] == f"{sandbox_env.tenancy_id} {sandbox_env.endpoint}"
    again = run_cli("publish", "stk", "--format", "json")
    assert again.exit_code == 0 and json.loads(again.stdout)["calls"]["writes"] == 0
    # Another endpoint's run starts from an empty journal and records its own scope.
    assert run_cli("publish", "stk", "--sandbox").exit_code == 0
    assert _journal(project)["scope"] != journal["scope"]
    assert _journal(project)["ids"] != journal["ids"]
