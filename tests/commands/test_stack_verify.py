"""`ocmp stack verify [PATH] [--apply]`: the package zip in a Resource Manager stack, its PLAN
(APPLY, DESTROY) jobs, the log streamed, Resource Manager's failure details on exit 1. Through
the CLI against the sandbox; stacks and jobs are counted through the Resource Manager API."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import oci
import pytest

from ocmp.clients import AuthSettings, Clients, ClientSettings
from ocmp.sandbox import Sandbox
from tests.commands.publish_support import fast, rm_stacks, writes
from tests.conftest import RunCli

MISSING_LISTING = "ocid1.appcataloglisting.oc1..aaaaaaaanosuchlisting"
NOT_FOUND = "404-NotAuthorizedOrNotFound"


@pytest.fixture
def project(run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch,
            tmp_path: Path) -> Path:
    fast(monkeypatch)
    assert run_cli("init", "stk", "--kind", "stack", "--non-interactive").exit_code == 0
    return tmp_path / "stk"


def jobs_of(sb: Sandbox, stack_id: str) -> list[Any]:
    """The stack's jobs, oldest first, as Resource Manager lists them."""
    auth = AuthSettings(config_file=Path(sb.config_file), profile=sb.profile)
    rm = Clients(ClientSettings(auth=auth, endpoint=sb.endpoint)).sdk_client("resource_manager")
    jobs = oci.pagination.list_call_get_all_results(rm.list_jobs, stack_id=stack_id).data
    return sorted(jobs, key=lambda j: j.time_created)


