"""Listings over HTTP."""

from __future__ import annotations

from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.wire import by_time_or, check_if_match, collection, listed, resource, summary
from ocmp.sandbox.services.common import require_compartment, require_fields
from ocmp.sandbox.services.publisher.models import listings
from ocmp.sandbox.services.publisher.models.scope import TAGS
from ocmp.sandbox.services.publisher.responses.common import accepted, scope, tags

_SUMMARY = ("id", "compartmentId", "listingType", "name", "lifecycleState", "packageType",
            "timeCreated", "timeUpdated", *TAGS, "systemTags")


def create_listing(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "compartmentId", "name", "listingType", "packageType")
    compartment = require_compartment(call, body["compartmentId"])
    new = listings.NewListing(compartment_id=compartment, name=body["name"],
                              listing_type=body["listingType"],
                              package_type=body["packageType"], tags=tags(body))
    return resource(listings.create(scope(call), new))


def list_listings(call: Call) -> Reply:
    compartment = require_compartment(call, call.query("compartmentId"))
    docs = listed(call, "listing", compartmentId=compartment, name=call.query("name"),
                  listingType=call.query("listingType"))
    return collection(call, docs, summary(_SUMMARY), sort=by_time_or("name"))


def get_listing(call: Call, listingId: str) -> Reply:
    return resource(listings.get(scope(call), listingId))


def update_listing(call: Call, listingId: str) -> Reply:
    model = scope(call)
    doc = listings.get(model, listingId)
    check_if_match(call, doc)
    return resource(listings.update(model, doc, tags(call.json())))


def delete_listing(call: Call, listingId: str) -> Reply:
    model = scope(call)
    doc = listings.get(model, listingId)
    check_if_match(call, doc)
    listings.delete(model, doc)
    return Reply(204)


def cascading_delete_listing(call: Call, listingId: str) -> Reply:
    model = scope(call)
    doc = listings.get(model, listingId)
    check_if_match(call, doc)
    return accepted(listings.cascading_delete(model, doc))


def change_listing_compartment(call: Call, listingId: str) -> Reply:
    model = scope(call)
    doc = listings.get(model, listingId)
    check_if_match(call, doc)
    target = require_compartment(call, call.json().get("compartmentId"))
    return accepted(listings.change_compartment(model, doc, target))
