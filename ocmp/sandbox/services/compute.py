"""Compute (``/20160918``): images, image shapes, shapes, App Catalog listings, resource
versions, agreements and subscriptions. Lists are bare JSON arrays.

Images are not created through this API: they come from the seed (and from publication,
which replicates a published image into the App Catalog).
"""

from __future__ import annotations

from typing import Any

from ocmp.sandbox.core.errors import ApiError, not_found
from ocmp.sandbox.core.routing import Call, Reply, RouteTable
from ocmp.sandbox.core.store import Doc
from ocmp.sandbox.core.wire import (
    collection,
    get_or_404,
    now,
    public,
    public_without,
    resource,
    sort_docs,
    tagged,
)
from ocmp.sandbox.services.common import require_compartment, require_fields
from ocmp.sandbox.services.compute_catalog import (
    EULA_LINK,
    ORACLE_TERMS_LINK,
    agreement_signature,
)

# The SDK models of these resources have no timeUpdated.
_VIEW = public_without("timeUpdated")

ROUTES = RouteTable("Compute", "/20160918")
_SORT = {"TIMECREATED": "timeCreated", "DISPLAYNAME": "displayName"}


def _image(call: Call, image_id: str) -> Doc:
    doc = call.store.get(call.tenancy, "image", image_id)
    if doc is None or doc.get("lifecycleState") == "DELETED":
        raise not_found("image", image_id)
    return doc


@ROUTES.route("GET", "/images", "ListImages",
              "Only the caller's seeded images; no Oracle platform images")
def list_images(call: Call) -> Reply:
    compartment = require_compartment(call, call.query("compartmentId"))
    filters = {"displayName": call.query("displayName"),
               "operatingSystem": call.query("operatingSystem"),
               "operatingSystemVersion": call.query("operatingSystemVersion"),
               "lifecycleState": call.query("lifecycleState")}
    shape = call.query("shape")
    docs = [d for d in call.store.list(call.tenancy, "image")
            if d["compartmentId"] == compartment
            and all(v is None or d.get(k) == v for k, v in filters.items())
            and (shape is None or any(s["shape"] == shape for s in d["_shapes"]))]
    return collection(call, sort_docs(call, docs, _SORT, "TIMECREATED"), _VIEW, wrap=False)


@ROUTES.route("GET", "/images/<imageId>", "GetImage")
def get_image(call: Call, imageId: str) -> Reply:
    return resource(_image(call, imageId), view=_VIEW)


def shape_entries(call: Call, image: Doc) -> list[dict[str, Any]]:
    """The image's shape compatibility entries, flex constraints from the supported shapes."""
    out = []
    for entry in image["_shapes"]:
        shape = call.store.get(call.tenancy, "supportedShape", entry["shape"]) or {}
        ocpus = entry.get("ocpus") or ([shape["ocpuOptions"]["min"], shape["ocpuOptions"]["max"]]
                                       if shape.get("ocpuOptions") else None)
        memory = entry.get("memory_gbs") or (
            [shape["memoryOptions"]["minInGBs"], shape["memoryOptions"]["maxInGBs"]]
            if shape.get("memoryOptions") else None)
        out.append({
            "imageId": image["id"], "shape": entry["shape"],
            "ocpuConstraints": {"min": int(ocpus[0]), "max": int(ocpus[1])} if ocpus else None,
            "memoryConstraints": {"minInGBs": int(memory[0]), "maxInGBs": int(memory[1])}
            if memory else None})
    return out


@ROUTES.route("GET", "/images/<imageId>/shapes", "ListImageShapeCompatibilityEntries")
def list_image_shapes(call: Call, imageId: str) -> Reply:
    return collection(call, shape_entries(call, _image(call, imageId)), lambda d: d, wrap=False)


@ROUTES.route("GET", "/images/<imageId>/shapes/<shapeName>", "GetImageShapeCompatibilityEntry")
def get_image_shape(call: Call, imageId: str, shapeName: str) -> Reply:
    for entry in shape_entries(call, _image(call, imageId)):
        if entry["shape"] == shapeName:
            return Reply(200, entry)
    raise not_found("image shape", shapeName)