def verify_json(run_cli: RunCli, *args: str, code: int = 0) -> dict[str, Any]:
    result = run_cli("stack", "verify", *args, "--format", "json")
    assert result.exit_code == code, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_a_good_stack_plans_with_its_log_shown_and_a_rerun_reuses_the_stack(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    result = run_cli("stack", "verify", "stk")
    assert result.exit_code == 0, result.stderr
    assert "Plan: 8 to add, 0 to change, 0 to destroy." in result.stderr
    assert "PLAN" in result.stdout and "SUCCEEDED" in result.stdout
    [stack] = rm_stacks(sandbox_env)
    assert stack.display_name.startswith("Acme Demo App 1.0.0 #")

    again = verify_json(run_cli, "stk")
    assert again["ok"] is True and again["stack"]["created"] is False
    assert again["stack"]["id"] == stack.id
    assert [j["operation"] for j in again["jobs"]] == ["PLAN"]
    assert len(rm_stacks(sandbox_env)) == 1  # the unchanged zip found its stack again
    assert [j.operation for j in jobs_of(sandbox_env, stack.id)] == ["PLAN", "PLAN"]


def test_publish_uses_the_stack_that_verify_made(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    verified = verify_json(run_cli, "stk")
    result = run_cli("publish", "stk", "--format", "json")
    assert result.exit_code == 0, result.stderr
    published = json.loads(result.stdout)
    assert published["ids"]["stack"] == verified["stack"]["id"]
    assert ("stack", "create") not in [(c["step"], c["action"]) for c in published["changes"]]
    assert len(rm_stacks(sandbox_env)) == 1


def test_apply_runs_apply_from_the_plan_then_destroy(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    report = verify_json(run_cli, "stk", "--apply")
    assert [(j["operation"], j["state"]) for j in report["jobs"]] == [
        ("PLAN", "SUCCEEDED"), ("APPLY", "SUCCEEDED"), ("DESTROY", "SUCCEEDED")]
    jobs = jobs_of(sandbox_env, report["stack"]["id"])
    assert [j.operation for j in jobs] == ["PLAN", "APPLY", "DESTROY"]
    plan, apply, destroy = jobs
    assert apply.job_operation_details.execution_plan_strategy == "FROM_PLAN_JOB_ID"
    assert apply.job_operation_details.execution_plan_job_id == plan.id
    assert destroy.job_operation_details.execution_plan_strategy == "AUTO_APPROVED"


def test_terraform_with_a_syntax_error_exits_1_with_resource_managers_message(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    (project / "terraform" / "broken.tf").write_text('resource "x" "y" {\n  a = \n')
    result = run_cli("stack", "verify", "stk")
    assert result.exit_code == 1
    assert "TERRAFORM_EXECUTION_ERROR: Error: Invalid HCL syntax" in result.stderr
    assert "broken.tf line 2" in result.stdout  # the job's ERROR lines, in the summary
    report = verify_json(run_cli, "stk", code=1)
    [plan] = report["jobs"]
    assert plan["failure"]["code"] == "TERRAFORM_EXECUTION_ERROR"
    assert any("on broken.tf line 2" in e for e in plan["errors"])


def test_a_zip_without_terraform_at_its_root_fails_to_unpack(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fast(monkeypatch)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("stack/main.tf", 'output "x" {\n  value = 1\n}\n')
    (tmp_path / "nested.zip").write_bytes(buffer.getvalue())
    report = verify_json(run_cli, "nested.zip", code=1)
    assert report["stack"]["name"].startswith("nested #")
    assert report["jobs"][0]["failure"] == {
        "code": "TERRAFORM_CONFIG_UNZIP_FAILED",
        "message": "Terraform config file is missing in zip file"}
    assert len(rm_stacks(sandbox_env)) == 1


def test_a_missing_app_catalog_listing_fails_the_plan_like_the_provider(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    images = project / "terraform" / "oci_images.tf"
    images.write_text(images.read_text().replace(
        "ocid1.appcataloglisting.oc1..aaaaaaaaocmpdemolisting", MISSING_LISTING))
    result = run_cli("stack", "verify", "stk")
    assert result.exit_code == 1
    assert f"TERRAFORM_EXECUTION_ERROR: Error: {NOT_FOUND}" in result.stderr
    assert "on image_subscription.tf line 5" in result.stderr
    # a stack variable given at verify time overrides the default, and updates the stack
    fixed = verify_json(run_cli, "stk", "--var",
                        "mp_listing_id=ocid1.appcataloglisting.oc1..aaaaaaaaocmpdemolisting")
    assert fixed["ok"] is True and fixed["stack"]["updated"] is True
    assert len(rm_stacks(sandbox_env)) == 1


def test_a_bare_folder_is_verified_under_its_own_name(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fast(monkeypatch)
    folder = tmp_path / "tf"
    folder.mkdir()
    (folder / "main.tf").write_text('resource "oci_core_vcn" "v" {\n  cidr_block = "10.0.0.0/16"'
                                    '\n}\n')
    report = verify_json(run_cli, "tf")
    assert report["ok"] is True and report["stack"]["name"].startswith("tf #")
    assert report["stack"]["compartment_id"] == sandbox_env.tenancy_id


def test_a_private_key_in_the_stack_is_never_uploaded(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    (project / "terraform" / "deploy_key.pem").write_text(
        "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n")
    sandbox_env.reset_stats()
    result = run_cli("stack", "verify", "stk")
    assert result.exit_code == 1
    assert "deploy_key.pem:1" in result.stderr and "nothing was uploaded" in result.stderr
    assert writes(sandbox_env) == 0 and rm_stacks(sandbox_env) == []


@pytest.mark.parametrize("bad", ["novalue", "=x"])
def test_a_var_that_is_not_name_value_is_bad_input(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox, bad: str
) -> None:
    result = run_cli("stack", "verify", "stk", "--var", bad)
    assert result.exit_code == 3 and "NAME=VALUE" in result.stderr
    assert rm_stacks(sandbox_env) == []


@pytest.mark.slow
def test_a_crash_after_any_write_of_verify_apply_recovers_with_nothing_left_applied(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path
) -> None:
    from tests.commands.test_publish_recovery import CRASH_EXIT, _ocmp

    assert run_cli("init", "stk", "--kind", "stack", "--non-interactive").exit_code == 0
    clean = _ocmp(sandbox, tmp_path, "stack", "verify", "stk", "--apply", "--format", "json")
    assert clean.returncode == 0, clean.stderr
    total = json.loads(clean.stdout)["calls"]["writes"]
    assert total == 4  # the stack, PLAN, APPLY, DESTROY
    for n in range(1, total + 1):
        sandbox.reset()
        crashed = _ocmp(sandbox, tmp_path, "stack", "verify", "stk", "--apply",
                        OCMP_TEST_CRASH_AFTER_WRITE=str(n))
        assert crashed.returncode == CRASH_EXIT, (n, crashed.stderr)
        rerun = _ocmp(sandbox, tmp_path, "stack", "verify", "stk", "--apply", "--format", "json")
        assert rerun.returncode == 0, (n, rerun.stderr)
        [stack] = rm_stacks(sandbox)  # never a second stack
        jobs = jobs_of(sandbox, stack.id)
        assert [j.operation for j in jobs][-3:] == ["PLAN", "APPLY", "DESTROY"], n
        # Terraform state is per stack: the last, succeeded DESTROY also removes what an
        # APPLY interrupted by the crash made
        assert jobs[-1].lifecycle_state == "SUCCEEDED"


def test_an_image_listing_has_no_stack_to_verify(
    run_cli: RunCli, sandbox_env: Sandbox
) -> None:
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    result = run_cli("stack", "verify", "img", "--format", "json")
    assert result.exit_code == 3
    assert "img: this listing has no stack to verify" in result.stderr
    assert json.loads(result.stdout)["error"]["exit_code"] == 3
    assert rm_stacks(sandbox_env) == []
