"""The crash matrix for the retiring commands: kill `ocmp withdraw`, `ocmp unpublish` and
`ocmp delete` right after each write (before the journal records it), re-run, compare with
a clean run: same final state, no write issued twice (the sandbox refuses a second withdraw
or unpublish while the first is in flight, so a re-issued write would fail the re-run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import bump_version, inventory, write_routes
from tests.commands.test_publish_recovery import CRASH_EXIT, _ocmp
from tests.conftest import RunCli

UNPUBLISH = "POST /20241201/listingRevisionPackages/<listingRevisionPackageId>/actions/unPublish"


def _published(run_cli: RunCli, sb: Sandbox, tmp_path: Path, versions: int = 1) -> None:
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    assert _ocmp(sb, tmp_path, "publish", "img", "--private").returncode == 0
    if versions == 2:
        bump_version(tmp_path / "img/listing.yaml", "1.1.0")
        assert _ocmp(sb, tmp_path, "publish", "img", "--private").returncode == 0


@pytest.mark.parametrize(
    ("action", "args", "versions"),
    [
        ("withdraw", (), 1),
        ("unpublish", ("--package-version", "1.0.0"), 2),
        ("delete", ("--confirm", "Acme Demo App"), 1),
    ],
)
def test_a_crash_after_the_write_recovers(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path, action: str, args: tuple[str, ...],
    versions: int,
) -> None:
    _published(run_cli, sandbox, tmp_path, versions)
    if action == "delete":
        assert _ocmp(sandbox, tmp_path, "withdraw", "img").returncode == 0
    sandbox.reset_stats()
    crashed = _ocmp(sandbox, tmp_path, action, "img", *args, OCMP_TEST_CRASH_AFTER_WRITE="1")
    assert crashed.returncode == CRASH_EXIT, crashed.stderr
    assert sum(write_routes(sandbox).values()) == 1
    rerun = _ocmp(sandbox, tmp_path, action, "img", *args, "--format", "json")
    assert rerun.returncode == 0, rerun.stderr
    assert sum(write_routes(sandbox).values()) == 1, write_routes(sandbox)  # waited, not re-sent
    after = inventory(sandbox)
    if action == "withdraw":
        assert after["revision_statuses"] == ["UNPUBLISHED"]
    elif action == "unpublish":
        assert json.loads(rerun.stdout)["changes"][0]["target"] == "package 1.0.0"
        status = _ocmp(sandbox, tmp_path, "status", "img", "--all", "--format", "json")
        packages = json.loads(status.stdout)["packages"]
        assert sorted((p["version"], p["status"]) for p in packages) == [
            ("1.0.0", "UNPUBLISHED"), ("1.1.0", "PUBLISHED_AS_PRIVATE")]
    else:
        assert after["listings"] == {}
    final = _ocmp(sandbox, tmp_path, action, "img", *args, "--format", "json")
    assert json.loads(final.stdout)["up_to_date"]


def test_a_crash_after_the_step_is_journaled_recovers(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path
) -> None:
    _published(run_cli, sandbox, tmp_path)
    crashed = _ocmp(sandbox, tmp_path, "withdraw", "img", OCMP_TEST_CRASH_AFTER_STEP="withdraw")
    assert crashed.returncode == CRASH_EXIT, crashed.stderr
    rerun = _ocmp(sandbox, tmp_path, "withdraw", "img", "--format", "json")
    assert rerun.returncode == 0 and json.loads(rerun.stdout)["up_to_date"]


@pytest.mark.parametrize("crash", ["after-publish-step", "after-retire-step"])
def test_keep_published_resumes_after_a_crash(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path, crash: str
) -> None:
    """`ocmp publish` with keep_published dies before its retire step, or after it;
    the re-run unpublishes the old version once and ends where a clean run ends."""
    _published(run_cli, sandbox, tmp_path)
    bump_version(tmp_path / "img/listing.yaml", "1.1.0", "\n  keep_published: 1")
    step = "publish" if crash == "after-publish-step" else "retire"
    sandbox.reset_stats()
    crashed = _ocmp(sandbox, tmp_path, "publish", "img", "--private",
                    OCMP_TEST_CRASH_AFTER_STEP=step)
    assert crashed.returncode == CRASH_EXIT, crashed.stderr
    assert write_routes(sandbox).get(UNPUBLISH, 0) == (0 if step == "publish" else 1)
    sandbox.reset_stats()
    rerun = _ocmp(sandbox, tmp_path, "publish", "img", "--private", "--format", "json")
    assert rerun.returncode == 0, rerun.stderr
    unpublishes = write_routes(sandbox).get(UNPUBLISH, 0)
    assert unpublishes == (1 if crash == "after-publish-step" else 0)
    status = _ocmp(sandbox, tmp_path, "status", "img", "--all", "--format", "json")
    packages = json.loads(status.stdout)["packages"]
    assert sorted((p["version"], p["status"]) for p in packages) == [
        ("1.0.0", "UNPUBLISHED"), ("1.1.0", "PUBLISHED_AS_PRIVATE")]
