"""`ocmp import`: a live listing back to a project that `ocmp diff` finds in sync."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import fast
from tests.conftest import RunCli


@pytest.mark.parametrize("kind", ["image", "stack"])
def test_import_round_trips_a_published_listing(
    run_cli: RunCli,
    sandbox_env: Sandbox,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    kind: str,
) -> None:
    fast(monkeypatch)
    assert run_cli("init", "src", "--kind", kind, "--non-interactive").exit_code == 0
    published = run_cli("publish", "src", "--private", "--format", "json")
    assert published.exit_code == 0, published.stderr
    listing_id = json.loads(published.stdout)["ids"]["listing"]

    result = run_cli("import", "--listing-id", listing_id, "copy", "--format", "json")
    assert result.exit_code == 0, result.stderr
    imported = json.loads(result.stdout)
    assert "listing.yaml" in imported["files"] and "assets/icon.png" in imported["files"]
    assert any("banner" in note for note in imported["skipped"])
    copy = tmp_path / "copy"
    assert (copy / "terms/eula.md").read_bytes() == (tmp_path / "src/terms/eula.md").read_bytes()
    assert (copy / "docs/usage.md").read_text() == (tmp_path / "src/docs/usage.md").read_text()
    if kind == "stack":
        assert (copy / "terraform/variables.tf").read_bytes() == (
            tmp_path / "src/terraform/variables.tf"
        ).read_bytes()
    assert run_cli("validate", "copy").exit_code in (0, 1)  # loads; findings are the rules' say
    # The imported project describes exactly the live listing.
    drift = run_cli("diff", "copy", "--format", "json")
    assert drift.exit_code == 0, drift.stdout
    # Importing into a non-empty directory is refused, nothing written.
    again = run_cli("import", "--listing-id", listing_id, "copy")
    assert again.exit_code == 3 and "not empty" in again.stderr


def test_import_of_an_unknown_listing_exits_4(
    run_cli: RunCli, sandbox_env: Sandbox, tmp_path: Path
) -> None:
    result = run_cli("import", "--listing-id", "ocid1.mktpublisting.oc1.iad.nosuch", "x")
    assert result.exit_code == 4
    assert not (tmp_path / "x").exists()
