"""Crash matrix of an update (the published revision is cloned) and of the stack flow.

Issue 10, defect 2: a publish interrupted right after the clone request, then re-run,
published a revision with every attachment twice. Here each write of the run is the
crash point (``OCMP_TEST_CRASH_AFTER_WRITE=N``, in a real subprocess), the re-run must
succeed, and the final state must equal a clean run's: no duplicate of any resource
kind, attachments (by type, name and uploaded content) included.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ocmp.sandbox import Sandbox
from tests.commands.publish_recovery_support import CRASH_EXIT, attachment_sets, ocmp
from tests.commands.publish_support import fast, inventory, rm_stacks, set_field
from tests.conftest import RunCli

MEDIA = (
    "  banner: assets/banner.png\n"
    "  screenshots: [assets/icon.png, {file: assets/banner.png, name: Banner}]\n"
    "  videos:\n    - name: Tour\n      url: https://acme.example/tour.mp4\n"
)


def _image_project(run_cli: RunCli, tmp_path: Path) -> Path:
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    set_field(tmp_path / "img/listing.yaml", "  banner: assets/banner.png\n", MEDIA)
    return tmp_path / "img"


def _edit(project: Path) -> None:
    listing = project / "listing.yaml"
    old = next(ln for ln in listing.read_text().splitlines() if ln.startswith("  tagline:"))
    set_field(listing, old, "  tagline: A new tagline for the second release")


def _state(sb: Sandbox) -> tuple[dict[str, object], list[list[tuple[str, str, bool]]]]:
    return inventory(sb), attachment_sets(sb)


@pytest.mark.slow
def test_a_crash_after_any_write_of_an_update_recovers_without_duplicates(
    run_cli: RunCli, sandbox_env: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast(monkeypatch)
    project = _image_project(run_cli, tmp_path)
    original = (project / "listing.yaml").read_text()

    def first_release() -> None:
        sandbox_env.reset()
        shutil.rmtree(project / ".ocmp", ignore_errors=True)
        (project / "listing.yaml").write_text(original)
        first = run_cli("publish", "img", "--private")
        assert first.exit_code == 0, first.stderr
        _edit(project)

    first_release()
    clean = run_cli("publish", "img", "--private", "--format", "json")
    assert clean.exit_code == 0, clean.stderr
    report = json.loads(clean.stdout)
    assert any(c["action"] == "clone" for c in report["changes"])
    total = report["calls"]["writes"]
    expected = _state(sandbox_env)
    inv, sets = expected
    assert inv["revisions"] == 2 and inv["attachments"] == 2 * 4  # 2 screenshots, doc, video
    assert all(len(s) == len(set(s)) == 4 for s in sets), sets
    assert total >= 4
    for n in range(1, total + 1):
        first_release()
        crashed = ocmp(sandbox_env, tmp_path, "publish", "img", "--private",
                       OCMP_TEST_CRASH_AFTER_WRITE=str(n))
        assert crashed.returncode == CRASH_EXIT, (n, crashed.stderr)
        rerun = run_cli("publish", "img", "--private", "--format", "json")
        assert rerun.exit_code == 0, (n, rerun.stderr)
        assert _state(sandbox_env) == expected, f"after a crash following write {n}"


@pytest.mark.slow
@pytest.mark.parametrize("update", [False, True], ids=["first-publish", "update"])
def test_a_crash_after_any_write_of_the_stack_flow_recovers(
    run_cli: RunCli, sandbox_env: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    update: bool,
) -> None:
    fast(monkeypatch)
    assert run_cli("init", "stk", "--kind", "stack", "--non-interactive").exit_code == 0
    project = tmp_path / "stk"
    original = (project / "listing.yaml").read_text()

    def before() -> None:
        sandbox_env.reset()
        shutil.rmtree(project / ".ocmp", ignore_errors=True)
        (project / "listing.yaml").write_text(original)
        if update:
            assert run_cli("publish", "stk", "--private").exit_code == 0
            _edit(project)

    before()
    clean = run_cli("publish", "stk", "--private", "--format", "json")
    assert clean.exit_code == 0, clean.stderr
    total = json.loads(clean.stdout)["calls"]["writes"]
    expected = (_state(sandbox_env), len(rm_stacks(sandbox_env)))
    for n in range(1, total + 1):
        before()
        crashed = ocmp(sandbox_env, tmp_path, "publish", "stk", "--private",
                       OCMP_TEST_CRASH_AFTER_WRITE=str(n))
        assert crashed.returncode == CRASH_EXIT, (n, crashed.stderr)
        rerun = run_cli("publish", "stk", "--private", "--format", "json")
        assert rerun.exit_code == 0, (n, rerun.stderr)
        assert (_state(sandbox_env), len(rm_stacks(sandbox_env))) == expected, n
