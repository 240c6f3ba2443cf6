"""A re-published listing (its published revision cloned) imports with its images."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import api_for, fast, set_field
from tests.conftest import RunCli


def test_import_after_a_clone_gets_the_icon_and_screenshots(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fast(monkeypatch)
    assert run_cli("init", "src", "--kind", "image", "--non-interactive").exit_code == 0
    listing = tmp_path / "src" / "listing.yaml"
    set_field(listing, "  banner: assets/banner.png\n",
              "  banner: assets/banner.png\n  screenshots: [assets/icon.png]\n")
    first = run_cli("publish", "src", "--private", "--format", "json")
    assert first.exit_code == 0, first.stderr
    listing_id = json.loads(first.stdout)["ids"]["listing"]

    text = listing.read_text()
    old = next(line for line in text.splitlines() if line.startswith("  tagline:"))
    set_field(listing, old, "  tagline: A new tagline for the second release")
    second = run_cli("publish", "src", "--private", "--format", "json")
    assert second.exit_code == 0, second.stderr
    api = api_for(sandbox_env)
    revisions = api.list_revisions(listing_id)
    assert len(revisions) == 2  # the published revision was cloned, not edited

    result = run_cli("import", "--listing-id", listing_id, "copy", "--format", "json")
    assert result.exit_code == 0, result.stderr
    icon = (tmp_path / "src/assets/icon.png").read_bytes()
    assert (tmp_path / "copy/assets/icon.png").read_bytes() == icon
    assert (tmp_path / "copy/assets/screenshot-1.png").read_bytes() == icon
    # Each revision serves its images at its own URL.
    for rev in revisions:
        full = api.get_revision(rev.id)
        for media in ("icon", "banner"):
            assert f"/{rev.id}/" in (full.metadata.get(media) or {})["contentUrl"]
