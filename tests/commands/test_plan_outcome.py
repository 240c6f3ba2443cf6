"""`ocmp plan` says what would happen, never a future state as the live one; `ocmp diff`
compares with what is live; `--sandbox` says its state does not outlive the command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import api_for, set_field
from tests.conftest import RunCli

HEADLINE = "A ready-to-run demo application for OCI"


def _json(run_cli: RunCli, *args: str, code: int = 0) -> dict[str, Any]:
    result = run_cli(*args, "--format", "json")
    assert result.exit_code == code, result.stderr
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def test_a_plan_of_a_new_listing_names_what_it_would_create_and_the_target_as_a_target(
    run_cli: RunCli, project: Path
) -> None:
    plan = _json(run_cli, "publish", "img", "--dry-run", "--private")
    assert plan["ids"] == {}  # nothing exists yet: no placeholder ids
    assert plan["would_create"] == ["term", "term_version", "artifact", "listing", "revision",
                                    "package"]
    assert "revision" not in plan["statuses"]  # a revision that does not exist has no status
    assert plan["target_status"] == "PUBLISHED_AS_PRIVATE"
    assert set(plan["steps"].values()) <= {"planned", "skipped"}  # nothing was "done"
    assert plan["steps"]["listing"] == "planned" and plan["steps"]["review"] == "skipped"

    human = run_cli("publish", "img", "--dry-run", "--private")
    assert human.exit_code == 0, human.stderr
    assert "listing   none yet: it would be created" in human.stdout
    assert "revision  none yet: it would be created" in human.stdout
    assert "(new)" not in human.stdout
    assert "target: the revision ends PUBLISHED_AS_PRIVATE once `ocmp publish`" in human.stdout
    steps = [line for line in human.stderr.splitlines() if " listing" in line]
    assert steps and all(" done " not in line for line in steps), human.stderr


def test_a_plan_against_a_published_listing_keeps_the_live_revision_apart(
    run_cli: RunCli, project: Path
) -> None:
    published = _json(run_cli, "publish", "img", "--private")
    live_id = published["ids"]["revision"]
    assert published["statuses"]["revision"] == "PUBLISHED_AS_PRIVATE"
    assert "would_create" not in published and "target_status" not in published

    set_field(project / "listing.yaml", HEADLINE, "A sharper headline")
    plan = _json(run_cli, "plan", "img")
    assert [c["action"] for c in plan["changes"]][:2] == ["clone", "update"]
    # The new draft does not exist; the published revision stays what it is.
    assert "revision" not in plan["ids"] and "revision" in plan["would_create"]
    assert plan["ids"]["live_revision"] == live_id
    assert plan["statuses"]["live_revision"] == "PUBLISHED_AS_PRIVATE"
    assert "revision" not in plan["statuses"]
    assert plan["target_status"] == "NEW"  # a plan of a draft: the clone is a NEW draft
    human = run_cli("plan", "img").stdout
    assert "revision  none yet: it would be cloned from the live revision" in human
    assert f"live      {live_id} PUBLISHED_AS_PRIVATE" in human


def test_an_up_to_date_plan_aims_at_nothing(run_cli: RunCli, project: Path) -> None:
    assert run_cli("publish", "img").exit_code == 0
    plan = _json(run_cli, "plan", "img")
    assert plan["changes"] == [] and plan["up_to_date"] is True
    assert plan["would_create"] == [] and plan["target_status"] is None
    assert set(plan["steps"].values()) == {"skipped"}
    assert plan["statuses"]["revision"] == "NEW"  # the live draft, as it is


def test_diff_compares_with_the_published_revision_and_names_the_draft_beside_it(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    published = _json(run_cli, "publish", "img", "--private")
    live_id = published["ids"]["revision"]
    listing = project / "listing.yaml"
    set_field(listing, HEADLINE, "A sharper headline")
    draft = _json(run_cli, "publish", "img")  # a draft with the new headline, not published
    draft_id = draft["ids"]["revision"]
    assert draft_id != live_id and draft["statuses"]["revision"] == "NEW"

    drift = _json(run_cli, "diff", "img", code=1)  # the draft is in sync; the live one is not
    fields = [f for c in drift["changes"] for f in c["fields"]]
    assert fields == [{"field": "headline", "live": HEADLINE, "desired": "A sharper headline"}]
    assert drift["compared_with"] == {"revision": live_id, "status": "PUBLISHED_AS_PRIVATE",
                                      "draft": draft_id, "draft_status": "NEW"}
    # Differences, not a plan: the revision shown is the live one, nothing "to be created".
    assert drift["ids"]["revision"] == live_id and "live_revision" not in drift["ids"]
    assert drift["would_create"] == [] and drift["target_status"] is None
    human = run_cli("diff", "img")
    assert human.exit_code == 1
    assert f"compared with revision {live_id} (PUBLISHED_AS_PRIVATE)" in human.stdout
    assert f"a draft revision {draft_id} (NEW) exists beside it" in human.stdout
    assert "would be" not in human.stdout and "target:" not in human.stdout
    # `plan` still works on the draft: it already carries the change.
    assert _json(run_cli, "plan", "img")["changes"] == []

    set_field(listing, "A sharper headline", HEADLINE)  # back to what is live
    same = _json(run_cli, "diff", "img")
    assert same["changes"] == [] and same["compared_with"]["revision"] == live_id
    assert api_for(sandbox_env).get_revision(live_id).status == "PUBLISHED_AS_PRIVATE"


def test_diff_of_a_listing_never_published_compares_with_its_draft(
    run_cli: RunCli, project: Path
) -> None:
    draft = _json(run_cli, "publish", "img")
    doc = _json(run_cli, "diff", "img")
    assert doc["compared_with"] == {"revision": draft["ids"]["revision"], "status": "NEW",
                                    "draft": None, "draft_status": None}
    assert "exists beside it" not in run_cli("diff", "img").stdout


def test_sandbox_runs_say_that_their_state_is_gone_and_how_to_keep_it(
    run_cli: RunCli, tmp_path: Path, monkeypatch: Any
) -> None:
    from tests.commands.publish_support import fast

    fast(monkeypatch)
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    keep = "ocmp sandbox serve --state .sandbox.sqlite"
    published = run_cli("publish", "img", "--sandbox")
    assert published.exit_code == 0, published.stderr
    assert "lived in this command's sandbox only" in published.stderr and keep in published.stderr
    status = run_cli("status", "img", "--sandbox")
    assert status.exit_code == 1  # a fresh sandbox: the listing is not there
    assert "not in this fresh sandbox" in status.stderr and keep in status.stderr
    diff = run_cli("diff", "img", "--sandbox")
    assert diff.exit_code == 1 and keep in diff.stderr
    plan = run_cli("plan", "img", "--sandbox", "--format", "json")
    assert plan.exit_code == 0 and keep in plan.stderr
    assert json.loads(plan.stdout)["would_create"][:1] == ["term"]  # stdout: the document only


def test_runs_against_a_kept_sandbox_give_no_sandbox_hint(
    run_cli: RunCli, project: Path
) -> None:
    published = run_cli("publish", "img")  # the test's sandbox is a kept endpoint
    assert published.exit_code == 0 and "sandbox serve --state" not in published.stderr
    status = run_cli("status", "img")
    assert status.exit_code == 0 and "fresh sandbox" not in status.stderr
