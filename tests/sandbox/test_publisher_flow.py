"""The image listing flow end to end through the real SDK, down to the consumer listing."""

from __future__ import annotations

import oci
import pytest
from oci.marketplace_publisher import models as m

from ocmp.sandbox import Sandbox
from tests.sandbox.flows import DEMO, finish, png, ready_revision
from tests.sandbox.sdk import client


@pytest.fixture
def pub(sandbox: Sandbox) -> oci.marketplace_publisher.MarketplacePublisherClient:
    return client(sandbox, oci.marketplace_publisher.MarketplacePublisherClient)


def test_publish_as_private_fills_package_and_consumer_listing(
    sandbox: Sandbox, pub: oci.marketplace_publisher.MarketplacePublisherClient
) -> None:
    _, revision_id, _ = ready_revision(pub)
    submitted = pub.submit_listing_revision_for_review(
        m.SubmitListingRevisionForReviewDetails(note_details="please review"), revision_id).data
    assert submitted.status == "PENDING_REVIEW"
    seen = [pub.get_listing_revision(revision_id).data.status for _ in range(3)]
    assert seen == ["REVIEW_IN_PROGRESS", "REVIEW_IN_PROGRESS", "APPROVED"]
    notes = pub.list_listing_revision_notes(revision_id).data.items
    assert [n.note_source for n in notes] == ["PUBLISHER", "ADMINISTRATOR"]
    response = pub.publish_listing_revision_as_private(
        m.PublishListingRevisionAsPrivateDetails(allowed_tenancies=[DEMO]), revision_id)
    assert response.status == 202
    wr = finish(pub, response.headers["opc-work-request-id"])
    assert wr.status == "SUCCEEDED" and wr.operation_type == "PUBLISH_LISTING_REVISION_AS_PRIVATE"
    revision = pub.get_listing_revision(revision_id).data
    assert revision.status == "PUBLISHED_AS_PRIVATE" and revision.allowed_tenancies == [DEMO]
    package = pub.list_listing_revision_packages(revision_id).data.items[0]
    details = pub.get_listing_revision_package(package.id).data
    assert isinstance(details, m.MachineImagePackage)
    assert details.status == "PUBLISHED_AS_PRIVATE"
    image_id = details.machine_image_details.compute_image_id
    compute = client(sandbox, oci.core.ComputeClient)
    version = compute.get_app_catalog_listing_resource_version(
        details.machine_image_details.compute_app_catalog_id, "1.0.0").data
    assert version.listing_resource_id == image_id
    market = client(sandbox, oci.marketplace.MarketplaceClient)
    listings = market.list_listings(compartment_id=DEMO, listing_types=["PRIVATE"]).data
    assert [item.name for item in listings] == ["Demo App"]
    consumer = market.get_package(listings[0].id, "1.0.0", compartment_id=DEMO).data
    assert consumer.image_id == image_id


def test_icon_round_trip_and_types(pub: oci.marketplace_publisher.MarketplacePublisherClient
                                   ) -> None:
    _, revision_id, _ = ready_revision(pub)
    revision = pub.get_listing_revision(revision_id).data
    assert isinstance(revision, m.OciListingRevision)
    assert revision.icon.mime_type == "image/png"
    assert pub.get_listing_revision_icon_content(revision_id).data.content == png()
    with pytest.raises(oci.exceptions.ServiceError) as err:
        pub.update_listing_revision_icon_content(revision_id, b"not an image")
    assert err.value.status == 400


def test_a_refused_icon_upload_keeps_the_icon_served_before(
    pub: oci.marketplace_publisher.MarketplacePublisherClient
) -> None:
    # The model checks the bytes before it keeps them (and the request's transaction rolls
    # back on any refusal): the revision's icon and its content still agree.
    _, revision_id, _ = ready_revision(pub)
    with pytest.raises(oci.exceptions.ServiceError) as err:
        pub.update_listing_revision_icon_content(revision_id, b"%PDF-1.7 not an image")
    assert err.value.status == 400 and "application/pdf" in err.value.message
    assert pub.get_listing_revision_icon_content(revision_id).data.content == png()
    assert pub.get_listing_revision(revision_id).data.icon.mime_type == "image/png"
