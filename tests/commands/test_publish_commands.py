"""`ocmp diff`, `ocmp terms`, and the progress drawing around publish."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from ocmp.console_progress import RichReporter
from ocmp.core.progress import StepState
from ocmp.sandbox import Sandbox
from tests.commands.publish_support import api_for, set_field
from tests.conftest import RunCli


def test_diff_exits_1_on_drift_from_a_console_edit_and_0_when_in_sync(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    unpublished = run_cli("diff", "img")
    assert unpublished.exit_code == 1 and "listing 'Acme Demo App'" in unpublished.stdout
    report = json.loads(run_cli("publish", "img", "--format", "json").stdout)
    assert run_cli("diff", "img").exit_code == 0
    # someone edits the headline in the Partner Portal
    api_for(sandbox_env).update_revision(
        report["ids"]["revision"], {"listingType": "OCI_APPLICATION", "headline": "Edited live"}
    )
    drift = run_cli("diff", "img", "--format", "json")
    assert drift.exit_code == 1
    fields = [f for c in json.loads(drift.stdout)["changes"] for f in c["fields"]]
    assert fields == [
        {
            "field": "headline",
            "live": "Edited live",
            "desired": "A ready-to-run demo application for OCI",
        }
    ]
    human = run_cli("diff", "img")
    assert "headline: Edited live → A ready-to-run demo application for OCI" in human.stdout


def test_terms_push_creates_then_versions_and_list_shows_one_active(
    run_cli: RunCli, project: Path
) -> None:
    assert "no terms yet" in run_cli("terms", "list", "img").stdout
    first = run_cli("terms", "push", "img", "--format", "json")
    assert first.exit_code == 0, first.stderr
    pushed = json.loads(first.stdout)
    assert [c["action"] for c in pushed["changes"]] == ["create", "create", "activate"]
    again = json.loads(run_cli("terms", "push", "img", "--format", "json").stdout)
    assert again["changes"] == [] and again["calls"]["writes"] == 0
    (project / "terms/eula.md").write_text("Terms, second edition.\n")
    second = json.loads(run_cli("terms", "push", "img", "--format", "json").stdout)
    assert [c["action"] for c in second["changes"]] == ["create", "activate"]
    listed = json.loads(run_cli("terms", "list", "img", "--format", "json").stdout)["terms"]
    assert len(listed) == 1 and len(listed[0]["versions"]) == 2
    active = [v for v in listed[0]["versions"] if v["lifecycle_state"] == "ACTIVE"]
    assert [v["id"] for v in active] == [second["term_version"]]
    assert "active" in run_cli("terms", "list", "img").stdout


def test_publish_json_is_one_document_and_human_output_lists_steps(
    run_cli: RunCli, project: Path
) -> None:
    result = run_cli("publish", "img", "--format", "json")
    document = json.loads(result.stdout)  # exactly one document, nothing else
    assert document["calls"]["requests"] > 0 and document["duration_seconds"] > 0
    # stderr: the one summary line for the log, no progress
    assert result.stderr.splitlines() == [f"{document['listing']}: 9 changes made"]
    set_field(project / "listing.yaml", "A small web application", "A tiny web application")
    human = run_cli("publish", "img")
    assert "done    content: update revision" in human.stderr
    assert "skipped listing: up to date" in human.stderr
    assert "shortDescription" in human.stdout


def test_public_needs_confirmation_and_options_are_checked(run_cli: RunCli, project: Path) -> None:
    assert run_cli("publish", "img", "--public").exit_code == 2
    assert run_cli("publish", "img", "--private", "--public").exit_code == 2
    assert run_cli("publish", "img", "--allow-tenancy", "ocid1.tenancy.oc1..x").exit_code == 2


@pytest.mark.parametrize(("given", "said"), [
    ("acme-partner", "'acme-partner' is not a tenancy OCID"),
    ("ocid1.compartment.oc1..aaaa", "is an OCID of type compartment, not a tenancy OCID"),
    ("ocid1.tenancy.oc1.iad.aaaa", "is not a tenancy OCID"),  # tenancies have no region
])
def test_allow_tenancy_takes_only_a_tenancy_ocid(
    run_cli: RunCli, project: Path, given: str, said: str
) -> None:
    result = run_cli("publish", "img", "--private", "--allow-tenancy", given,
                     "--format", "json")
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["type"] == "usage" and said in error["message"]
    assert "ocid1.tenancy.oc1..<id>" in error["message"]


def test_allowed_tenancies_in_listing_yaml_are_tenancy_ocids(
    run_cli: RunCli, project: Path
) -> None:
    set_field(project / "listing.yaml",
              "  # private: {allowed_tenancies: [ocid1.tenancy.oc1..example]}",
              "  private: {allowed_tenancies: [ocid1.user.oc1..aaaa]}")
    result = run_cli("validate", "img", "--format", "json")
    assert result.exit_code == 3
    error = json.loads(result.stdout)["error"]
    assert error["path"] == "publish.private.allowed_tenancies[0]"
    assert "'ocid1.user.oc1..aaaa' is not a tenancy OCID" in error["message"]


def test_cloud_errors_exit_4_with_the_operation(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    sandbox_env.add_fault(
        method="POST",
        path_regex=r"/20241201/listings$",
        status=400,
        code="InvalidParameter",
        message="name is too long",
    )
    result = run_cli("publish", "img", "--format", "json")
    assert result.exit_code == 4
    assert "create_listing" in result.stderr and "name is too long" in result.stderr
    partial = json.loads(result.stdout)  # still exactly one document on stdout
    assert (partial["outcome"], partial["error"]["type"]) == ("error", "cloud")
    assert "name is too long" in partial["error"]["message"]
    assert partial["error"]["status"] == 400 and partial["error"]["opc_request_id"]
    assert partial["error"]["operation"] == "publisher.create_listing"
    assert partial["steps"]["terms"] == "done" and partial["steps"]["listing"] == "failed"
    assert partial["steps"]["package"] == "todo" and "term" in partial["ids"]
    assert run_cli("publish", "img").exit_code == 0  # the re-run continues


def test_rich_reporter_draws_steps_on_a_terminal() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100, color_system=None)
    reporter = RichReporter(console)
    assert reporter.live_mode
    reporter.begin("publish 'X' (draft)", ["terms", "artifact"])
    reporter.step("terms", StepState.DOING)
    reporter.wait("artifact validation", 3.2, 40.0)
    reporter.step("terms", StepState.DONE, "create term 'T'")
    reporter.step("artifact", StepState.SKIPPED, "up to date")
    reporter.end()
    text = buffer.getvalue()
    assert "✓" in text and "create term 'T'" in text and "up to date" in text
    assert "waiting for artifact validation… 3s 40%" in text
