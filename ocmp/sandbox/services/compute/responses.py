"""Compute over HTTP: read each request into :class:`.models.Compute`'s arguments, answer
in the wire shape. Lists are bare JSON arrays, as the real service sends them."""

from __future__ import annotations

from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.wire import collection, public, public_without, resource, sort_docs, tagged
from ocmp.sandbox.services.common import require_compartment, require_fields
from ocmp.sandbox.services.compute.models import Compute, ImageFilter, Subscription

# The SDK models of these resources have no timeUpdated.
_VIEW = public_without("timeUpdated")
_SORT = {"TIMECREATED": "timeCreated", "DISPLAYNAME": "displayName"}
_LISTING_SUMMARY = ("listingId", "displayName", "summary", "publisherName")
_VERSION_SUMMARY = ("listingId", "timePublished", "listingResourceId", "listingResourceVersion")


def _backend(call: Call) -> Compute:
    return Compute(call.store, call.tenancy)


def list_images(call: Call) -> Reply:
    wanted = ImageFilter(compartment=require_compartment(call, call.query("compartmentId")),
                         display_name=call.query("displayName"),
                         operating_system=call.query("operatingSystem"),
                         operating_system_version=call.query("operatingSystemVersion"),
                         lifecycle_state=call.query("lifecycleState"), shape=call.query("shape"))
    docs = _backend(call).images(wanted)
    return collection(call, sort_docs(call, docs, _SORT, "TIMECREATED"), _VIEW, wrap=False)


def get_image(call: Call, imageId: str) -> Reply:
    return resource(_backend(call).image(imageId), view=_VIEW)


def list_image_shapes(call: Call, imageId: str) -> Reply:
    backend = _backend(call)
    return collection(call, backend.shape_entries(backend.image(imageId)), lambda d: d,
                      wrap=False)


def get_image_shape(call: Call, imageId: str, shapeName: str) -> Reply:
    return Reply(200, _backend(call).shape_entry(imageId, shapeName))


def list_shapes(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    return collection(call, _backend(call).shapes(call.query("imageId")), lambda d: d,
                      wrap=False)


def list_app_catalog_listings(call: Call) -> Reply:
    docs = _backend(call).catalog_listings(call.query("displayName"),
                                           call.query("publisherName"))
    return collection(call, docs, lambda d: {k: d[k] for k in _LISTING_SUMMARY}, wrap=False)


def get_app_catalog_listing(call: Call, listingId: str) -> Reply:
    return tagged(public(_backend(call).catalog_listing(listingId)))


def list_resource_versions(call: Call, listingId: str) -> Reply:
    docs = _backend(call).catalog_versions(listingId)
    return collection(call, docs, lambda d: {k: d[k] for k in _VERSION_SUMMARY}, wrap=False)


def get_resource_version(call: Call, listingId: str, resourceVersion: str) -> Reply:
    return tagged(public(_backend(call).catalog_version(listingId, resourceVersion)))


def get_agreements(call: Call, listingId: str, resourceVersion: str) -> Reply:
    return tagged(_backend(call).agreements(listingId, resourceVersion))


def create_subscription(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "compartmentId", "listingId", "listingResourceVersion",
                   "oracleTermsOfUseLink", "timeRetrieved", "signature")
    compartment = require_compartment(call, body["compartmentId"])
    return tagged(_backend(call).subscribe(Subscription(
        compartment, str(body["listingId"]), str(body["listingResourceVersion"]),
        str(body["signature"]))))


def list_subscriptions(call: Call) -> Reply:
    compartment = require_compartment(call, call.query("compartmentId"))
    return collection(call, _backend(call).subscriptions(compartment, call.query("listingId")),
                      wrap=False)


def delete_subscription(call: Call) -> Reply:
    listing = call.query("listingId", required=True)
    compartment = require_compartment(call, call.query("compartmentId"))
    version = call.query("resourceVersion", required=True)
    assert listing is not None and version is not None  # required=True raised otherwise
    _backend(call).unsubscribe(compartment, listing, version)
    return Reply(204)
