"""Listings: the named container of revisions (sync create, ACTIVE at once)."""

from __future__ import annotations

from ocmp.sandbox.core import workrequests
from ocmp.sandbox.core.errors import ApiError, conflict, invalid
from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import (
    by_time_or,
    collection,
    copy_given,
    listed,
    new_id,
    resource,
    save,
    soft_delete,
    summary,
    touch,
)
from ocmp.sandbox.services.common import require_compartment, require_fields
from ocmp.sandbox.services.publisher.common import TAGS, fetch, live, publisher_of, tags

LISTING_TYPES = ("OCI_APPLICATION", "LEAD_GENERATION", "SERVICE")
PACKAGE_TYPES = ("CONTAINER_IMAGE", "HELM_CHART", "MACHINE_IMAGE", "STACK", "NONE")
_SUMMARY = ("id", "compartmentId", "listingType", "name", "lifecycleState", "packageType",
            "timeCreated", "timeUpdated", *TAGS, "systemTags")


def create_listing(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "compartmentId", "name", "listingType", "packageType")
    compartment = require_compartment(call, body["compartmentId"])
    if body["listingType"] not in LISTING_TYPES:
        raise invalid(f"listingType must be one of {', '.join(LISTING_TYPES)}")
    if body["packageType"] not in PACKAGE_TYPES:
        raise invalid(f"packageType must be one of {', '.join(PACKAGE_TYPES)}")
    publisher = publisher_of(call)
    if live(call.store, call.tenancy, "listing", name=body["name"]):
        raise ApiError(409, "NotAuthorizedOrResourceAlreadyExists",
                       f"A listing named {body['name']!r} already exists")
    doc = touch(listing_doc(new_id("mktpublisting"), compartment, publisher["id"], body),
                created=True)
    call.store.put(call.tenancy, "listing", doc)
    return resource(doc)


def listing_doc(ident: str, compartment: str, publisher_id: str, body: Doc) -> Doc:
    """A new ACTIVE listing (``body`` in the API's camelCase; seeding builds one too)."""
    return {"id": ident, "compartmentId": compartment, "publisherId": publisher_id,
            "listingType": body["listingType"], "name": body["name"],
            "packageType": body["packageType"], "extendedMetadata": None,
            "lifecycleState": "ACTIVE", **tags(body)}


def list_listings(call: Call) -> Reply:
    compartment = require_compartment(call, call.query("compartmentId"))
    docs = listed(call, "listing", compartmentId=compartment, name=call.query("name"),
                  listingType=call.query("listingType"))
    return collection(call, docs, summary(_SUMMARY), sort=by_time_or("name"))


def get_listing(call: Call, listingId: str) -> Reply:
    return resource(fetch(call, "listing", listingId))


def update_listing(call: Call, listingId: str) -> Reply:
    doc = fetch(call, "listing", listingId, if_match=True)
    body = call.json()
    copy_given(doc, body, TAGS)
    return save(call, "listing", doc)


def delete_listing(call: Call, listingId: str) -> Reply:
    doc = fetch(call, "listing", listingId, if_match=True)
    if live(call.store, call.tenancy, "revision", parent=listingId):
        raise conflict(f"Listing {listingId} has revisions; use cascadingDelete")
    return soft_delete(call, "listing", doc)


def cascading_delete_listing(call: Call, listingId: str) -> Reply:
    doc = fetch(call, "listing", listingId, if_match=True)
    if any(r["status"] in ("PUBLISHED", "PUBLISHED_AS_PRIVATE")
           for r in live(call.store, call.tenancy, "revision", parent=listingId)):
        raise conflict(f"Listing {listingId} has a published revision; withdraw it first")
    wr = workrequests.start(
        call.store, call.tenancy, operation="CASCADING_DELETE_LISTING",
        compartment_id=doc["compartmentId"], finish="cascade_listing", args={"id": listingId},
        resources=[workrequests.wr_resource("listing", "DELETED", listingId,
                                            f"/20241201/listings/{listingId}")],
        polls=call.settings["work_request_polls"])
    doc.update(lifecycleState="DELETING", _wr=wr["id"])
    call.store.put(call.tenancy, "listing", touch(doc))
    return workrequests.accepted(wr)


def delete_revision_tree(store: Store, tenancy: str, revision: Doc) -> None:
    """Mark a revision and everything under it DELETED."""
    for kind in ("package", "attachment", "note"):
        for child in store.list(tenancy, kind, parent=revision["id"]):
            child["lifecycleState"] = "DELETED"
            store.put(tenancy, kind, touch(child))
    revision["lifecycleState"] = "DELETED"
    revision.pop("_wr", None)
    store.put(tenancy, "revision", touch(revision))


@workrequests.completer("cascade_listing")
def _cascade(store: Store, tenancy: str, wr: Doc) -> list[str]:
    listing = store.get(tenancy, "listing", wr["_args"]["id"])
    if listing is None:
        return ["The listing no longer exists"]
    for revision in store.list(tenancy, "revision", parent=listing["id"]):
        delete_revision_tree(store, tenancy, revision)
    listing["lifecycleState"] = "DELETED"
    listing.pop("_wr", None)
    store.put(tenancy, "listing", touch(listing))
    return []


def change_listing_compartment(call: Call, listingId: str) -> Reply:
    doc = fetch(call, "listing", listingId, if_match=True)
    target = require_compartment(call, call.json().get("compartmentId"))
    wr = workrequests.start(
        call.store, call.tenancy, operation="CHANGE_LISTING_COMPARTMENT", compartment_id=target,
        finish="move", args={"kind": "listing", "id": listingId, "compartmentId": target},
        resources=[workrequests.wr_resource("listing", "UPDATED", listingId,
                                            f"/20241201/listings/{listingId}")],
        polls=call.settings["work_request_polls"])
    doc["_wr"] = wr["id"]
    call.store.put(call.tenancy, "listing", doc)
    return workrequests.accepted(wr)
