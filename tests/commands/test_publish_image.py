"""`ocmp publish` of an image listing against the sandbox, through the real SDK."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import (
    ThrottlingProxy,
    inventory,
    set_field,
    write_routes,
    writes,
)
from tests.conftest import RunCli


def publish(run_cli: RunCli, *args: str) -> dict:
    result = run_cli("publish", "img", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_first_publish_private_then_a_rerun_is_a_no_op(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    report = publish(run_cli, "--private")
    assert report["statuses"]["revision"] == "PUBLISHED_AS_PRIVATE"
    assert {c["step"] for c in report["changes"]} >= {
        "terms",
        "artifact",
        "listing",
        "revision",
        "package",
        "submit",
        "publish",
    }
    assert set(report["ids"]) >= {"listing", "revision", "package", "artifact", "term"}
    assert report["steps"]["review"] == "done"  # it waited for the reviewer: not "skipped"
    inv = inventory(sandbox_env)
    assert inv["listings"] == {"Acme Demo App": 1}
    assert inv["revisions"] == 1 and inv["packages"] == 1 and inv["artifacts"] == 1
    assert inv["revision_statuses"] == ["PUBLISHED_AS_PRIVATE"]
    assert (project / ".ocmp/state/acme-demo-app.json").exists()

    sandbox_env.reset_stats()
    again = publish(run_cli, "--private")
    assert again["up_to_date"] is True and again["changes"] == []
    assert again["steps"]["review"] == "skipped"
    assert writes(sandbox_env) == 0
    assert again["calls"]["writes"] == 0
    assert again["calls"]["requests"] <= 15
    assert inventory(sandbox_env) == inv


def test_plan_shows_the_changes_and_writes_nothing(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    human = run_cli("plan", "img")
    assert human.exit_code == 0, human.stderr
    assert "create" in human.stdout and "listing 'Acme Demo App'" in human.stdout
    result = run_cli("plan", "img", "--format", "json")
    plan = json.loads(result.stdout)
    dry = json.loads(run_cli("publish", "img", "--dry-run", "--format", "json").stdout)
    assert plan["dry_run"] is True and plan["changes"] == dry["changes"]
    assert writes(sandbox_env) == 0
    done = publish(run_cli)
    # the plan announced exactly the writes the run made
    assert [(c["step"], c["action"], c["target"]) for c in done["changes"]] == [
        (c["step"], c["action"], c["target"]) for c in plan["changes"]
    ]
    assert json.loads(run_cli("plan", "img", "--format", "json").stdout)["changes"] == []


def test_changed_description_updates_only_the_revision(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    publish(run_cli)
    set_field(project / "listing.yaml", "A small web application", "A tiny web application")
    plan = json.loads(run_cli("plan", "img", "--format", "json").stdout)
    assert [(c["step"], c["action"]) for c in plan["changes"]] == [("content", "update")]
    assert [f["field"] for f in plan["changes"][0]["fields"]] == ["shortDescription"]
    sandbox_env.reset_stats()
    report = publish(run_cli)
    assert [c["step"] for c in report["changes"]] == ["content"]
    assert list(write_routes(sandbox_env)) == [next(iter(write_routes(sandbox_env)))]
    assert all("/listingRevisions/" in route for route in write_routes(sandbox_env))


def test_a_change_inside_a_block_names_the_key_that_changed(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    # versionDetails is sent whole, but the plan says which of its keys differ: shown
    # whole, the change hid beyond the truncated dict.
    publish(run_cli)
    set_field(project / "listing.yaml", "First release of", "Second cut of")
    plan = json.loads(run_cli("plan", "img", "--format", "json").stdout)
    fields = plan["changes"][0]["fields"]
    assert [f["field"] for f in fields] == ["versionDetails.description"]
    assert fields[0]["live"].startswith("First release of")
    assert fields[0]["desired"].startswith("Second cut of")
    human = run_cli("plan", "img")
    assert "versionDetails.description: First release of" in human.stdout


def test_changed_description_after_private_publication_clones_a_new_draft(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    publish(run_cli, "--private")
    set_field(project / "listing.yaml", "A small web application", "A tiny web application")
    report = publish(run_cli, "--private")
    assert [c["action"] for c in report["changes"]][:2] == ["clone", "update"]
    assert report["statuses"]["revision"] == "PUBLISHED_AS_PRIVATE"
    inv = inventory(sandbox_env)
    assert inv["revisions"] == 2 and inv["artifacts"] == 1 and inv["terms"] == 1


def test_a_plan_moving_the_package_to_a_new_artifact_names_it_not_none(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    publish(run_cli)
    set_field(project / "listing.yaml", "ocpus: {min: 1, max: 64}", "ocpus: {min: 1, max: 32}")
    plan = json.loads(run_cli("plan", "img", "--format", "json").stdout)
    package = [c for c in plan["changes"] if c["step"] == "package"]
    assert [(c["action"], [f["field"] for f in c["fields"]]) for c in package] == [
        ("update", ["artifactId"])]
    moved = package[0]["fields"][0]
    assert moved["live"].startswith("ocid1.") and moved["desired"] == "(the one this run creates)"
    assert "artifactId:" in run_cli("plan", "img").stdout and " → None" not in run_cli(
        "plan", "img").stdout


def test_new_version_creates_an_artifact_and_a_default_package(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    publish(run_cli)
    listing = project / "listing.yaml"
    set_field(listing, 'package:\n  version: "1.0.0"', 'package:\n  version: "1.1.0"')
    set_field(listing, "username: opc", "username: cloud-user")
    # the listing's version must follow the package's (LST006): publish refuses otherwise
    refused = run_cli("publish", "img")
    assert refused.exit_code == 1 and "LST006" in refused.stdout
    set_field(listing, 'number: "1.0.0"', 'number: "1.1.0"')
    report = publish(run_cli)
    steps = [(c["step"], c["action"]) for c in report["changes"]]
    assert ("artifact", "create") in steps and ("package", "create") in steps
    assert ("listing", "create") not in steps and ("terms", "create") not in steps
    inv = inventory(sandbox_env)
    assert inv["artifacts"] == 2
    assert inv["package_versions"] == [("1.0.0", False), ("1.1.0", True)]


def test_changed_terms_document_makes_a_new_term_version(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    publish(run_cli)
    (project / "terms/eula.md").write_text("Version 2 of the terms.\n")
    report = publish(run_cli)
    assert [(c["step"], c["action"]) for c in report["changes"]] == [
        ("terms", "create"),
        ("terms", "activate"),
    ]
    inv = inventory(sandbox_env)
    assert inv["terms"] == 1 and inv["term_versions"] == 2


def test_throttling_on_30_percent_of_requests_still_completes(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = ThrottlingProxy(sandbox_env.endpoint, share=0.3)
    monkeypatch.setenv("OCMP_ENDPOINT", proxy.endpoint)
    try:
        report = publish(run_cli, "--private")
    finally:
        proxy.close()
    assert report["statuses"]["revision"] == "PUBLISHED_AS_PRIVATE"
    assert proxy.throttled > 5 and report["calls"]["retries"] == proxy.throttled
    inv = inventory(sandbox_env)
    assert inv["listings"] == {"Acme Demo App": 1}
    assert (inv["revisions"], inv["packages"], inv["artifacts"], inv["terms"]) == (1, 1, 1, 1)


def test_rejected_review_shows_notes_then_a_fix_is_resubmitted(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    sandbox_env.set_reviewer(
        mode="reject", after_polls=1, note="The short description is too vague."
    )
    result = run_cli("publish", "img", "--private")
    assert result.exit_code == 1
    assert "too vague" in result.stdout
    assert "listing.yaml:" in result.stdout and "short_description" in result.stdout
    as_json = run_cli("publish", "img", "--private", "--format", "json")
    assert as_json.exit_code == 1
    review = json.loads(as_json.stdout)["review"]
    assert review["status"] == "REJECTED" and review["notes"][0]["field"] == (
        "listing.short_description"
    )
    status = json.loads(run_cli("status", "img", "--format", "json").stdout)
    assert status["revisions"][-1]["status"] == "REJECTED"
    assert any("too vague" in str(n["text"]) for n in status["notes"])
    sandbox_env.set_reviewer(mode="auto", after_polls=1)
    set_field(project / "listing.yaml", "A small web application", "A tiny web application")
    report = publish(run_cli, "--private")
    assert report["statuses"]["revision"] == "PUBLISHED_AS_PRIVATE"
    assert inventory(sandbox_env)["revisions"] == 1


def test_deleting_the_journal_midway_makes_no_duplicates(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    publish(run_cli, "--submit", "--no-wait")
    shutil.rmtree(project / ".ocmp")
    report = publish(run_cli, "--private")
    assert report["statuses"]["revision"] == "PUBLISHED_AS_PRIVATE"
    inv = inventory(sandbox_env)
    assert (inv["listings"], inv["revisions"], inv["packages"], inv["artifacts"], inv["terms"]) == (
        {"Acme Demo App": 1},
        1,
        1,
        1,
        1,
    )


def test_no_wait_returns_after_submitting_and_a_rerun_continues(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    first = publish(run_cli, "--private", "--no-wait")
    assert first["statuses"]["revision"] in {"PENDING_REVIEW", "REVIEW_IN_PROGRESS"}
    second = publish(run_cli, "--private")
    assert second["statuses"]["revision"] == "PUBLISHED_AS_PRIVATE"
    assert [c["step"] for c in second["changes"]] == ["publish"]


def test_status_shows_the_published_revision(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    assert run_cli("status", "img").exit_code == 1  # not published yet
    publish(run_cli, "--private")
    result = run_cli("status", "img", "--format", "json")
    assert result.exit_code == 0
    status = json.loads(result.stdout)
    assert status["revisions"][-1]["status"] == "PUBLISHED_AS_PRIVATE"
    assert status["packages"][0]["artifact"]["status"] == "AVAILABLE"
    assert "PUBLISHED_AS_PRIVATE" in run_cli("status", "img").stdout


def test_private_publication_allows_the_named_tenancies(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    from tests.commands.publish_support import api_for

    other = "ocid1.tenancy.oc1..aaaaaaaacustomertenancy"
    report = publish(run_cli, "--private", "--allow-tenancy", other)
    revision = api_for(sandbox_env).get_revision(report["ids"]["revision"])
    assert revision.allowed_tenancies == (other,)


def test_public_publication_with_confirmation(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    report = publish(run_cli, "--public", "--confirm-public")
    assert report["statuses"]["revision"] == "PUBLISHED"
    again = publish(run_cli, "--public", "--confirm-public")
    assert again["up_to_date"] is True


def test_a_review_that_outlasts_the_timeout_exits_5_and_a_rerun_finishes(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    sandbox_env.set_reviewer(mode="manual")
    result = run_cli("publish", "img", "--private", "--timeout", "1")
    assert result.exit_code == 5
    assert "gave up waiting for Oracle's review" in result.stderr
    sandbox_env.set_reviewer(mode="auto", after_polls=1)
    report = publish(run_cli, "--private")
    assert report["statuses"]["revision"] == "PUBLISHED_AS_PRIVATE"
    assert [c["step"] for c in report["changes"]] == ["publish"]


def test_a_stale_work_request_in_the_journal_is_dropped(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    plan = json.loads(run_cli("plan", "img", "--format", "json").stdout)
    target = next(c["target"] for c in plan["changes"] if c["step"] == "artifact")
    name = target.split("'")[1]
    state = project / ".ocmp/state/acme-demo-app.json"
    state.parent.mkdir(parents=True)
    state.write_text(
        json.dumps(
            {
                "version": 1,
                "ids": {},
                "hashes": {},
                "completed": [],
                "work_requests": {f"artifact:{name}": "ocid1.wr.oc1..gone"},
            }
        )
    )
    report = publish(run_cli)
    assert "artifact" in report["ids"]
    assert json.loads(state.read_text())["work_requests"] == {}
    assert inventory(sandbox_env)["artifacts"] == 1