@ROUTES.route("GET", "/shapes", "ListShapes", "availabilityDomain is ignored")
def list_shapes(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    image_id = call.query("imageId")
    allowed = None if image_id is None else {s["shape"] for s in _image(call, image_id)["_shapes"]}
    shapes = []
    for doc in call.store.list(call.tenancy, "supportedShape"):
        if allowed is not None and doc["shape"] not in allowed:
            continue
        flexible = bool(doc["isFlexible"])
        shapes.append({
            "shape": doc["shape"], "isFlexible": flexible,
            "processorDescription": "sandbox processor",
            "ocpus": None if flexible else 1.0, "memoryInGBs": None if flexible else 15.0,
            "ocpuOptions": doc["ocpuOptions"],
            "memoryOptions": None if not flexible else {**doc["memoryOptions"],
                                                        "defaultPerOcpuInGBs": 16.0}})
    return collection(call, shapes, lambda d: d, wrap=False)


@ROUTES.route("GET", "/appCatalogListings", "ListAppCatalogListings")
def list_app_catalog_listings(call: Call) -> Reply:
    name = call.query("displayName")
    publisher = call.query("publisherName")
    docs = [d for d in call.store.list(call.tenancy, "appCatalogListing")
            if (name is None or d["displayName"] == name)
            and (publisher is None or d["publisherName"] == publisher)]
    return collection(call, docs, lambda d: {k: d[k] for k in (
        "listingId", "displayName", "summary", "publisherName")}, wrap=False)


def _catalog_listing(call: Call, listing_id: str) -> Doc:
    doc = get_or_404(call, "appCatalogListing", listing_id, "app catalog listing")
    return doc


def _catalog_version(call: Call, listing_id: str, version: str) -> Doc:
    _catalog_listing(call, listing_id)
    doc = call.store.get(call.tenancy, "appCatalogVersion", f"{listing_id}/{version}")
    if doc is None:
        raise not_found("resource version", version)
    return doc


@ROUTES.route("GET", "/appCatalogListings/<listingId>", "GetAppCatalogListing")
def get_app_catalog_listing(call: Call, listingId: str) -> Reply:
    return tagged(public(_catalog_listing(call, listingId)))


@ROUTES.route("GET", "/appCatalogListings/<listingId>/resourceVersions",
              "ListAppCatalogListingResourceVersions")
def list_resource_versions(call: Call, listingId: str) -> Reply:
    _catalog_listing(call, listingId)
    docs = call.store.list(call.tenancy, "appCatalogVersion", parent=listingId)
    return collection(call, docs, lambda d: {k: d[k] for k in (
        "listingId", "timePublished", "listingResourceId", "listingResourceVersion")},
        wrap=False)


@ROUTES.route("GET", "/appCatalogListings/<listingId>/resourceVersions/<resourceVersion>",
              "GetAppCatalogListingResourceVersion")
def get_resource_version(call: Call, listingId: str, resourceVersion: str) -> Reply:
    return tagged(public(_catalog_version(call, listingId, resourceVersion)))


@ROUTES.route("GET", "/appCatalogListings/<listingId>/resourceVersions/<resourceVersion>/"
              "agreements", "GetAppCatalogListingAgreements")
def get_agreements(call: Call, listingId: str, resourceVersion: str) -> Reply:
    _catalog_version(call, listingId, resourceVersion)
    return tagged({
        "listingId": listingId, "listingResourceVersion": resourceVersion,
        "oracleTermsOfUseLink": ORACLE_TERMS_LINK,
        "eulaLink": EULA_LINK.format(listing=listingId, version=resourceVersion),
        "timeRetrieved": now(), "signature": agreement_signature(listingId, resourceVersion)})


@ROUTES.route("POST", "/appCatalogSubscriptions", "CreateAppCatalogSubscription")
def create_subscription(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "compartmentId", "listingId", "listingResourceVersion",
                   "oracleTermsOfUseLink", "timeRetrieved", "signature")
    compartment = require_compartment(call, body["compartmentId"])
    version = _catalog_version(call, body["listingId"], body["listingResourceVersion"])
    if body["signature"] != agreement_signature(body["listingId"], body["listingResourceVersion"]):
        raise ApiError(400, "InvalidParameter", "The agreement signature is not valid")
    listing = _catalog_listing(call, body["listingId"])
    doc = {"publisherName": listing["publisherName"], "listingId": body["listingId"],
           "listingResourceVersion": body["listingResourceVersion"],
           "listingResourceId": version["listingResourceId"],
           "displayName": listing["displayName"], "summary": listing["summary"],
           "compartmentId": compartment, "timeCreated": now()}
    key = f"{compartment}/{body['listingId']}/{body['listingResourceVersion']}"
    call.store.put(call.tenancy, "appCatalogSubscription", doc, ident=key)
    return tagged(doc)


@ROUTES.route("GET", "/appCatalogSubscriptions", "ListAppCatalogSubscriptions")
def list_subscriptions(call: Call) -> Reply:
    compartment = require_compartment(call, call.query("compartmentId"))
    listing = call.query("listingId")
    docs = [d for d in call.store.list(call.tenancy, "appCatalogSubscription")
            if d["compartmentId"] == compartment and (listing is None or d["listingId"] == listing)]
    return collection(call, docs, wrap=False)


@ROUTES.route("DELETE", "/appCatalogSubscriptions", "DeleteAppCatalogSubscription")
def delete_subscription(call: Call) -> Reply:
    listing = call.query("listingId", required=True)
    compartment = require_compartment(call, call.query("compartmentId"))
    version = call.query("resourceVersion", required=True)
    key = f"{compartment}/{listing}/{version}"
    if call.store.get(call.tenancy, "appCatalogSubscription", key) is None:
        raise not_found("app catalog subscription", key)
    call.store.delete(call.tenancy, "appCatalogSubscription", key)
    return Reply(204)
