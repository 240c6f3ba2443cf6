"""Seed sections for existing publishing work (terms with versions, listings with revisions,
stacks, App Catalog regions), read back through the real SDK."""

from __future__ import annotations

from typing import Any

import oci
import pytest

from ocmp.sandbox import Sandbox
from ocmp.sandbox.seed import SeedError
from tests.sandbox.sdk import client

DEMO = "ocid1.tenancy.oc1..aaaaaaaaocmpsandboxdemotenancy"
STACK = "ocid1.ormstack.oc1.iad.aaaaaaaaseededstack"


@pytest.fixture
def pub(sandbox: Sandbox) -> oci.marketplace_publisher.MarketplacePublisherClient:
    return client(sandbox, oci.marketplace_publisher.MarketplacePublisherClient)


def test_seeded_term_versions_are_listed_with_their_states_and_content(
    sandbox: Sandbox, pub: oci.marketplace_publisher.MarketplacePublisherClient
) -> None:
    sandbox.seed({"terms": [{"name": "EULA", "versions": [
        {"name": "v1", "state": "INACTIVE"},
        {"name": "v2", "state": "ACTIVE", "text": "Be nice"}]}]})
    (term,) = pub.list_terms(DEMO, name="EULA").data.items
    assert term.lifecycle_state == "ACTIVE"
    versions = pub.list_term_versions(term.id).data.items
    assert [(v.display_name, v.lifecycle_state, v.status) for v in versions] == [
        ("v1", "INACTIVE", "AVAILABLE"), ("v2", "ACTIVE", "AVAILABLE")]
    content = pub.get_term_version_content(versions[1].id).data.content
    assert content == b"Be nice"
    # A seeded version behaves like an uploaded one: activating v1 deactivates v2.
    pub.activate_term_version(versions[0].id)
    states = [v.lifecycle_state for v in pub.list_term_versions(term.id).data.items]
    assert states == ["ACTIVE", "INACTIVE"]


def test_seeded_listing_revision_in_review_blocks_a_new_one(
    sandbox: Sandbox, pub: oci.marketplace_publisher.MarketplacePublisherClient
) -> None:
    sandbox.seed({"listings": [{"name": "Acme Demo App", "package_type": "MACHINE_IMAGE",
                                "revisions": [{"status": "PENDING_REVIEW"}]}]})
    (listing,) = pub.list_listings(DEMO, name="Acme Demo App").data.items
    assert (listing.package_type, listing.lifecycle_state) == ("MACHINE_IMAGE", "ACTIVE")
    (revision,) = pub.list_listing_revisions(listing.id).data.items
    assert (revision.status, revision.display_name) == ("PENDING_REVIEW", "Acme Demo App")
    details = oci.marketplace_publisher.models.CreateOciListingRevisionDetails(
        listing_id=listing.id, headline="h", pricing_type="FREE",
        products=[oci.marketplace_publisher.models.ListingProduct(
            code="applications", categories=["DEVELOPER_TOOLS"])])
    with pytest.raises(oci.exceptions.ServiceError) as refused:
        pub.create_listing_revision(details)
    assert refused.value.status == 409
    assert "already has a revision in progress" in refused.value.message


def test_seeded_stacks_keep_their_state_and_unknown_ids_are_404(sandbox: Sandbox) -> None:
    rm = client(sandbox, oci.resource_manager.ResourceManagerClient)
    sandbox.seed({"stacks": [{"id": STACK, "name": "s", "state": "FAILED"},
                             {"id": STACK + "ok", "name": "t"}]})
    assert (rm.get_stack(STACK).data.lifecycle_state, rm.get_stack(STACK).data.display_name) == (
        "FAILED", "s")
    assert rm.get_stack(STACK + "ok").data.lifecycle_state == "ACTIVE"
    with pytest.raises(oci.exceptions.ServiceError) as gone:
        rm.get_stack(STACK + "gone")
    assert (gone.value.status, gone.value.code) == (404, "NotAuthorizedOrNotFound")


def test_app_catalog_regions_and_shapes_come_from_the_seed(sandbox: Sandbox) -> None:
    compute = client(sandbox, oci.core.ComputeClient)
    listing = "ocid1.appcataloglisting.oc1..aaaaaaaafrankfurtonly"
    sandbox.seed({"app_catalog": [{"listing_id": listing, "version": "2.0",
                                   "image_id": "ocid1.image.oc1..aaaaaaaax",
                                   "regions": ["eu-frankfurt-1"], "shapes": ["VM.Standard2.1"]}]})
    version = compute.get_app_catalog_listing_resource_version(listing, "2.0").data
    assert (version.available_regions, version.compatible_shapes) == (
        ["eu-frankfurt-1"], ["VM.Standard2.1"])
    demo = compute.get_app_catalog_listing_resource_version(
        "ocid1.appcataloglisting.oc1..aaaaaaaaocmpdemolisting", "1.0.0").data
    assert demo.available_regions == ["us-ashburn-1"]  # the default when a seed names none


@pytest.mark.parametrize(("seed", "message"), [
    ({"terms": [{"name": "T", "versions": [{"state": "LIVE"}]}]}, "terms: version state 'LIVE'"),
    ({"listings": [{"name": "L", "revisions": [{"status": "DONE"}]}]},
     "listings: revision status 'DONE'"),
    ({"stacks": [{"id": STACK, "state": "GREEN"}]}, "stacks: state 'GREEN'"),
    ({"stacks": [{"name": "no id"}]}, "stacks: an entry lacks the key 'id'"),
    ({"app_catalog": [{"listing_id": "x", "image_id": "y", "regions": "us-ashburn-1"}]},
     "app_catalog: not in the documented shape"),
])
def test_bad_seed_entries_name_the_section(sandbox: Sandbox, seed: dict[str, Any],
                                           message: str) -> None:
    with pytest.raises(SeedError) as bad:
        sandbox.seed(seed)
    assert message in str(bad.value)


def test_listings_need_a_publisher_account() -> None:
    with pytest.raises(SeedError) as bad, Sandbox(seed={"listings": [{"name": "L"}]}):
        pass
    assert "listings need a publisher account" in str(bad.value)
