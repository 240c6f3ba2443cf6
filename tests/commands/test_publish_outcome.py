"""The JSON report of a publish that fails never claims the listing is up to date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import fast
from tests.conftest import RunCli


@pytest.mark.parametrize("command", ["publish", "plan"])
def test_a_run_that_fails_at_the_first_read_is_not_up_to_date(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    command: str,
) -> None:
    fast(monkeypatch)
    monkeypatch.setenv("OCMP_RETRY_MAX_ATTEMPTS", "1")
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    sandbox_env.add_fault(method="GET", path_regex=r"/20241201/terms", status=500,
                          code="InternalServerError", message="boom", count=50)
    result = run_cli(command, "img", "--format", "json")
    assert result.exit_code == 4, result.stderr
    report = json.loads(result.stdout)
    assert report["changes"] == [] and "boom" in report["error"]["message"]
    assert report["up_to_date"] is False  # was True: CI scripts read it as "nothing to do"
    assert report["steps"]["terms"] == "failed"
