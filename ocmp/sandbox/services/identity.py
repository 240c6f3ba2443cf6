"""Identity (``/20160918``): tenancy, region subscriptions, compartments, policies.

Lists are bare JSON arrays. Policies support create, get, list, update and delete; other
Identity resources (users, groups, dynamic groups, tags) are not emulated.
"""

from __future__ import annotations

from ocmp.sandbox.core.errors import ApiError, invalid, not_found
from ocmp.sandbox.core.routing import Call, Reply, RouteTable
from ocmp.sandbox.core.wire import (
    check_if_match,
    collection,
    copy_given,
    get_or_404,
    new_id,
    public,
    public_without,
    resource,
    save,
    soft_delete,
    sort_docs,
    touch,
)
from ocmp.sandbox.services.common import REGION_KEYS, require_compartment, require_fields

# The SDK models of these resources have no timeUpdated.
_VIEW = public_without("timeUpdated")

ROUTES = RouteTable("Identity", "/20160918")
_SORT = {"TIMECREATED": "timeCreated", "NAME": "name"}


def _tenancy(call: Call, tenancy_id: str) -> dict[str, object]:
    doc = call.store.get(call.tenancy, "tenancy", tenancy_id)
    if doc is None or tenancy_id != call.tenancy:
        raise not_found("tenancy", tenancy_id)
    return doc


@ROUTES.route("GET", "/tenancies/<tenancyId>", "GetTenancy")
def get_tenancy(call: Call, tenancyId: str) -> Reply:
    return Reply(200, public(_tenancy(call, tenancyId)))


@ROUTES.route("GET", "/tenancies/<tenancyId>/regionSubscriptions", "ListRegionSubscriptions")
def list_region_subscriptions(call: Call, tenancyId: str) -> Reply:
    _tenancy(call, tenancyId)
    subs = call.store.list(call.tenancy, "regionSubscription")
    return Reply(200, [public(s) for s in subs])


@ROUTES.route("GET", "/regions", "ListRegions")
def list_regions(call: Call) -> Reply:
    return Reply(200, [{"key": key, "name": name} for name, key in sorted(REGION_KEYS.items())])


@ROUTES.route("GET", "/compartments", "ListCompartments",
              "accessLevel is accepted and ignored: every compartment is accessible")
def list_compartments(call: Call) -> Reply:
    parent = require_compartment(call, call.query("compartmentId"))
    subtree = call.query_bool("compartmentIdInSubtree") or False
    name = call.query("name")
    state = call.query("lifecycleState")
    docs = [d for d in call.store.list(call.tenancy, "compartment")
            if (subtree or d["compartmentId"] == parent)
            and (name is None or d["name"] == name)
            and (state is None or d["lifecycleState"] == state)]
    return collection(call, sort_docs(call, docs, _SORT, "TIMECREATED"), _VIEW, wrap=False)


@ROUTES.route("GET", "/compartments/<compartmentId>", "GetCompartment")
def get_compartment(call: Call, compartmentId: str) -> Reply:
    doc = get_or_404(call, "compartment", compartmentId)
    return resource(doc, view=_VIEW)


@ROUTES.route("POST", "/compartments", "CreateCompartment")
def create_compartment(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "compartmentId", "name", "description")
    parent = require_compartment(call, body["compartmentId"])
    if any(d["name"] == body["name"] and d["compartmentId"] == parent
           for d in call.store.list(call.tenancy, "compartment")):
        raise ApiError(409, "CompartmentAlreadyExists",
                       f"A compartment named {body['name']} already exists here")
    doc = touch({"id": new_id("compartment", ""), "compartmentId": parent, "name": body["name"],
                 "description": body["description"], "lifecycleState": "ACTIVE",
                 "isAccessible": True, "freeformTags": body.get("freeformTags") or {},
                 "definedTags": body.get("definedTags") or {}}, created=True)
    call.store.put(call.tenancy, "compartment", doc)
    return resource(doc, view=_VIEW)


def _policy(call: Call, policy_id: str) -> dict[str, object]:
    doc = call.store.get(call.tenancy, "policy", policy_id)
    if doc is None or doc.get("lifecycleState") == "DELETED":
        raise not_found("policy", policy_id)
    return doc


def _statements(value: object) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(s, str) for s in value):
        raise invalid("statements must be a non-empty list of strings")
    for statement in value:
        if not statement.strip().lower().startswith(("allow", "define", "endorse", "admit")):
            raise invalid(f"Policy statement cannot be parsed: {statement!r}")
    return list(value)


@ROUTES.route("GET", "/policies", "ListPolicies")
def list_policies(call: Call) -> Reply:
    compartment = require_compartment(call, call.query("compartmentId"))
    name = call.query("name")
    state = call.query("lifecycleState")
    docs = [d for d in call.store.list(call.tenancy, "policy")
            if d["compartmentId"] == compartment and d["lifecycleState"] != "DELETED"
            and (name is None or d["name"] == name)
            and (state is None or d["lifecycleState"] == state)]
    return collection(call, sort_docs(call, docs, _SORT, "TIMECREATED"), _VIEW, wrap=False)


@ROUTES.route("GET", "/policies/<policyId>", "GetPolicy")
def get_policy(call: Call, policyId: str) -> Reply:
    return resource(_policy(call, policyId), view=_VIEW)


@ROUTES.route("POST", "/policies", "CreatePolicy")
def create_policy(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "compartmentId", "name", "statements", "description")
    compartment = require_compartment(call, body["compartmentId"])
    statements = _statements(body["statements"])
    if any(d["name"] == body["name"] and d["lifecycleState"] != "DELETED"
           for d in call.store.list(call.tenancy, "policy")):
        raise ApiError(409, "PolicyAlreadyExists", f"A policy named {body['name']} already exists")
    doc = touch({"id": new_id("policy", ""), "compartmentId": compartment, "name": body["name"],
                 "statements": statements, "description": body["description"],
                 "lifecycleState": "ACTIVE", "versionDate": body.get("versionDate"),
                 "freeformTags": body.get("freeformTags") or {},
                 "definedTags": body.get("definedTags") or {}}, created=True)
    call.store.put(call.tenancy, "policy", doc)
    return resource(doc, view=_VIEW)


@ROUTES.route("PUT", "/policies/<policyId>", "UpdatePolicy")
def update_policy(call: Call, policyId: str) -> Reply:
    doc = _policy(call, policyId)
    check_if_match(call, doc)
    body = call.json()
    if "statements" in body and body["statements"] is not None:
        doc["statements"] = _statements(body["statements"])
    copy_given(doc, body, ("description", "versionDate", "freeformTags", "definedTags"))
    return save(call, "policy", doc, view=_VIEW)


@ROUTES.route("DELETE", "/policies/<policyId>", "DeletePolicy")
def delete_policy(call: Call, policyId: str) -> Reply:
    doc = _policy(call, policyId)
    check_if_match(call, doc)
    return soft_delete(call, "policy", doc)
