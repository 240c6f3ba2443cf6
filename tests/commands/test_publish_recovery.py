"""Crash recovery: kill `ocmp publish` after every write it makes, re-run, compare.

The engine's test hooks (documented in ``ocmp/core/publish/run.py``):
``OCMP_TEST_CRASH_AFTER_WRITE=N`` ends the process (``os._exit(86)``) right after its N-th
write call returned — before the journal records it, the worst moment — and
``OCMP_TEST_CRASH_AFTER_STEP=NAME`` right after step NAME is journaled. Each crash runs in
a real subprocess against the in-process sandbox; the re-run must reach the same final
state as a clean run, with no duplicate listing, revision, package, artifact or term.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ocmp.sandbox import Sandbox
from tests.commands.publish_recovery_support import CRASH_EXIT
from tests.commands.publish_recovery_support import ocmp as _ocmp
from tests.commands.publish_support import inventory, rm_stacks
from tests.conftest import RunCli


def _project(run_cli: RunCli, tmp_path: Path) -> Path:
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    return tmp_path / "img"


@pytest.mark.slow
def test_a_crash_after_any_write_recovers_to_the_clean_state(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path
) -> None:
    project = _project(run_cli, tmp_path)
    clean = _ocmp(sandbox, tmp_path, "publish", "img", "--private", "--format", "json")
    assert clean.returncode == 0, clean.stderr
    total_writes = json.loads(clean.stdout)["calls"]["writes"]
    expected = inventory(sandbox)
    assert total_writes >= 8
    for n in range(1, total_writes + 1):
        sandbox.reset()
        shutil.rmtree(project / ".ocmp", ignore_errors=True)
        crashed = _ocmp(
            sandbox, tmp_path, "publish", "img", "--private", OCMP_TEST_CRASH_AFTER_WRITE=str(n)
        )
        assert crashed.returncode == CRASH_EXIT, (n, crashed.stderr)
        rerun = _ocmp(sandbox, tmp_path, "publish", "img", "--private", "--format", "json")
        assert rerun.returncode == 0, (n, rerun.stderr)
        assert json.loads(rerun.stdout)["statuses"]["revision"] == "PUBLISHED_AS_PRIVATE"
        assert inventory(sandbox) == expected, f"after a crash following write {n}"


@pytest.mark.slow
# Every write is covered above; these check that a journaled step is resumed, not redone.
@pytest.mark.parametrize("step", ["artifact", "revision", "review"])
def test_a_crash_after_each_step_resumes_from_the_journal(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path, step: str
) -> None:
    _project(run_cli, tmp_path)
    crashed = _ocmp(
        sandbox, tmp_path, "publish", "img", "--private", OCMP_TEST_CRASH_AFTER_STEP=step
    )
    assert crashed.returncode == CRASH_EXIT, crashed.stderr
    journal = json.loads((tmp_path / "img/.ocmp/state/acme-demo-app.json").read_text())
    assert step in journal["completed"]
    rerun = _ocmp(sandbox, tmp_path, "publish", "img", "--private", "--format", "json")
    assert rerun.returncode == 0, rerun.stderr
    inv = inventory(sandbox)
    assert (inv["listings"], inv["revisions"], inv["packages"], inv["artifacts"], inv["terms"]) == (
        {"Acme Demo App": 1},
        1,
        1,
        1,
        1,
    )
    assert inv["revision_statuses"] == ["PUBLISHED_AS_PRIVATE"]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "ci-cancel"])
def test_ctrl_c_or_sigterm_exits_5_and_the_rerun_finishes(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path, signum: signal.Signals
) -> None:
    import time

    _project(run_cli, tmp_path)
    sandbox.set_reviewer(mode="manual")
    env = {
        **os.environ,
        "OCMP_ENDPOINT": sandbox.endpoint,
        "OCI_CLI_CONFIG_FILE": str(sandbox.config_file),
        "OCI_CLI_PROFILE": sandbox.profile,
        "OCMP_POLL_INTERVAL": "0.05",
        "NO_COLOR": "1",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "ocmp", "publish", "img", "--private"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until it is waiting for the reviewer
        if any(
            r["status"] in {"PENDING_REVIEW", "REVIEW_IN_PROGRESS"} for r in _revisions(sandbox)
        ):
            break
        time.sleep(0.05)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 5, err
    assert "interrupted" in err
    sandbox.set_reviewer(mode="auto", after_polls=1)
    rerun = _ocmp(sandbox, tmp_path, "publish", "img", "--private", "--format", "json")
    assert rerun.returncode == 0, rerun.stderr
    assert inventory(sandbox)["revisions"] == 1


def _revisions(sb: Sandbox) -> list[dict[str, str]]:
    from tests.commands.publish_support import api_for

    api = api_for(sb)
    return [
        {"status": str(r.status)}
        for lst in api.find_listings(sb.tenancy_id)
        for r in api.list_revisions(lst.id)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("write", [1, 6])  # right after the RM stack; right after the artifact
def test_a_stack_listing_recovers_from_a_crash(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path, write: int
) -> None:
    assert run_cli("init", "stk", "--kind", "stack", "--non-interactive").exit_code == 0
    crashed = _ocmp(
        sandbox, tmp_path, "publish", "stk", "--private", OCMP_TEST_CRASH_AFTER_WRITE=str(write)
    )
    assert crashed.returncode == CRASH_EXIT, crashed.stderr
    rerun = _ocmp(sandbox, tmp_path, "publish", "stk", "--private", "--format", "json")
    assert rerun.returncode == 0, rerun.stderr
    inv = inventory(sandbox)
    assert (inv["revisions"], inv["packages"], inv["artifacts"], inv["terms"]) == (1, 1, 1, 1)
    assert len(rm_stacks(sandbox)) == 1
