"""Resource Manager through the real SDK: stacks from zips, jobs that really parse Terraform,
and the stack artifacts that depend on them."""

from __future__ import annotations

import base64
import io
import zipfile

import oci
import pytest
from oci.marketplace_publisher import models as pm
from oci.resource_manager import models as rm

from ocmp.sandbox import Sandbox
from tests.sandbox.flows import DEMO, created_id, finish
from tests.sandbox.sdk import client

GOOD_TF = 'resource "oci_core_instance" "vm" {\n  shape = "VM.Standard.E4.Flex"\n}\n'


def zipped(files: dict[str, str]) -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def orm(sandbox: Sandbox) -> oci.resource_manager.ResourceManagerClient:
    return client(sandbox, oci.resource_manager.ResourceManagerClient)


def make_stack(orm: oci.resource_manager.ResourceManagerClient, files: dict[str, str]) -> str:
    stack = orm.create_stack(rm.CreateStackDetails(
        compartment_id=DEMO, display_name="demo",
        config_source=rm.CreateZipUploadConfigSourceDetails(
            zip_file_base64_encoded=zipped(files)))).data
    assert stack.lifecycle_state == "CREATING"
    assert orm.get_stack(stack.id).data.lifecycle_state == "ACTIVE"
    return str(stack.id)


def run_job(orm: oci.resource_manager.ResourceManagerClient, stack_id: str,
            details: rm.CreateJobOperationDetails) -> rm.Job:
    job = orm.create_job(rm.CreateJobDetails(stack_id=stack_id,
                                             job_operation_details=details)).data
    states = [orm.get_job(job.id).data for _ in range(2)]
    assert states[0].lifecycle_state == "IN_PROGRESS"
    return states[-1]


def test_plan_then_apply_from_plan(orm: oci.resource_manager.ResourceManagerClient) -> None:
    stack_id = make_stack(orm, {"main.tf": GOOD_TF, "schema.yaml": "title: x\n"})
    plan = run_job(orm, stack_id, rm.CreatePlanJobOperationDetails())
    assert plan.lifecycle_state == "SUCCEEDED"
    logs = orm.get_job_logs(plan.id).data
    assert any("Plan: 1 to add" in entry.message for entry in logs)
    apply = run_job(orm, stack_id, rm.CreateApplyJobOperationDetails(
        execution_plan_strategy="FROM_PLAN_JOB_ID", execution_plan_job_id=plan.id))
    assert apply.lifecycle_state == "SUCCEEDED" and apply.resolved_plan_job_id == plan.id
    assert "Apply complete!" in orm.get_job_logs_content(apply.id).data
    assert [j.id for j in orm.list_jobs(stack_id=stack_id).data] == [plan.id, apply.id]


def test_zip_without_terraform_fails_like_resource_manager(
    orm: oci.resource_manager.ResourceManagerClient,
) -> None:
    stack_id = make_stack(orm, {"README.md": "no terraform here"})
    job = run_job(orm, stack_id, rm.CreatePlanJobOperationDetails())
    assert job.lifecycle_state == "FAILED"
    assert job.failure_details.message == "Terraform config file is missing in zip file"


def test_hcl_syntax_error_fails_the_job_with_file_and_line(
    orm: oci.resource_manager.ResourceManagerClient,
) -> None:
    broken = 'variable "x" {\n  default =\n}\n'
    stack_id = make_stack(orm, {"main.tf": GOOD_TF, "broken.tf": broken})
    job = run_job(orm, stack_id, rm.CreatePlanJobOperationDetails())
    assert job.lifecycle_state == "FAILED"
    assert job.failure_details.code == "TERRAFORM_EXECUTION_ERROR"
    errors = [e.message for e in orm.get_job_logs(job.id, level_greater_than_or_equal_to="ERROR")
              .data]
    assert any("broken.tf line 2" in message for message in errors)


def test_apply_needs_a_succeeded_plan(orm: oci.resource_manager.ResourceManagerClient) -> None:
    stack_id = make_stack(orm, {"main.tf": GOOD_TF})
    with pytest.raises(oci.exceptions.ServiceError) as err:
        orm.create_job(rm.CreateJobDetails(stack_id=stack_id, job_operation_details=(
            rm.CreateApplyJobOperationDetails(execution_plan_strategy="FROM_LATEST_PLAN_JOB"))))
    assert (err.value.status, err.value.code) == (409, "IncorrectState")


def test_not_a_zip_makes_a_failed_stack(orm: oci.resource_manager.ResourceManagerClient) -> None:
    stack = orm.create_stack(rm.CreateStackDetails(
        compartment_id=DEMO, config_source=rm.CreateZipUploadConfigSourceDetails(
            zip_file_base64_encoded=base64.b64encode(b"plain text").decode()))).data
    assert orm.get_stack(stack.id).data.lifecycle_state == "FAILED"


def stack_artifact(sandbox: Sandbox, stack_id: str) -> tuple[str, str]:
    pub = client(sandbox, oci.marketplace_publisher.MarketplacePublisherClient)
    response = pub.create_artifact(pm.CreateStackArtifactDetails(
        compartment_id=DEMO, display_name="stack",
        stack=pm.CreateStackDetails(source_stack_id=stack_id)))
    wr = finish(pub, response.headers["opc-work-request-id"])
    artifact = pub.get_artifact(created_id(wr, "artifact")).data
    return wr.status, f"{artifact.status}/{artifact.stack.validation_status}"


def test_stack_artifact_validates_against_the_stack(
    sandbox: Sandbox, orm: oci.resource_manager.ResourceManagerClient,
) -> None:
    good = make_stack(orm, {"main.tf": GOOD_TF})
    assert stack_artifact(sandbox, good) == ("SUCCEEDED", "AVAILABLE/VALIDATION_COMPLETED")
    empty = make_stack(orm, {"notes.txt": "x"})
    assert stack_artifact(sandbox, empty) == ("FAILED", "UNAVAILABLE/VALIDATION_FAILED")
    missing = "ocid1.ormstack.oc1.iad.doesnotexist"
    assert stack_artifact(sandbox, missing) == ("FAILED", "UNAVAILABLE/VALIDATION_FAILED")
