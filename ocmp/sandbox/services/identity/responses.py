"""Identity over HTTP: read each request into :class:`.models.Identity`'s arguments, answer
in the wire shape. Lists are bare JSON arrays, as the real service sends them."""

from __future__ import annotations

from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.wire import (
    check_if_match,
    collection,
    public,
    public_without,
    resource,
    sort_docs,
)
from ocmp.sandbox.services.common import require_compartment, require_fields
from ocmp.sandbox.services.identity.models import Identity, NewCompartment, NewPolicy, statements

# The SDK models of these resources have no timeUpdated.
_VIEW = public_without("timeUpdated")
_SORT = {"TIMECREATED": "timeCreated", "NAME": "name"}
_POLICY_UPDATES = ("description", "versionDate", "freeformTags", "definedTags")


def _backend(call: Call) -> Identity:
    return Identity(call.store, call.tenancy)


def get_tenancy(call: Call, tenancyId: str) -> Reply:
    return Reply(200, public(_backend(call).tenancy_doc(tenancyId)))


def list_region_subscriptions(call: Call, tenancyId: str) -> Reply:
    return Reply(200, [public(s) for s in _backend(call).region_subscriptions(tenancyId)])


def list_regions(call: Call) -> Reply:
    return Reply(200, Identity.regions())


def list_compartments(call: Call) -> Reply:
    parent = require_compartment(call, call.query("compartmentId"))
    docs = _backend(call).compartments(
        parent, subtree=call.query_bool("compartmentIdInSubtree") or False,
        name=call.query("name"), state=call.query("lifecycleState"))
    return collection(call, sort_docs(call, docs, _SORT, "TIMECREATED"), _VIEW, wrap=False)


def get_compartment(call: Call, compartmentId: str) -> Reply:
    return resource(_backend(call).compartment(compartmentId), view=_VIEW)


def create_compartment(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "compartmentId", "name", "description")
    parent = require_compartment(call, body["compartmentId"])
    doc = _backend(call).create_compartment(NewCompartment(
        parent, body["name"], body["description"], body.get("freeformTags") or {},
        body.get("definedTags") or {}))
    return resource(doc, view=_VIEW)


def list_policies(call: Call) -> Reply:
    compartment = require_compartment(call, call.query("compartmentId"))
    docs = _backend(call).policies(compartment, name=call.query("name"),
                                   state=call.query("lifecycleState"))
    return collection(call, sort_docs(call, docs, _SORT, "TIMECREATED"), _VIEW, wrap=False)


def get_policy(call: Call, policyId: str) -> Reply:
    return resource(_backend(call).policy(policyId), view=_VIEW)


def create_policy(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "compartmentId", "name", "statements", "description")
    compartment = require_compartment(call, body["compartmentId"])
    doc = _backend(call).create_policy(NewPolicy(
        compartment, body["name"], statements(body["statements"]), body["description"],
        body.get("versionDate"), body.get("freeformTags") or {}, body.get("definedTags") or {}))
    return resource(doc, view=_VIEW)


def update_policy(call: Call, policyId: str) -> Reply:
    backend = _backend(call)
    policy = backend.policy(policyId)
    check_if_match(call, policy)
    body = call.json()
    changes = {k: body[k] for k in _POLICY_UPDATES if body.get(k) is not None}
    if body.get("statements") is not None:
        changes["statements"] = statements(body["statements"])
    return resource(backend.update_policy(policy, changes), view=_VIEW)


def delete_policy(call: Call, policyId: str) -> Reply:
    backend = _backend(call)
    policy = backend.policy(policyId)
    check_if_match(call, policy)
    backend.delete_policy(policy)
    return Reply(204)
