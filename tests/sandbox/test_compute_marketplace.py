"""Compute App Catalog and consumer Marketplace through the real SDK, shared state files,
private listing visibility across tenancies, and latency."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import oci
import pytest
from oci.core import models as cm
from oci.marketplace import models as mm
from oci.marketplace_publisher import models as pm

from ocmp.sandbox import Sandbox
from ocmp.sandbox.keys import generate_key_pair
from tests.sandbox.flows import DEMO, finish, ready_revision
from tests.sandbox.sdk import client, config

LISTING = "ocid1.appcataloglisting.oc1..aaaaaaaaocmpdemolisting"
OTHER = "ocid1.tenancy.oc1..aaaaaaaaconsumertenancy"


def test_app_catalog_agreement_and_subscription(sandbox: Sandbox) -> None:
    compute = client(sandbox, oci.core.ComputeClient)
    listings = compute.list_app_catalog_listings().data
    assert [item.listing_id for item in listings] == [LISTING]
    agreements = compute.get_app_catalog_listing_agreements(LISTING, "1.0.0").data
    details = cm.CreateAppCatalogSubscriptionDetails(
        compartment_id=DEMO, listing_id=LISTING, listing_resource_version="1.0.0",
        oracle_terms_of_use_link=agreements.oracle_terms_of_use_link,
        eula_link=agreements.eula_link, time_retrieved=agreements.time_retrieved,
        signature=agreements.signature)
    subscription = compute.create_app_catalog_subscription(details).data
    assert subscription.listing_resource_id == "ocid1.image.oc1..aaaaaaaaocmpdemomarketplaceimage"
    assert len(compute.list_app_catalog_subscriptions(DEMO, listing_id=LISTING).data) == 1
    details.signature = "forged"
    with pytest.raises(oci.exceptions.ServiceError) as err:
        compute.create_app_catalog_subscription(details)
    assert err.value.status == 400
    compute.delete_app_catalog_subscription(LISTING, DEMO, "1.0.0")
    assert compute.list_app_catalog_subscriptions(DEMO).data == []


def _publish_private(sandbox: Sandbox, allowed: list[str]) -> None:
    pub = client(sandbox, oci.marketplace_publisher.MarketplacePublisherClient)
    sandbox.set_reviewer(mode="auto", after_polls=1)
    _, revision_id, _ = ready_revision(pub)
    pub.submit_listing_revision_for_review(pm.SubmitListingRevisionForReviewDetails(),
                                           revision_id)
    assert pub.get_listing_revision(revision_id).data.status == "APPROVED"
    wr = pub.publish_listing_revision_as_private(
        pm.PublishListingRevisionAsPrivateDetails(allowed_tenancies=allowed), revision_id)
    assert finish(pub, wr.headers["opc-work-request-id"]).status == "SUCCEEDED"


def _other_tenancy(sandbox: Sandbox, tmp_path: Path) -> dict[str, Any]:
    pair = generate_key_pair()
    key_file = tmp_path / "consumer.pem"
    key_file.write_text(pair.private_pem)
    sandbox.add_key(pair.public_pem, tenancy_id=OTHER)
    return {**config(sandbox), "tenancy": OTHER, "key_file": str(key_file),
            "fingerprint": pair.fingerprint}


def test_private_listing_is_visible_to_allowed_tenancies_only(sandbox: Sandbox,
                                                              tmp_path: Path) -> None:
    other_config = _other_tenancy(sandbox, tmp_path)
    _publish_private(sandbox, [OTHER])
    consumer = client(sandbox, oci.marketplace.MarketplaceClient, config=other_config)
    listing = consumer.list_listings(compartment_id=OTHER).data[0]
    packages = consumer.list_packages(listing.id).data
    assert [p.package_version for p in packages] == ["1.0.0"]
    agreements = consumer.list_agreements(listing.id, "1.0.0").data
    assert {a.author for a in agreements} == {"ORACLE", "PARTNER"}
    agreement = consumer.get_agreement(listing.id, "1.0.0", agreements[0].id,
                                       compartment_id=OTHER).data
    accepted = consumer.create_accepted_agreement(mm.CreateAcceptedAgreementDetails(
        compartment_id=OTHER, listing_id=listing.id, package_version="1.0.0",
        agreement_id=agreement.id, signature=agreement.signature)).data
    assert [a.id for a in consumer.list_accepted_agreements(OTHER).data] == [accepted.id]
    image_id = consumer.get_package(listing.id, "1.0.0").data.image_id
    other_compute = client(sandbox, oci.core.ComputeClient, config=other_config)
    assert other_compute.get_image(image_id).data.lifecycle_state == "AVAILABLE"


def test_private_listing_is_hidden_from_other_tenancies(sandbox: Sandbox,
                                                        tmp_path: Path) -> None:
    other_config = _other_tenancy(sandbox, tmp_path)
    _publish_private(sandbox, [DEMO])
    consumer = client(sandbox, oci.marketplace.MarketplaceClient, config=other_config)
    assert consumer.list_listings(compartment_id=OTHER).data == []
    publisher_side = client(sandbox, oci.marketplace.MarketplaceClient)
    assert len(publisher_side.list_listings(compartment_id=DEMO).data) == 1


def test_two_sandboxes_share_a_state_file(tmp_path: Path) -> None:
    state = tmp_path / "shared.sqlite"
    with Sandbox(state_file=state) as first, Sandbox(state_file=state) as second:
        created = client(first, oci.marketplace_publisher.MarketplacePublisherClient
                         ).create_listing(pm.CreateListingDetails(
                             compartment_id=DEMO, name="shared", listing_type="OCI_APPLICATION",
                             package_type="STACK")).data
        seen = client(second, oci.marketplace_publisher.MarketplacePublisherClient
                      ).get_listing(created.id).data
        assert seen.name == "shared"


def test_latency_is_added_to_every_request(sandbox: Sandbox) -> None:
    identity = client(sandbox, oci.identity.IdentityClient)
    sandbox.set_latency(0.2)
    started = time.perf_counter()
    identity.get_tenancy(DEMO)
    assert time.perf_counter() - started >= 0.2
