"""After publishing, through the real SDK: leads, instance and disbursement records, report
exports, support docs, withdrawal and unpublishing on the consumer side, sort orders and the
fields and headers an independent client (the TypeScript SDK) found missing or extra."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import oci
import pytest
from oci.marketplace_publisher import models as m

from ocmp.sandbox import Sandbox
from tests.sandbox.flows import DEMO, finish, png, ready_revision
from tests.sandbox.sdk import client
from tests.sandbox.test_auth import _send

Pub = oci.marketplace_publisher.MarketplacePublisherClient


@pytest.fixture
def pub(sandbox: Sandbox) -> Pub:
    return client(sandbox, Pub)


def published(sandbox: Sandbox, pub: Pub) -> tuple[str, str]:
    """An approved, privately published revision: (listing id, revision id)."""
    sandbox.set_reviewer(mode="auto", after_polls=1)
    listing_id, revision_id, _ = ready_revision(pub)
    pub.submit_listing_revision_for_review(m.SubmitListingRevisionForReviewDetails(), revision_id)
    assert pub.get_listing_revision(revision_id).data.status == "APPROVED"
    wr = pub.publish_listing_revision_as_private(
        m.PublishListingRevisionAsPrivateDetails(allowed_tenancies=[DEMO]), revision_id)
    assert finish(pub, wr.headers["opc-work-request-id"]).status == "SUCCEEDED"
    return listing_id, revision_id


def model_keys(model: type) -> set[str]:
    return set(model().attribute_map.values())


def test_publication_brings_leads_installs_and_payouts(sandbox: Sandbox, pub: Pub) -> None:
    listing_id, revision_id = published(sandbox, pub)
    leads = pub.list_leads(DEMO, listing_id=listing_id, sort_by="timeCreated",
                           sort_order="DESC").data.items
    assert {lead.additional_info.company for lead in leads} == {"Example Corp", "Sample Ltd"}
    lead = pub.get_lead(leads[0].id)
    assert lead.data.listing_id == listing_id and lead.headers["etag"]
    records = pub.list_customer_instance_report_records(DEMO, listing_id=listing_id).data.items
    assert [(r.listing_version_id, r.status, r.package_version) for r in records] == [
        (revision_id, "RUNNING", "1.0.0")]
    assert pub.list_customer_instance_report_records(DEMO, status="TERMINATED").data.items == []
    payouts = pub.list_disbursement_report_records(DEMO, "LAST_MONTH").data.items
    assert [(p.listing_id, p.disbursement_amount_usd) for p in payouts] == [(listing_id, "80.00")]


def test_a_report_export_is_a_work_request_with_a_csv(sandbox: Sandbox, pub: Pub) -> None:
    listing_id, _ = published(sandbox, pub)
    sandbox.seed({"customer_instances": [
        {"listing": "Demo App", "instanceId": f"ocid1.instance.oc1..seed{n}", "status": "STOPPED",
         "shape": "VM.Standard2.1", "timeInstanceCreation": "2026-01-0{n}T00:00:00.000Z"}
        for n in (1, 2)]})
    response = pub.generate_customer_instance_report_export(
        m.GenerateCustomerInstanceReportExportDetails(compartment_id=DEMO, listing_id=listing_id,
                                                      status="STOPPED"))
    assert response.status == 202
    wr = pub.get_work_request(response.headers["opc-work-request-id"]).data
    export_id = wr.resources[0].identifier
    assert wr.resources[0].action_type == "CREATED"
    early = pub.get_customer_instance_report_export(export_id).data
    assert early.lifecycle_state in ("IN_PROGRESS", "SUCCEEDED")
    assert finish(pub, wr.id).status == "SUCCEEDED"
    export = pub.get_customer_instance_report_export(export_id).data
    assert (export.lifecycle_state, export.status) == ("SUCCEEDED", "STOPPED")
    raw = _send(sandbox, "GET", f"/20241201/customerInstanceReportExports/{export_id}/content")
    assert raw.headers["content-type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(raw.text)))
    assert [r["instanceId"] for r in rows] == ["ocid1.instance.oc1..seed1",
                                               "ocid1.instance.oc1..seed2"]
    listed = pub.list_customer_instance_report_exports(DEMO).data.items
    assert [e.id for e in listed] == [export_id]
    pub.delete_customer_instance_report_export(export_id)
    assert pub.list_customer_instance_report_exports(DEMO).data.items == []


def test_support_docs(pub: Pub) -> None:
    docs = pub.list_support_docs(DEMO, sort_by="displayName", sort_order="ASC").data.items
    assert [d.name for d in docs] == sorted(d.name for d in docs) and len(docs) == 3
    doc = pub.get_support_doc(docs[0].code).data
    assert doc.content_url.endswith(f"/supportDocs/{doc.code}/content")
    assert pub.get_support_doc_content(doc.code).data.content.decode().strip()


def test_withdraw_and_unpublish_reach_the_consumer_side(sandbox: Sandbox, pub: Pub) -> None:
    _, revision_id = published(sandbox, pub)
    market = client(sandbox, oci.marketplace.MarketplaceClient)
    [consumer] = market.list_listings(compartment_id=DEMO).data
    default = pub.list_listing_revision_packages(revision_id).data.items[0]
    with pytest.raises(oci.exceptions.ServiceError) as err:
        pub.un_publish_listing_revision_package(default.id)
    assert (err.value.status, err.value.code) == (409, "Conflict")
    wr = pub.withdraw_listing_revision(revision_id)
    assert finish(pub, wr.headers["opc-work-request-id"]).status == "SUCCEEDED"
    assert market.list_listings(compartment_id=DEMO).data == []
    with pytest.raises(oci.exceptions.ServiceError) as gone:
        market.get_package(consumer.id, "1.0.0")
    assert gone.value.status == 404


@pytest.mark.parametrize("path", ["/20241201/terms", "/20241201/listings",
                                  "/20241201/leads", "/20241201/supportDocs"])
def test_invalid_sort_values_are_400(sandbox: Sandbox, path: str) -> None:
    for query in ("sortOrder=UP", "sortBy=size"):
        response = _send(sandbox, "GET", f"{path}?compartmentId={DEMO}&{query}")
        assert response.status_code == 400, (path, query, response.text)
        assert response.json()["code"] == "InvalidParameter"


def test_lists_honour_sort_by_and_sort_order(pub: Pub) -> None:
    for name in ("b-term", "c-term", "a-term"):
        pub.create_term(m.CreateTermDetails(compartment_id=DEMO, name=name))
    names = [t.name for t in pub.list_terms(DEMO, sort_by="displayName").data.items]
    assert names == ["a-term", "b-term", "c-term"]  # names default to ascending
    assert [t.name for t in pub.list_terms(DEMO, sort_by="displayName",
                                            sort_order="DESC").data.items] == names[::-1]
    newest = [t.name for t in pub.list_terms(DEMO, sort_by="timeCreated").data.items]
    assert newest[0] == "a-term"  # times default to descending
    for name in ("L2", "L1"):
        pub.create_listing(m.CreateListingDetails(compartment_id=DEMO, name=name,
                                                  listing_type="OCI_APPLICATION",
                                                  package_type="MACHINE_IMAGE"))
    assert [x.name for x in pub.list_listings(compartment_id=DEMO, sort_by="displayName",
                                              sort_order="ASC").data.items] == ["L1", "L2"]


def test_fields_and_headers_an_independent_client_expects(sandbox: Sandbox, pub: Pub) -> None:
    published(sandbox, pub)
    # TermSummary has no publisherId
    raw = _send(sandbox, "GET", f"/20241201/terms?compartmentId={DEMO}").json()["items"][0]
    assert set(raw) <= model_keys(m.TermSummary), set(raw) - model_keys(m.TermSummary)
    market = client(sandbox, oci.marketplace.MarketplaceClient)
    [consumer] = market.list_listings(compartment_id=DEMO).data
    assert market.get_listing(consumer.id).headers["etag"]
    package = market.get_package(consumer.id, "1.0.0")
    assert package.headers["etag"]
    compute = client(sandbox, oci.core.ComputeClient)
    catalog_id = package.data.app_catalog_listing_id
    assert compute.get_app_catalog_listing(catalog_id).headers["etag"]
    assert compute.get_app_catalog_listing_resource_version(catalog_id, "1.0.0").headers["etag"]
    terms = compute.get_app_catalog_listing_agreements(catalog_id, "1.0.0")
    assert terms.headers["etag"]
    subscription = compute.create_app_catalog_subscription(
        oci.core.models.CreateAppCatalogSubscriptionDetails(
            compartment_id=DEMO, listing_id=catalog_id, listing_resource_version="1.0.0",
            oracle_terms_of_use_link=terms.data.oracle_terms_of_use_link,
            eula_link=terms.data.eula_link, time_retrieved=terms.data.time_retrieved,
            signature=terms.data.signature))
    assert subscription.headers["etag"]


def test_no_timeupdated_where_the_sdk_models_have_none(sandbox: Sandbox) -> None:
    for path, model in ((f"/20160918/policies?compartmentId={DEMO}", oci.identity.models.Policy),
                        (f"/20160918/images?compartmentId={DEMO}", oci.core.models.Image)):
        rows: list[dict[str, Any]] = _send(sandbox, "GET", path).json()
        assert rows and all("timeUpdated" not in r for r in rows), path
        assert all(set(r) <= model_keys(model) for r in rows), path


def test_attachment_content_url_is_set_before_the_upload(sandbox: Sandbox, pub: Pub) -> None:
    _, revision_id, _ = ready_revision(pub)
    made = pub.create_listing_revision_attachment(m.CreateScreenShotAttachmentDetails(
        listing_revision_id=revision_id, display_name="shot")).data
    url = made.content_url
    assert url and url.endswith(f"/listingRevisionAttachments/{made.id}/content")
    listed = pub.list_listing_revision_attachments(revision_id).data.items
    assert [a.content_url for a in listed] == [url]
    with pytest.raises(oci.exceptions.ServiceError) as err:
        pub.get_listing_revision_attachment_content(made.id)
    assert err.value.status == 404
    pub.update_listing_revision_attachment_content(made.id, png())
    assert pub.get_listing_revision_attachment(made.id).data.content_url == url
    assert re.match(r"https?://", url)


def test_create_stack_answers_its_work_request(sandbox: Sandbox) -> None:
    import base64
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("main.tf", 'variable "x" {}\n')
    rm = client(sandbox, oci.resource_manager.ResourceManagerClient)
    source = oci.resource_manager.models.CreateZipUploadConfigSourceDetails(
        zip_file_base64_encoded=base64.b64encode(buffer.getvalue()).decode())
    created = rm.create_stack(oci.resource_manager.models.CreateStackDetails(
        compartment_id=DEMO, config_source=source))
    wr_id = created.headers["opc-work-request-id"]
    wr = rm.get_work_request(wr_id).data
    assert wr.status == "SUCCEEDED" and wr.resources[0].identifier == created.data.id
    assert rm.get_stack(created.data.id).data.lifecycle_state == "ACTIVE"
    raw = _send(sandbox, "GET", f"/20180917/stacks/{created.data.id}").json()
    assert "timeUpdated" not in raw
