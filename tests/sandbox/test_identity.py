"""Identity through the real SDK: tenancy, region subscriptions, compartments, policies."""

from __future__ import annotations

import oci
import pytest

from ocmp.sandbox import Sandbox
from tests.sandbox.sdk import client

DEMO = "ocid1.tenancy.oc1..aaaaaaaaocmpsandboxdemotenancy"


@pytest.fixture
def identity(sandbox: Sandbox) -> oci.identity.IdentityClient:
    return client(sandbox, oci.identity.IdentityClient)


def test_tenancy_and_region_subscriptions(identity: oci.identity.IdentityClient) -> None:
    tenancy = identity.get_tenancy(DEMO)
    assert tenancy.data.id == DEMO
    assert tenancy.data.home_region_key == "IAD"
    assert tenancy.headers["opc-request-id"]
    subs = identity.list_region_subscriptions(DEMO).data
    assert [(s.region_name, s.status, s.is_home_region) for s in subs] == [
        ("us-ashburn-1", "READY", True)
    ]


def test_demo_policy_has_the_seven_marketplace_statements(
    identity: oci.identity.IdentityClient,
) -> None:
    policies = identity.list_policies(DEMO).data
    statements = [s for p in policies for s in p.statements]
    assert len(statements) == 7
    assert "ALLOW SERVICE marketplace to read orm-jobs IN TENANCY" in statements


def test_policy_create_get_update_delete(identity: oci.identity.IdentityClient) -> None:
    created = identity.create_policy(oci.identity.models.CreatePolicyDetails(
        compartment_id=DEMO, name="extra", description="more",
        statements=["ALLOW SERVICE marketplace to read tenant IN TENANCY"])).data
    fetched = identity.get_policy(created.id)
    assert fetched.data.name == "extra" and fetched.headers["etag"]
    updated = identity.update_policy(created.id, oci.identity.models.UpdatePolicyDetails(
        statements=["ALLOW SERVICE marketplace to read compartments IN TENANCY"]),
        if_match=fetched.headers["etag"]).data
    assert updated.statements == ["ALLOW SERVICE marketplace to read compartments IN TENANCY"]
    with pytest.raises(oci.exceptions.ServiceError) as stale:
        identity.update_policy(created.id, oci.identity.models.UpdatePolicyDetails(
            description="x"), if_match=fetched.headers["etag"])
    assert (stale.value.status, stale.value.code) == (412, "NoEtagMatch")
    identity.delete_policy(created.id)
    with pytest.raises(oci.exceptions.ServiceError) as gone:
        identity.get_policy(created.id)
    assert (gone.value.status, gone.value.code) == (404, "NotAuthorizedOrNotFound")


def test_duplicate_policy_name_is_a_conflict(identity: oci.identity.IdentityClient) -> None:
    details = oci.identity.models.CreatePolicyDetails(
        compartment_id=DEMO, name="marketplace", description="dup",
        statements=["ALLOW SERVICE marketplace to read tenant IN TENANCY"])
    with pytest.raises(oci.exceptions.ServiceError) as err:
        identity.create_policy(details)
    assert err.value.status == 409


def test_policies_paginate(identity: oci.identity.IdentityClient) -> None:
    for i in range(4):
        identity.create_policy(oci.identity.models.CreatePolicyDetails(
            compartment_id=DEMO, name=f"p{i}", description="d",
            statements=["ALLOW SERVICE marketplace to read tenant IN TENANCY"]))
    first = identity.list_policies(DEMO, limit=2)
    assert len(first.data) == 2 and first.next_page
    everything = oci.pagination.list_call_get_all_results(identity.list_policies, DEMO, limit=2)
    assert sorted(p.name for p in everything.data) == ["marketplace", "p0", "p1", "p2", "p3"]


def test_compartments_create_list_get(identity: oci.identity.IdentityClient) -> None:
    created = identity.create_compartment(oci.identity.models.CreateCompartmentDetails(
        compartment_id=DEMO, name="apps", description="apps")).data
    names = [c.name for c in identity.list_compartments(DEMO).data]
    assert names == ["marketplace", "apps"]
    assert identity.get_compartment(created.id).data.lifecycle_state == "ACTIVE"
    with pytest.raises(oci.exceptions.ServiceError) as err:
        identity.list_compartments("ocid1.compartment.oc1..unknown")
    assert err.value.status == 404
