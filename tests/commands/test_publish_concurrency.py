"""Independent requests go out concurrently; what the run reports stays exact and ordered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import api_for, fast, set_field
from tests.conftest import RunCli


def _attachment_changes(report: dict[str, object]) -> list[tuple[str, str]]:
    changes = report["changes"]
    assert isinstance(changes, list)
    return [(c["action"], c["target"]) for c in changes if c["step"] == "attachments"]


def test_parallel_uploads_are_counted_recorded_in_order_and_complete(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fast(monkeypatch)
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    listing = tmp_path / "img" / "listing.yaml"
    shots = "  screenshots: [assets/icon.png, assets/banner.png]\n"
    set_field(listing, "  banner: assets/banner.png\n", "  banner: assets/banner.png\n" + shots)

    plan = run_cli("plan", "img", "--format", "json")
    assert plan.exit_code == 0, plan.stderr
    planned = _attachment_changes(json.loads(plan.stdout))
    assert len(planned) >= 3  # the screenshots and the document

    sandbox_env.reset_stats()
    result = run_cli("publish", "img", "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    # the changes are recorded in the planned order although the uploads overlap
    assert _attachment_changes(report) == planned
    # every request sent from any worker thread is counted, none twice
    served = sandbox_env.stats()
    assert report["calls"]["requests"] == served["requests"]
    assert report["calls"]["writes"] == served["writes"]
    # each screenshot got its bytes, the icon and banner theirs, each exactly once
    puts = {route: n for route, n in served["by_route"].items() if route.startswith("PUT ")}
    shot_puts = sum(n for route, n in puts.items() if "listingRevisionAttachments" in route)
    assert shot_puts == 2
    assert sum(n for route, n in puts.items() if route.endswith(("/icon/content",
                                                                  "/banner/content"))) == 2
    api = api_for(sandbox_env)
    attachments = api.list_attachments(report["ids"]["revision"])
    assert len(attachments) == len(planned)

    again = run_cli("publish", "img", "--format", "json")
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)["calls"]["writes"] == 0
