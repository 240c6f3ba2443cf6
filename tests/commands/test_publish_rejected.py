"""A REJECTED revision is not resubmitted by a run that changed nothing (unless --resubmit)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import fast, set_field, write_routes
from tests.conftest import RunCli


def _submits(sb: Sandbox) -> int:
    return sum(n for route, n in write_routes(sb).items() if "submit" in route.lower())


@pytest.fixture
def rejected(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Path:
    """An image listing whose first submission the reviewer rejected."""
    fast(monkeypatch)
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    sandbox_env.set_reviewer(
        mode="reject", after_polls=1, note="The short description is too vague."
    )
    first = run_cli("publish", "img", "--private")
    assert first.exit_code == 1 and "too vague" in first.stdout
    assert _submits(sandbox_env) == 1
    sandbox_env.set_reviewer(mode="auto", after_polls=1)
    return tmp_path / "img"


def test_an_unchanged_rerun_shows_the_notes_and_does_not_resubmit(
    run_cli: RunCli, rejected: Path, sandbox_env: Sandbox
) -> None:
    for target in ("--private", "--submit", "--public"):
        extra = ("--confirm-public",) if target == "--public" else ()
        again = run_cli("publish", "img", target, *extra)
        assert again.exit_code == 1, again.stderr
        assert "too vague" in again.stdout and "short_description" in again.stdout
        assert "listing.yaml:" in again.stdout
        assert "nothing changed since" in again.stderr
        assert "change listing.yaml (or pass --resubmit) and run again" in again.stderr
    as_json = run_cli("publish", "img", "--private", "--format", "json")
    assert as_json.exit_code == 1
    review = json.loads(as_json.stdout)["review"]
    assert review["status"] == "REJECTED"
    assert review["notes"][0]["field"] == "listing.short_description"
    assert _submits(sandbox_env) == 1  # none of these runs submitted again


def test_resubmit_forces_a_new_submission(
    run_cli: RunCli, rejected: Path, sandbox_env: Sandbox
) -> None:
    result = run_cli("publish", "img", "--private", "--resubmit", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["statuses"]["revision"] == "PUBLISHED_AS_PRIVATE"
    assert _submits(sandbox_env) == 2


def test_a_changed_listing_is_resubmitted_without_the_flag(
    run_cli: RunCli, rejected: Path, sandbox_env: Sandbox
) -> None:
    set_field(rejected / "listing.yaml", "A small web application", "A tiny web application")
    result = run_cli("publish", "img", "--private", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["statuses"]["revision"] == "PUBLISHED_AS_PRIVATE"
    assert _submits(sandbox_env) == 2


def test_resubmit_needs_a_submitting_target(run_cli: RunCli, rejected: Path) -> None:
    result = run_cli("publish", "img", "--resubmit")
    assert result.exit_code == 2
    assert "--resubmit" in result.stderr
