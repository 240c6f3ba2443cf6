"""Publisher preconditions, validation failures and wire conventions through the real SDK."""

from __future__ import annotations

from typing import Any

import oci
import pytest
from oci.marketplace_publisher import models as m

from ocmp.sandbox import Sandbox
from tests.sandbox.flows import (
    DEMO,
    IMAGE,
    created_id,
    finish,
    image_artifact,
    image_shapes,
    listing_with_draft,
    png,
    ready_revision,
    term_with_active_version,
)
from tests.sandbox.sdk import client

Pub = oci.marketplace_publisher.MarketplacePublisherClient


@pytest.fixture
def pub(sandbox: Sandbox) -> Pub:
    return client(sandbox, Pub)


def _error(call: Any, *args: Any, **kwargs: Any) -> tuple[int, str]:
    with pytest.raises(oci.exceptions.ServiceError) as err:
        call(*args, **kwargs)
    return err.value.status, err.value.code


@pytest.mark.parametrize(("image", "shapes", "expected"), [
    ("ocid1.image.oc1.iad.missing", None, "was not found"),
    ("ocid1.image.oc1.iad.importing", None, "must be AVAILABLE"),
    ("ocid1.image.oc1.phx.elsewhere", None, "must be in us-ashburn-1"),
    (IMAGE, [m.ImageShapeCompatibility(shape="VM.Standard.E4.Generic")], "generic alias"),
    (IMAGE, [m.ImageShapeCompatibility(shape="VM.Standard.E4.Flex")],
     "needs ocpuConstraints and memoryConstraints"),
    (IMAGE, [m.ImageShapeCompatibility(
        shape="VM.Standard.E4.Flex", ocpu_constraints=m.ImageOcpuConstraints(min=1, max=200),
        memory_constraints=m.ImageMemoryConstraints(min_in_gbs=1, max_in_gbs=64))],
     "outside the shape's range"),
    (IMAGE, [m.ImageShapeCompatibility(shape="VM.Standard.A1.Flex", ocpu_constraints=(
        m.ImageOcpuConstraints(min=1, max=4)), memory_constraints=m.ImageMemoryConstraints(
        min_in_gbs=1, max_in_gbs=24))], "not compatible with image"),
], ids=["missing", "not-available", "wrong-region", "generic-shape", "flex-no-constraints",
        "flex-out-of-range", "incompatible-shape"])
def test_image_artifact_validation_fails_like_marketplace(
    sandbox: Sandbox, pub: Pub, image: str, shapes: Any, expected: str
) -> None:
    sandbox.seed({"images": [
        {"id": "ocid1.image.oc1.iad.importing", "state": "IMPORTING",
         "shapes": ["VM.Standard2.1"]},
        {"id": "ocid1.image.oc1.phx.elsewhere", "region": "us-phoenix-1",
         "shapes": ["VM.Standard2.1"]}]})
    wr = image_artifact(pub, image=image, shapes=shapes)
    assert wr.status == "FAILED"
    errors = pub.list_work_request_errors(wr.id).data.items
    assert any(expected in e.message for e in errors), [e.message for e in errors]
    # The code says what failed (the artifact's validation), whatever the message's words.
    assert {e.code for e in errors} == {"ValidationFailed"}
    artifact = pub.get_artifact(created_id(wr, "artifact")).data
    assert (artifact.status, artifact.machine_image.validation_status) == (
        "UNAVAILABLE", "VALIDATION_FAILED")
    assert expected in artifact.machine_image.validation_error
    logs = [entry.message for entry in pub.list_work_request_logs(wr.id).data.items]
    assert logs[0] == "CREATE_ARTIFACT accepted" and logs[-1] == "CREATE_ARTIFACT failed"


def test_artifact_needs_the_marketplace_policy(sandbox: Sandbox, pub: Pub) -> None:
    identity = client(sandbox, oci.identity.IdentityClient)
    for policy in identity.list_policies(DEMO).data:
        identity.delete_policy(policy.id)
    wr = image_artifact(pub)
    assert wr.status == "FAILED"
    error = pub.list_work_request_errors(wr.id).data.items[0]
    assert "read instance-images" in error.message
    assert error.code == "ValidationFailed"


def test_work_request_advances_over_polls(pub: Pub) -> None:
    response = pub.create_artifact(m.CreateMachineImageArtifactDetails(
        compartment_id=DEMO, machine_image=m.CreateMachineImageDetails(
            source_image_id=IMAGE, is_snapshot_allowed=False,
            image_shape_compatibility_entries=image_shapes())))
    wr_id = response.headers["opc-work-request-id"]
    artifact_id = pub.list_artifacts(compartment_id=DEMO).data.items[0].id
    assert pub.get_artifact(artifact_id).data.lifecycle_state == "CREATING"
    assert pub.get_work_request(wr_id).data.status == "SUCCEEDED"  # the artifact GET polled too
    artifact = pub.get_artifact(artifact_id).data
    assert (artifact.lifecycle_state, artifact.status) == ("ACTIVE", "AVAILABLE")
    listed = pub.list_work_requests(compartment_id=DEMO, resource_id=artifact_id).data.items
    assert [w.operation_type for w in listed] == ["CREATE_ARTIFACT"]


