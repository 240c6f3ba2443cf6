"""`ocmp publish` of a stack listing: zip → Resource Manager stack → STACK artifact → listing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import api_for, fast, inventory, rm_stacks, writes
from tests.conftest import RunCli


@pytest.fixture
def project(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Path:
    fast(monkeypatch)
    assert run_cli("init", "stk", "--kind", "stack", "--non-interactive").exit_code == 0
    return tmp_path / "stk"


def publish(run_cli: RunCli, *args: str) -> dict[str, Any]:
    result = run_cli("publish", "stk", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_stack_listing_is_published_privately_and_a_rerun_writes_nothing(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    report = publish(run_cli, "--private")
    assert report["kind"] == "stack"
    assert report["statuses"]["revision"] == "PUBLISHED_AS_PRIVATE"
    stacks = rm_stacks(sandbox_env)
    assert [s.id for s in stacks] == [report["ids"]["stack"]]
    artifact = api_for(sandbox_env).get_artifact(report["ids"]["artifact"])
    assert artifact.artifact_type == "STACK"
    assert artifact.stack is not None and artifact.stack.source_stack_id == report["ids"]["stack"]
    # the uploaded zip is the one `ocmp package` builds
    assert run_cli("package", "stk", "-o", "stk.zip").exit_code == 0
    import hashlib

    zipped = hashlib.sha256((project.parent / "stk.zip").read_bytes()).hexdigest()
    assert report["statuses"]["zip_sha256"] == zipped[:16]

    sandbox_env.reset_stats()
    again = publish(run_cli, "--private")
    assert again["up_to_date"] is True and writes(sandbox_env) == 0
    assert again["calls"]["requests"] <= 15
    assert len(rm_stacks(sandbox_env)) == 1


def test_changed_terraform_makes_a_new_stack_and_artifact_for_the_same_package(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    first = publish(run_cli)
    outputs = project / "terraform" / "outputs.tf"
    outputs.write_text(outputs.read_text() + '\noutput "extra" {\n  value = "x"\n}\n')
    second = publish(run_cli)
    steps = [(c["step"], c["action"]) for c in second["changes"]]
    assert steps == [("stack", "create"), ("artifact", "create"), ("package", "update")]
    assert second["ids"]["stack"] != first["ids"]["stack"]
    assert second["ids"]["package"] == first["ids"]["package"]
    inv = inventory(sandbox_env)
    assert (inv["artifacts"], inv["packages"]) == (2, 1)


def test_verify_streams_the_plan_log_once_per_zip(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    result = run_cli("publish", "stk", "--verify")
    assert result.exit_code == 0, result.stderr
    assert "Plan:" in result.stderr and "to add" in result.stderr
    sandbox_env.reset_stats()
    again = run_cli("publish", "stk", "--verify", "--format", "json")
    assert json.loads(again.stdout)["statuses"]["verify"] == "SUCCEEDED"
    assert writes(sandbox_env) == 0  # this zip already passed its PLAN job


def test_broken_terraform_is_refused_before_any_request(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    (project / "terraform" / "broken.tf").write_text('resource "x" "y" {\n  a = \n')
    sandbox_env.reset_stats()
    result = run_cli("publish", "stk", "--verify", "--private")
    assert result.exit_code == 1
    assert "stk/terraform/broken.tf" in result.stdout and "STK020" in result.stdout
    assert "nothing was uploaded" in result.stderr
    assert sandbox_env.stats()["requests"] == 0
    assert inventory(sandbox_env)["listings"] == {}


def test_stack_names_its_image_listing(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox, tmp_path: Path
) -> None:
    assert (
        run_cli(
            "init", "img", "--kind", "image", "--non-interactive", "--name", "Acme Demo Image"
        ).exit_code
        == 0
    )
    assert run_cli("publish", "img").exit_code == 0
    listing = project / "listing.yaml"
    listing.write_text(
        listing.read_text().replace("image_listings: []", 'image_listings: ["Acme Demo Image"]')
    )
    report = publish(run_cli)
    artifact = api_for(sandbox_env).get_artifact(report["ids"]["artifact"])
    image_listing = api_for(sandbox_env).find_listings(sandbox_env.tenancy_id, "Acme Demo Image")
    assert artifact.stack is not None
    assert artifact.stack.image_listing_ids == (image_listing[0].id,)
    missing = listing.read_text().replace("Acme Demo Image", "No Such Listing")
    listing.write_text(missing)
    result = run_cli("publish", "stk")
    assert result.exit_code == 3 and "No Such Listing" in result.stderr
