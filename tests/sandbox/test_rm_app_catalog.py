"""Resource Manager jobs check the App Catalog entries a stack references, as the OCI
provider does: a listing or resource version the tenancy cannot see fails the PLAN (data
sources) or the APPLY (agreement, subscription) with the provider's 404 error, file and line.
Through the real SDK, and oci-cli for one case."""

from __future__ import annotations

import oci
import pytest
from oci.marketplace_publisher import models as pm
from oci.resource_manager import models as rm

from ocmp.sandbox import Sandbox
from tests.sandbox.flows import DEMO, finish, ready_revision
from tests.sandbox.sdk import client
from tests.sandbox.test_cli_conformance import oci_cli
from tests.sandbox.test_resource_manager import make_stack, run_job, zipped

DEMO_LISTING = "ocid1.appcataloglisting.oc1..aaaaaaaaocmpdemolisting"
MISSING = "ocid1.appcataloglisting.oc1..aaaaaaaanosuchlisting"
NOT_FOUND = ("Error: 404-NotAuthorizedOrNotFound, Authorization failed or requested resource "
             "not found.")

DATA_SOURCE = '''variable "mp_listing_id" {
  type    = string
  default = "%s"
}

variable "mp_listing_resource_version" {
  default = "%s"
}

data "oci_core_app_catalog_listing_resource_version" "mp_image" {
  listing_id       = var.mp_listing_id
  resource_version = var.mp_listing_resource_version
}
'''

AGREEMENT = '''resource "oci_core_app_catalog_listing_resource_version_agreement" "mp_agreement" {
  listing_id               = "%s"
  listing_resource_version = "%s"
}
'''


@pytest.fixture
def orm(sandbox: Sandbox) -> oci.resource_manager.ResourceManagerClient:
    return client(sandbox, oci.resource_manager.ResourceManagerClient)


def error_lines(orm: oci.resource_manager.ResourceManagerClient, job_id: str) -> list[str]:
    return [e.message for e in orm.get_job_logs(
        job_id, level_greater_than_or_equal_to="ERROR").data]


def test_a_missing_listing_fails_the_plan_with_the_providers_404_file_and_line(
    orm: oci.resource_manager.ResourceManagerClient,
) -> None:
    stack_id = make_stack(orm, {"main.tf": DATA_SOURCE % (MISSING, "1.0.0")})
    job = run_job(orm, stack_id, rm.CreatePlanJobOperationDetails())
    assert job.lifecycle_state == "FAILED"
    assert job.failure_details.code == "TERRAFORM_EXECUTION_ERROR"
    assert job.failure_details.message.startswith(NOT_FOUND)
    assert "main.tf line 10" in job.failure_details.message
    [error] = error_lines(orm, job.id)
    assert error.splitlines()[0] == NOT_FOUND
    assert "Operation Name: GetAppCatalogListingResourceVersion" in error
    assert "with data.oci_core_app_catalog_listing_resource_version.mp_image," in error
    assert ('on main.tf line 10, in data "oci_core_app_catalog_listing_resource_version" '
            '"mp_image":') in error


def test_the_seeded_demo_listing_plans_and_an_unknown_version_of_it_does_not(
    orm: oci.resource_manager.ResourceManagerClient,
) -> None:
    good = make_stack(orm, {"main.tf": DATA_SOURCE % (DEMO_LISTING, "1.0.0")})
    assert run_job(orm, good, rm.CreatePlanJobOperationDetails()).lifecycle_state == "SUCCEEDED"
    bad = make_stack(orm, {"main.tf": DATA_SOURCE % (DEMO_LISTING, "9.9.9")})
    job = run_job(orm, bad, rm.CreatePlanJobOperationDetails())
    assert job.lifecycle_state == "FAILED" and job.failure_details.message.startswith(NOT_FOUND)


def test_stack_variables_override_the_default(
    orm: oci.resource_manager.ResourceManagerClient,
) -> None:
    files = {"main.tf": DATA_SOURCE % (DEMO_LISTING, "1.0.0")}
    stack = orm.create_stack(rm.CreateStackDetails(
        compartment_id=DEMO, display_name="vars", variables={"mp_listing_id": MISSING},
        config_source=rm.CreateZipUploadConfigSourceDetails(
            zip_file_base64_encoded=zipped(files)))).data
    orm.get_stack(stack.id)
    assert run_job(orm, stack.id, rm.CreatePlanJobOperationDetails()).lifecycle_state == "FAILED"
    orm.update_stack(stack.id, rm.UpdateStackDetails(variables={"mp_listing_id": DEMO_LISTING}))
    job = run_job(orm, stack.id, rm.CreatePlanJobOperationDetails())
    assert job.lifecycle_state == "SUCCEEDED"


def test_the_agreement_fails_at_apply_not_at_plan(
    orm: oci.resource_manager.ResourceManagerClient,
) -> None:
    stack_id = make_stack(orm, {"main.tf": AGREEMENT % (MISSING, "1.0.0")})
    plan = run_job(orm, stack_id, rm.CreatePlanJobOperationDetails())
    assert plan.lifecycle_state == "SUCCEEDED"  # resources are created at apply time
    apply = run_job(orm, stack_id, rm.CreateApplyJobOperationDetails(
        execution_plan_strategy="FROM_PLAN_JOB_ID", execution_plan_job_id=plan.id))
    assert apply.lifecycle_state == "FAILED"
    [error] = error_lines(orm, apply.id)
    assert "with oci_core_app_catalog_listing_resource_version_agreement.mp_agreement," in error
    assert "Operation Name: GetAppCatalogListingAgreements" in error