def test_package_preconditions(sandbox: Sandbox, pub: Pub) -> None:
    failed = created_id(image_artifact(pub, image="ocid1.image.oc1.iad.missing"), "artifact")
    term_id = term_with_active_version(pub)
    _, revision_id = listing_with_draft(pub)

    def package(artifact_id: str, version: str = "1.0") -> tuple[int, str]:
        return _error(pub.create_listing_revision_package, m.CreateListingRevisionPackageDetails(
            listing_revision_id=revision_id, package_version=version, artifact_id=artifact_id,
            term_id=term_id, are_security_upgrades_provided=False))

    assert package(failed) == (409, "IncorrectState")
    assert package("ocid1.mktpubartifact.oc1.iad.unknown") == (
        400, "RelatedResourceNotAuthorizedOrNotFound")
    assert _error(pub.submit_listing_revision_for_review,
                  m.SubmitListingRevisionForReviewDetails(), revision_id) == (
        409, "IncorrectState")


def test_revision_state_rules(pub: Pub) -> None:
    listing_id, revision_id, _ = ready_revision(pub)
    assert _error(pub.publish_listing_revision, revision_id) == (409, "IncorrectState")
    pub.submit_listing_revision_for_review(m.SubmitListingRevisionForReviewDetails(),
                                           revision_id)
    update = m.UpdateOciListingRevisionDetails(headline="changed")
    assert _error(pub.update_listing_revision, revision_id, update) == (409, "IncorrectState")
    assert _error(pub.update_listing_revision_icon_content, revision_id, png()) == (
        409, "IncorrectState")
    assert _error(pub.create_listing_revision, m.CreateOciListingRevisionDetails(
        listing_id=listing_id, headline="second", pricing_type="FREE",
        products=[m.ListingProduct(code="applications", categories=["DEVELOPER_TOOLS"])])) == (
        409, "IncorrectState")


def test_if_match_mismatch_is_412(pub: Pub) -> None:
    listing_id, _ = listing_with_draft(pub)
    current = pub.get_listing(listing_id)
    pub.update_listing(listing_id, m.UpdateListingDetails(freeform_tags={"a": "b"}),
                       if_match=current.headers["etag"])
    assert _error(pub.update_listing, listing_id, m.UpdateListingDetails(freeform_tags={}),
                  if_match=current.headers["etag"]) == (412, "NoEtagMatch")


def test_retry_token_replays_the_first_answer(pub: Pub) -> None:
    details = m.CreateListingDetails(compartment_id=DEMO, name="once",
                                     listing_type="OCI_APPLICATION", package_type="STACK")
    first = pub.create_listing(details, opc_retry_token="token-1").data
    again = pub.create_listing(details, opc_retry_token="token-1").data
    assert again.id == first.id
    assert len(pub.list_listings(compartment_id=DEMO).data.items) == 1
    other = m.CreateListingDetails(compartment_id=DEMO, name="twice",
                                   listing_type="OCI_APPLICATION", package_type="STACK")
    assert _error(pub.create_listing, other, opc_retry_token="token-1") == (
        409, "InvalidatedRetryToken")
    assert _error(pub.create_listing, details) == (409, "NotAuthorizedOrResourceAlreadyExists")


def test_listings_paginate(pub: Pub) -> None:
    for i in range(5):
        pub.create_listing(m.CreateListingDetails(compartment_id=DEMO, name=f"l{i}",
                                                  listing_type="OCI_APPLICATION",
                                                  package_type="MACHINE_IMAGE"))
    first = pub.list_listings(compartment_id=DEMO, limit=2)
    assert len(first.data.items) == 2 and first.headers["opc-next-page"]
    every = oci.pagination.list_call_get_all_results(pub.list_listings, compartment_id=DEMO,
                                                     limit=2)
    assert [item.name for item in every.data] == [f"l{i}" for i in range(5)]


def test_unemulated_route_is_501(pub: Pub) -> None:
    assert _error(pub.list_available_services, DEMO) == (501, "NotImplemented")


def test_reject_mode_leaves_the_note_and_allows_a_fix(sandbox: Sandbox, pub: Pub) -> None:
    sandbox.set_reviewer(mode="reject", after_polls=1, note="Screenshots are missing")
    _, revision_id, _ = ready_revision(pub)
    pub.submit_listing_revision_for_review(m.SubmitListingRevisionForReviewDetails(),
                                           revision_id)
    rejected = pub.get_listing_revision(revision_id).data
    assert (rejected.status, rejected.status_notes) == ("REJECTED", "Screenshots are missing")
    fixed = pub.update_listing_revision(revision_id, m.UpdateOciListingRevisionDetails(
        headline="fixed")).data
    assert fixed.headline == "fixed"


