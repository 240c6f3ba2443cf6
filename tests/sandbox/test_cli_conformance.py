"""The real oci-cli (3.95.1) against the sandbox: list, get, create and action commands of
each service, run as a subprocess with --config-file/--profile/--endpoint, exit 0 and parsed
output asserted. Kept to 21 calls: the CLI needs about a second to start."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import oci
import pytest
from oci.marketplace_publisher import models as m

from ocmp.sandbox import Sandbox
from tests.sandbox.flows import DEMO, IMAGE, ready_revision
from tests.sandbox.sdk import client

pytestmark = pytest.mark.cli_conformance
OCI = Path(sys.executable).with_name("oci")
LISTING = "ocid1.appcataloglisting.oc1..aaaaaaaaocmpdemolisting"


def oci_cli(sb: Sandbox, *args: str, expect: int = 0) -> Any:
    """Run the oci-cli against the sandbox; the parsed JSON output (None when empty)."""
    env = {**os.environ, "OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING": "True",
           "SUPPRESS_LABEL_WARNING": "True"}
    result = subprocess.run(
        [str(OCI), "--config-file", str(sb.config_file), "--profile", sb.profile,
         "--endpoint", sb.endpoint, "--no-retry", *args],
        capture_output=True, text=True, env=env, timeout=60, check=False)
    assert result.returncode == expect, result.stderr
    if expect:
        return result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else None


def test_identity_commands(sandbox: Sandbox) -> None:
    subs = oci_cli(sandbox, "iam", "region-subscription", "list", "--tenancy-id", DEMO)["data"]
    assert subs == [{"is-home-region": True, "region-key": "IAD",
                     "region-name": "us-ashburn-1", "status": "READY"}]
    created = oci_cli(sandbox, "iam", "policy", "create", "--compartment-id", DEMO,
                      "--name", "from-cli", "--description", "made by the oci-cli",
                      "--statements", json.dumps(["ALLOW SERVICE marketplace to read tenant "
                                                  "IN TENANCY"]))
    assert created["data"]["lifecycle-state"] == "ACTIVE" and created["etag"]
    tenancy = oci_cli(sandbox, "iam", "tenancy", "get", "--tenancy-id", DEMO)["data"]
    assert tenancy["home-region-key"] == "IAD"


def test_compute_commands(sandbox: Sandbox) -> None:
    image = oci_cli(sandbox, "compute", "image", "get", "--image-id", IMAGE)["data"]
    assert (image["display-name"], image["lifecycle-state"]) == ("ocmp-demo-image", "AVAILABLE")
    shapes = oci_cli(sandbox, "compute", "image-shape-compatibility-entry", "list",
                     "--image-id", IMAGE)["data"]
    assert [s["shape"] for s in shapes] == ["VM.Standard.E4.Flex", "VM.Standard3.Flex",
                                            "VM.Standard2.1"]
    versions = oci_cli(sandbox, "compute", "pic", "version", "list", "--listing-id",
                       LISTING)["data"]
    assert versions[0]["listing-resource-id"] == ("ocid1.image.oc1.."
                                                  "aaaaaaaaocmpdemomarketplaceimage")
    terms = client(sandbox, oci.core.ComputeClient).get_app_catalog_listing_agreements(
        LISTING, "1.0.0").data
    subscription = oci_cli(
        sandbox, "compute", "pic", "subscription", "create", "--compartment-id", DEMO,
        "--listing-id", LISTING, "--resource-version", "1.0.0", "--signature", terms.signature,
        "--oracle-tou-link", terms.oracle_terms_of_use_link, "--eula-link", terms.eula_link,
        "--time-retrieved", terms.time_retrieved.isoformat())["data"]
    assert subscription["listing-resource-id"] == versions[0]["listing-resource-id"]


def test_resource_manager_commands(sandbox: Sandbox, tmp_path: Path) -> None:
    archive = tmp_path / "stack.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("main.tf", 'resource "oci_core_vcn" "vcn" {\n  cidr_block = "10.0.0.0/16"'
                                   '\n}\n')
    archive.write_bytes(buffer.getvalue())
    stack = oci_cli(sandbox, "resource-manager", "stack", "create", "--compartment-id", DEMO,
                    "--config-source", str(archive), "--display-name", "cli-stack")["data"]
    job = oci_cli(sandbox, "resource-manager", "job", "create-plan-job", "--stack-id",
                  stack["id"], "--wait-for-state", "SUCCEEDED", "--wait-for-state", "FAILED",
                  "--wait-interval-seconds", "1")["data"]
    assert job["lifecycle-state"] == "SUCCEEDED" and job["operation"] == "PLAN"
    logs = oci_cli(sandbox, "resource-manager", "job", "get-job-logs", "--job-id",
                   job["id"])["data"]
    assert any("Plan: 1 to add" in entry["message"] for entry in logs)


def test_publisher_commands(sandbox: Sandbox) -> None:
    products = oci_cli(sandbox, "marketplace-publisher", "product-collection", "list-products",
                       "--compartment-id", DEMO)["data"]["items"]
    assert "applications" in {p["code"] for p in products}
    listing = oci_cli(sandbox, "marketplace-publisher", "listing", "create", "--compartment-id",
                      DEMO, "--name", "CLI listing", "--listing-type", "OCI_APPLICATION",
                      "--package-type", "MACHINE_IMAGE")["data"]
    got = oci_cli(sandbox, "marketplace-publisher", "listing", "get", "--listing-id",
                  listing["id"])
    assert got["data"]["name"] == "CLI listing" and got["etag"]
    stale = oci_cli(sandbox, "marketplace-publisher", "listing", "update", "--listing-id",
                    listing["id"], "--freeform-tags", "{}", "--if-match", "stale", "--force",
                    expect=1)
    assert '"code": "NoEtagMatch"' in stale and '"status": 412' in stale
    machine_image = {"sourceImageId": IMAGE, "isSnapshotAllowed": False,
                     "imageShapeCompatibilityEntries": [{"shape": "VM.Standard2.1"}]}
    wr = oci_cli(sandbox, "marketplace-publisher", "artifact",
                 "create-artifact-create-machine-image-artifact-details", "--compartment-id",
                 DEMO, "--display-name", "cli image", "--machine-image",
                 json.dumps(machine_image), "--wait-for-state", "SUCCEEDED",
                 "--wait-for-state", "FAILED", "--wait-interval-seconds", "1")["data"]
    assert (wr["operation-type"], wr["status"]) == ("CREATE_ARTIFACT", "SUCCEEDED")
    artifact = client(sandbox, oci.marketplace_publisher.MarketplacePublisherClient
                      ).get_artifact(wr["resources"][0]["identifier"]).data
    assert (artifact.lifecycle_state, artifact.status) == ("ACTIVE", "AVAILABLE")


def test_publisher_actions_and_consumer_side(sandbox: Sandbox) -> None:
    pub = client(sandbox, oci.marketplace_publisher.MarketplacePublisherClient)
    sandbox.set_reviewer(mode="auto", after_polls=1)
    _, revision_id, _ = ready_revision(pub)
    submitted = oci_cli(sandbox, "marketplace-publisher", "listing-revision",
                        "submit-listing-revision-for-review", "--listing-revision-id",
                        revision_id, "--note-details", "from the oci-cli")["data"]
    assert submitted["status"] == "PENDING_REVIEW"
    assert pub.get_listing_revision(revision_id).data.status == "APPROVED"
    wr = oci_cli(sandbox, "marketplace-publisher", "listing-revision",
                 "publish-listing-revision-as-private", "--listing-revision-id", revision_id,
                 "--allowed-tenancies", json.dumps([DEMO]), "--wait-for-state", "SUCCEEDED",
                 "--wait-for-state", "FAILED", "--wait-interval-seconds", "1")["data"]
    assert wr["status"] == "SUCCEEDED"
    notes = oci_cli(sandbox, "marketplace-publisher",
                    "listing-revision-note-collection", "list-listing-revision-notes",
                    "--listing-revision-id", revision_id)["data"]["items"]
    assert [n["note-source"] for n in notes] == ["PUBLISHER", "ADMINISTRATOR"]
    listings = oci_cli(sandbox, "marketplace", "listing", "list", "--compartment-id",
                       DEMO)["data"]
    assert [(item["name"], item["listing-type"]) for item in listings] == [("Demo App",
                                                                             "PRIVATE")]
    package = oci_cli(sandbox, "marketplace", "package", "get", "--listing-id",
                      listings[0]["id"], "--package-version", "1.0.0", "--compartment-id",
                      DEMO)["data"]
    revision = pub.get_listing_revision(revision_id).data
    assert revision.status == "PUBLISHED_AS_PRIVATE"
    published = pub.list_listing_revision_packages(revision_id).data.items[0]
    details = pub.get_listing_revision_package(published.id).data.machine_image_details
    assert package["image-id"] == details.compute_image_id
    agreement = client(sandbox, oci.marketplace.MarketplaceClient).list_agreements(
        listings[0]["id"], "1.0.0").data[0]
    signed = client(sandbox, oci.marketplace.MarketplaceClient).get_agreement(
        listings[0]["id"], "1.0.0", agreement.id).data.signature
    accepted = oci_cli(sandbox, "marketplace", "accepted-agreement", "create",
                       "--compartment-id", DEMO, "--listing-id", listings[0]["id"],
                       "--package-version", "1.0.0", "--agreement-id", agreement.id,
                       "--signature", signed)["data"]
    assert accepted["agreement-id"] == agreement.id and accepted["time-accepted"]
    assert isinstance(pub.get_listing_revision(revision_id).data, m.OciListingRevision)


def test_after_publishing_commands(sandbox: Sandbox, tmp_path: Path) -> None:
    """Leads, reports, an export, sorting (400 on bad values), withdraw, and the etags
    and headers the TypeScript SDK found missing — all with the oci-cli."""
    pub = client(sandbox, oci.marketplace_publisher.MarketplacePublisherClient)
    sandbox.set_reviewer(mode="auto", after_polls=1)
    listing_id, revision_id, _ = ready_revision(pub)
    pub.submit_listing_revision_for_review(m.SubmitListingRevisionForReviewDetails(), revision_id)
    assert pub.get_listing_revision(revision_id).data.status == "APPROVED"
    wr = pub.publish_listing_revision_as_private(
        m.PublishListingRevisionAsPrivateDetails(allowed_tenancies=[DEMO]), revision_id)
    while pub.get_work_request(wr.headers["opc-work-request-id"]).data.status != "SUCCEEDED":
        pass
    leads = oci_cli(sandbox, "marketplace-publisher", "lead-collection", "list-leads",
                    "--compartment-id", DEMO, "--listing-id", listing_id, "--sort-by",
                    "timeCreated", "--sort-order", "DESC")["data"]["items"]
    assert {lead["additional-info"]["company"] for lead in leads} == {"Example Corp",
                                                                      "Sample Ltd"}
    payouts = oci_cli(sandbox, "marketplace-publisher", "disbursement-report-record-collection",
                      "list-disbursement-report-records", "--compartment-id", DEMO,
                      "--date-range", "LAST_MONTH")["data"]["items"]
    assert [p["listing-id"] for p in payouts] == [listing_id]
    done = oci_cli(sandbox, "marketplace-publisher", "customer-instance-report-export",
                   "generate", "--compartment-id", DEMO, "--listing-id", listing_id,
                   "--wait-for-state", "SUCCEEDED", "--wait-for-state", "FAILED",
                   "--wait-interval-seconds", "1")["data"]
    assert done["status"] == "SUCCEEDED"
    export_id = done["resources"][0]["identifier"]
    export = oci_cli(sandbox, "marketplace-publisher", "customer-instance-report-export", "get",
                     "--customer-instance-report-export-id", export_id)
    assert export["data"]["lifecycle-state"] == "SUCCEEDED" and export["etag"]
    # (the CLI, like the SDK it is built on, declares no body for the export's content)
    terms = oci_cli(sandbox, "marketplace-publisher", "listing-collection", "list-listings",
                    "--compartment-id", DEMO, "--sort-by", "displayName", "--sort-order",
                    "DESC")["data"]["items"]
    assert [t["name"] for t in terms] == ["Demo App"]
    consumer = oci_cli(sandbox, "marketplace", "listing", "list", "--compartment-id",
                       DEMO)["data"]
    got = oci_cli(sandbox, "marketplace", "listing", "get", "--listing-id", consumer[0]["id"])
    assert got["etag"]
    withdrawn = oci_cli(sandbox, "marketplace-publisher", "listing-revision", "withdraw",
                        "--listing-revision-id", revision_id, "--wait-for-state", "SUCCEEDED",
                        "--wait-for-state", "FAILED", "--wait-interval-seconds", "1")["data"]
    assert withdrawn["status"] == "SUCCEEDED"
    # an empty list prints nothing at all
    assert oci_cli(sandbox, "marketplace", "listing", "list", "--compartment-id", DEMO) is None