MODULE_ROOT = '''variable "listing" {
  default = "%s"
}

locals {
  version = "1.0.0"
}

module "image" {
  source           = "./modules/image"
  listing_id       = var.listing
  resource_version = local.version
}
'''

MODULE = '''variable "listing_id" {}
variable "resource_version" {}

data "oci_core_app_catalog_listing_resource_version" "this" {
  listing_id       = var.listing_id
  resource_version = var.resource_version
}
'''


@pytest.mark.parametrize(("listing", "state"), [(MISSING, "FAILED"), (DEMO_LISTING, "SUCCEEDED")])
def test_values_passed_into_a_local_module_are_checked(
    orm: oci.resource_manager.ResourceManagerClient, listing: str, state: str,
) -> None:
    stack_id = make_stack(orm, {"main.tf": MODULE_ROOT % listing,
                                "modules/image/main.tf": MODULE})
    job = run_job(orm, stack_id, rm.CreatePlanJobOperationDetails())
    assert job.lifecycle_state == state
    if state == "FAILED":
        [error] = error_lines(orm, job.id)
        assert "with module.image.data.oci_core_app_catalog_listing_resource_version.this," in error
        assert "on modules/image/main.tf line 4" in error


@pytest.mark.parametrize("tf", [
    # the value is only known once another resource exists
    'data "oci_core_app_catalog_listing_resource_version" "x" {\n'
    '  listing_id       = oci_core_app_catalog_listing_resource_version_agreement.a.listing_id\n'
    '  resource_version = "1.0.0"\n}\n',
    # a variable without a default, and no stack variable
    'variable "l" {}\ndata "oci_core_app_catalog_listing_resource_version" "x" {\n'
    '  listing_id       = var.l\n  resource_version = "1.0.0"\n}\n',
    # a block that may not exist at all
    'variable "on" {\n  default = false\n}\n'
    'data "oci_core_app_catalog_listing_resource_version" "x" {\n'
    f'  count            = var.on ? 1 : 0\n  listing_id       = "{MISSING}"\n'
    '  resource_version = "1.0.0"\n}\n',
    # a registry module is not in the zip
    f'module "m" {{\n  source     = "oracle/x/oci"\n  listing_id = "{MISSING}"\n}}\n',
])
def test_what_cannot_be_resolved_is_not_checked(
    orm: oci.resource_manager.ResourceManagerClient, tf: str,
) -> None:
    stack_id = make_stack(orm, {"main.tf": tf})
    job = run_job(orm, stack_id, rm.CreatePlanJobOperationDetails())
    assert job.lifecycle_state == "SUCCEEDED", error_lines(orm, job.id)


def test_the_entries_of_a_published_image_listing_plan(
    sandbox: Sandbox, orm: oci.resource_manager.ResourceManagerClient,
) -> None:
    pub = client(sandbox, oci.marketplace_publisher.MarketplacePublisherClient)
    sandbox.set_reviewer(mode="auto", after_polls=1)
    _, revision_id, _ = ready_revision(pub)
    pub.submit_listing_revision_for_review(pm.SubmitListingRevisionForReviewDetails(),
                                           revision_id)
    assert pub.get_listing_revision(revision_id).data.status == "APPROVED"
    [package] = pub.list_listing_revision_packages(revision_id).data.items
    assert pub.get_listing_revision_package(package.id).data.machine_image_details is None
    wr = pub.publish_listing_revision_as_private(
        pm.PublishListingRevisionAsPrivateDetails(allowed_tenancies=[DEMO]), revision_id)
    assert finish(pub, wr.headers["opc-work-request-id"]).status == "SUCCEEDED"
    details = pub.get_listing_revision_package(package.id).data.machine_image_details
    catalog_id, version = details.compute_app_catalog_id, details.compute_package_version
    assert catalog_id != DEMO_LISTING
    files = {"main.tf": DATA_SOURCE % (catalog_id, version) + AGREEMENT % (catalog_id, version)}
    stack_id = make_stack(orm, files)
    plan = run_job(orm, stack_id, rm.CreatePlanJobOperationDetails())
    assert plan.lifecycle_state == "SUCCEEDED", error_lines(orm, plan.id)
    apply = run_job(orm, stack_id, rm.CreateApplyJobOperationDetails(
        execution_plan_strategy="FROM_PLAN_JOB_ID", execution_plan_job_id=plan.id))
    assert apply.lifecycle_state == "SUCCEEDED", error_lines(orm, apply.id)


@pytest.mark.cli_conformance
def test_oci_cli_sees_the_failed_plan(sandbox: Sandbox) -> None:
    orm = client(sandbox, oci.resource_manager.ResourceManagerClient)
    stack_id = make_stack(orm, {"main.tf": DATA_SOURCE % (MISSING, "1.0.0")})
    job = run_job(orm, stack_id, rm.CreatePlanJobOperationDetails())
    data = oci_cli(sandbox, "resource-manager", "job", "get", "--job-id", job.id)["data"]
    assert data["lifecycle-state"] == "FAILED"
    assert data["failure-details"]["code"] == "TERRAFORM_EXECUTION_ERROR"
    assert data["failure-details"]["message"].startswith(NOT_FOUND)