def test_withdraw_and_clone(sandbox: Sandbox, pub: Pub) -> None:
    sandbox.set_reviewer(mode="auto", after_polls=1)
    listing_id, revision_id, _ = ready_revision(pub)
    pub.submit_listing_revision_for_review(m.SubmitListingRevisionForReviewDetails(),
                                           revision_id)
    assert pub.get_listing_revision(revision_id).data.status == "APPROVED"
    finish(pub, pub.publish_listing_revision(revision_id).headers["opc-work-request-id"])
    assert pub.get_listing_revision(revision_id).data.status == "PUBLISHED"
    clone = finish(pub, pub.clone_listing_revision(revision_id).headers["opc-work-request-id"])
    clone_id = created_id(clone, "listingRevision")
    copy = pub.get_listing_revision(clone_id).data
    assert (copy.status, copy.lifecycle_state, copy.headline) == ("NEW", "ACTIVE",
                                                                  "Demo headline")
    assert [p.status for p in pub.list_listing_revision_packages(clone_id).data.items] == ["NEW"]
    withdrawn = finish(pub, pub.withdraw_listing_revision(revision_id).headers[
        "opc-work-request-id"])
    assert withdrawn.status == "SUCCEEDED"
    assert pub.get_listing_revision(revision_id).data.status == "UNPUBLISHED"
    market = client(sandbox, oci.marketplace.MarketplaceClient)
    assert market.list_listings(compartment_id=DEMO).data == []
    revisions = pub.list_listing_revisions(listing_id).data.items
    assert sorted(r.status for r in revisions) == ["NEW", "UNPUBLISHED"]


def test_content_round_trips(pub: Pub) -> None:
    term = pub.create_term(m.CreateTermDetails(compartment_id=DEMO, name="T")).data
    version = pub.create_term_version(b"%PDF-1.7 terms", term.id, display_name="v1").data
    assert version.attachment.mime_type == "application/pdf"
    assert pub.get_term_version_content(version.id).data.content == b"%PDF-1.7 terms"
    assert version.lifecycle_state == "INACTIVE"
    assert pub.activate_term_version(version.id).data.lifecycle_state == "ACTIVE"
    _, revision_id = listing_with_draft(pub)
    attachment = pub.create_listing_revision_attachment(m.CreateScreenShotAttachmentDetails(
        listing_revision_id=revision_id, display_name="shot")).data
    assert isinstance(attachment, m.ScreenShotAttachment)
    updated = pub.update_listing_revision_attachment_content(attachment.id, png(64, 48)).data
    assert updated.mime_type == "image/png"
    assert pub.get_listing_revision_attachment_content(attachment.id).data.content == png(64, 48)
    banner = pub.update_listing_revision_banner_content(revision_id, "banner.png", png()).data
    assert (banner.banner.name, banner.banner.mime_type) == ("banner.png", "image/png")


def test_reference_data(pub: Pub) -> None:
    products = {p.code for p in pub.list_products(compartment_id=DEMO).data.items}
    assert {"applications", "security", "databases"} <= products
    categories = pub.list_categories(compartment_id=DEMO, product_code="security").data.items
    assert "FIREWALL" in {c.code for c in categories}
    assert pub.get_category("DEVELOPER_TOOLS", DEMO).data.product_code == "applications"
    shapes = {s.shape: s for s in pub.list_supported_shapes(compartment_id=DEMO).data.items}
    assert shapes["VM.Standard.E4.Flex"].is_flexible and not shapes["VM.Standard2.1"].is_flexible
    assert {mk.code for mk in pub.list_markets(compartment_id=DEMO).data.items} == {"US", "EU"}
    publisher = pub.list_publishers(compartment_id=DEMO).data.items[0]
    assert pub.get_publisher(publisher.id).data.publisher_status == "APPROVED"


def test_dropped_connection_fault(sandbox: Sandbox, pub: Pub) -> None:
    sandbox.add_fault(method="GET", path_regex="/products$", status=0, drop_connection=True)
    with pytest.raises(Exception) as err:  # the SDK surfaces the transport error as-is
        pub.list_products(compartment_id=DEMO)
    assert not isinstance(err.value, oci.exceptions.ServiceError)
    assert pub.list_products(compartment_id=DEMO).data.items


def test_a_sandbox_bug_answers_500_in_oci_shape(sandbox: Sandbox, pub: Pub) -> None:
    sandbox.store.put(DEMO, "termVersion", {"id": "broken"}, parent="t")  # no "status"
    status, code = _error(pub.list_term_versions, term_id="t")
    assert (status, code) == (500, "InternalServerError")
