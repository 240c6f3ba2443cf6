"""Behaviour in CI logs: every retry visible, a dead endpoint named at once and not waited
for, --quiet, timestamped step lines and wait lines off a terminal, secrets redacted."""

from __future__ import annotations

import re
import time

import pytest

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import fast
from tests.conftest import RunCli

STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ "


def test_every_retry_is_a_line_with_attempt_status_endpoint_and_delay(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    monkeypatch.setenv("OCMP_RETRY_MAX_ATTEMPTS", "4")
    sandbox_env.add_fault(method="GET", path_regex="/20241201/listings", status=503, count=2)
    result = run_cli("status", "img")
    assert result.exit_code == 1  # not published yet: the answer came after two retries
    retries = [line for line in result.stderr.splitlines() if "retrying in" in line]
    assert len(retries) == 2
    endpoint = re.escape(sandbox_env.endpoint)
    assert re.fullmatch(
        STAMP + rf"attempt 1 of 4: publisher\.list_listings at {endpoint}/20241201: "
        r"503 \w+; retrying in \d+\.\ds",
        retries[0],
    ), retries[0]
    assert retries[1].startswith(retries[1][:21]) and "attempt 2 of 4" in retries[1]


def test_a_refused_endpoint_is_named_at_once_and_not_retried(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    monkeypatch.setenv("OCMP_ENDPOINT", "http://127.0.0.1:1")
    monkeypatch.setenv("OCMP_RETRY_BASE_DELAY", "5")  # a retry would show in the time
    started = time.monotonic()
    result = run_cli("status", "img")
    assert time.monotonic() - started < 5
    assert result.exit_code == 4
    assert "retrying" not in result.stderr
    assert (
        "publisher.list_listings: cannot reach the service at http://127.0.0.1:1/20241201: "
        "connection refused" in result.stderr
    )


def test_a_dropped_connection_after_answers_is_still_retried(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    sandbox_env.add_fault(method="GET", path_regex="/20241201/listings", status=200, count=1,
                          drop_connection=True)
    result = run_cli("status", "img")
    assert result.exit_code == 1, result.stderr
    assert "attempt 1 of 8: publisher.list_listings" in result.stderr


def test_quiet_keeps_only_errors_on_stderr(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast(monkeypatch)
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    sandbox_env.add_fault(method="GET", path_regex="/20241201/listings", status=503, count=1)
    quiet = run_cli("--quiet", "publish", "img")
    assert quiet.exit_code == 0
    assert quiet.stderr == ""
    assert "changes made" in quiet.stdout
    assert run_cli("-q", "validate", "nowhere").stderr.startswith("error: ")


def test_publish_progress_off_a_terminal_is_timestamped_lines_with_waits(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast(monkeypatch)
    monkeypatch.setenv("OCMP_PROGRESS_INTERVAL", "0")  # every poll of a wait gets its line
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    result = run_cli("publish", "img", "--private")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    steps = [line for line in lines if re.match(STAMP + r"  (done|skipped) ", line)]
    assert [re.sub(STAMP, "", s).split()[1].rstrip(":") for s in steps][:3] == [
        "terms", "artifact", "listing"
    ]
    assert any(re.match(STAMP + r"  waiting for .+: \d+s", line) for line in lines)
    assert "\x1b[" not in result.stderr  # no colour, no cursor movement
    assert not any(c in result.stderr for c in "⠋⠙⠹⠸")  # no spinner frames


def test_secrets_in_an_endpoint_are_redacted(run_cli: RunCli, sandbox_env: Sandbox) -> None:
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    result = run_cli("status", "img", "--endpoint", "http://bob:hunter2@127.0.0.1:1",
                     "--format", "json")
    assert result.exit_code == 3
    assert "hunter2" not in result.stderr and "hunter2" not in result.stdout
    assert "bob:***@127.0.0.1:1" in result.stderr
