"""One publish per listing at a time (issue 10, defect 8)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import api_for, fast
from tests.conftest import RunCli

LOCK = ".ocmp/locks/acme-demo-app.lock"


def _pending(sb: Sandbox) -> bool:
    api = api_for(sb)
    return any(str(r.status) in {"PENDING_REVIEW", "REVIEW_IN_PROGRESS"}
               for listing in api.find_listings(sb.tenancy_id)
               for r in api.list_revisions(listing.id))


def test_a_second_publish_of_the_same_listing_names_the_run_holding_it(
    run_cli: RunCli, sandbox_env: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast(monkeypatch)
    assert run_cli("init", "img", "--non-interactive").exit_code == 0
    sandbox_env.set_reviewer(mode="manual")
    first = subprocess.Popen([sys.executable, "-m", "ocmp", "publish", "img", "--private"],
                             cwd=tmp_path, env={**os.environ, "NO_COLOR": "1"},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not _pending(sandbox_env) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (tmp_path / "img" / LOCK).is_file()
        second = run_cli("publish", "img", "--private")
        assert second.exit_code == 5, second.stderr
        assert f"another ocmp run (pid {first.pid} on {socket.gethostname()}" in second.stderr
        assert "is publishing 'Acme Demo App'" in second.stderr
    finally:
        first.terminate()
        _, err = first.communicate(timeout=30)
    assert first.returncode == 5, err
    assert not (tmp_path / "img" / LOCK).exists()  # released on the way out
    sandbox_env.set_reviewer(mode="auto", after_polls=1)
    assert run_cli("publish", "img", "--private").exit_code == 0
    assert not (tmp_path / "img" / LOCK).exists()


@pytest.mark.parametrize("holder", ["dead-pid", "not-ocmp", "garbage"])
def test_a_stale_lock_is_taken_over(
    run_cli: RunCli, sandbox_env: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    holder: str,
) -> None:
    fast(monkeypatch)
    assert run_cli("init", "img", "--non-interactive").exit_code == 0
    lock = tmp_path / "img" / LOCK
    lock.parent.mkdir(parents=True)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        if holder == "dead-pid":
            done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                                  capture_output=True, text=True, check=True)
            pid = int(done.stdout)
        else:
            pid = other.pid  # alive, but not an ocmp run: a recycled pid
        text = "{half" if holder == "garbage" else json.dumps(
            {"pid": pid, "host": socket.gethostname(), "started": "2026-01-01T00:00:00+00:00"})
        lock.write_text(text)
        result = run_cli("publish", "img", "--private")
        assert result.exit_code == 0, result.stderr
        assert not lock.exists()
    finally:
        other.kill()
        other.wait()
