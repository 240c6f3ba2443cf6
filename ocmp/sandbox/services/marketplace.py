"""Marketplace, consumer side (``/20181001``): listings, packages and agreements reflecting
what was published through the Publisher API, plus accepted agreements. Bare JSON arrays.

A private listing is visible to its publisher's tenancy and its ``allowedTenancies``.
"""

from __future__ import annotations

from ocmp.sandbox.core.errors import ApiError, not_found
from ocmp.sandbox.core.routing import Call, Reply, RouteTable
from ocmp.sandbox.core.store import GLOBAL, Doc
from ocmp.sandbox.core.wire import (
    collection,
    get_or_404,
    new_etag,
    new_id,
    now,
    public,
    resource,
    summary,
    tagged,
)
from ocmp.sandbox.services.common import require_compartment, require_fields
from ocmp.sandbox.services.marketplace_state import visible

ROUTES = RouteTable("Marketplace", "/20181001")
_SUMMARY = ("id", "name", "shortDescription", "isRoverExportable", "tagline", "icon",
            "packageType", "pricingTypes", "compatibleArchitectures", "regions", "isFeatured",
            "categories", "publisher", "supportedOperatingSystems", "listingType")


def _listing(call: Call, listing_id: str) -> Doc:
    doc = call.store.get(GLOBAL, "mpListing", listing_id)
    if doc is None or not visible(doc, call.tenancy):
        raise not_found("listing", listing_id)
    return doc


def _package(call: Call, listing_id: str, version: str) -> Doc:
    _listing(call, listing_id)
    doc = call.store.get(GLOBAL, "mpPackage", f"{listing_id}/{version}")
    if doc is None:
        raise not_found("package", version)
    return doc


@ROUTES.route("GET", "/listings", "ListListings",
              "Filters: name, listingId, publisherId, packageType, listingTypes, category, "
              "pricing; others are ignored")
def list_listings(call: Call) -> Reply:
    names, types = call.query_list("name"), call.query_list("listingTypes")
    wanted_id, package_type = call.query("listingId"), call.query("packageType")
    categories, pricing = call.query_list("category"), call.query_list("pricing")
    publisher = call.query("publisherId")
    docs = [d for d in call.store.list(GLOBAL, "mpListing")
            if visible(d, call.tenancy) and (not names or d["name"] in names)
            and (not types or d["listingType"] in types) and wanted_id in (None, d["id"])
            and package_type in (None, d["packageType"])
            and publisher in (None, d["publisher"]["id"])
            and (not categories or set(categories) & set(d["categories"]))
            and (not pricing or set(pricing) & set(d["pricingTypes"]))]
    return collection(call, docs, summary(_SUMMARY), wrap=False)


@ROUTES.route("GET", "/listings/<listingId>", "GetListing")
def get_listing(call: Call, listingId: str) -> Reply:
    return tagged(public(_listing(call, listingId)))


@ROUTES.route("GET", "/listings/<listingId>/packages", "ListPackages")
def list_packages(call: Call, listingId: str) -> Reply:
    _listing(call, listingId)
    version, kind = call.query("packageVersion"), call.query("packageType")
    docs = [d for d in call.store.list(GLOBAL, "mpPackage", parent=listingId)
            if version in (None, d["version"]) and kind in (None, d["packageType"])]
    return collection(call, docs, lambda d: {
        "listingId": d["listingId"], "packageVersion": d["version"],
        "packageType": d["packageType"], "pricing": d["pricing"], "regions": d["regions"],
        "resourceId": d["resourceId"], "timeCreated": d["timeCreated"]}, wrap=False)


@ROUTES.route("GET", "/listings/<listingId>/packages/<packageVersion>", "GetPackage")
def get_package(call: Call, listingId: str, packageVersion: str) -> Reply:
    return tagged(public(_package(call, listingId, packageVersion)))


@ROUTES.route("GET", "/listings/<listingId>/packages/<packageVersion>/agreements",
              "ListAgreements")
def list_agreements(call: Call, listingId: str, packageVersion: str) -> Reply:
    package = _package(call, listingId, packageVersion)
    return collection(call, package["_agreements"], lambda a: {
        k: a[k] for k in ("id", "contentUrl", "author", "prompt")}, wrap=False)


def _agreement(call: Call, listing_id: str, version: str, agreement_id: str) -> Doc:
    for agreement in _package(call, listing_id, version)["_agreements"]:
        if agreement["id"] == agreement_id:
            return dict(agreement)
    raise not_found("agreement", agreement_id)


@ROUTES.route("GET", "/listings/<listingId>/packages/<packageVersion>/agreements/<agreementId>",
              "GetAgreement")
def get_agreement(call: Call, listingId: str, packageVersion: str, agreementId: str) -> Reply:
    agreement = _agreement(call, listingId, packageVersion, agreementId)
    agreement["compartmentId"] = call.query("compartmentId")
    return Reply(200, agreement)


@ROUTES.route("POST", "/acceptedAgreements", "CreateAcceptedAgreement")
def create_accepted_agreement(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "compartmentId", "listingId", "packageVersion", "agreementId",
                   "signature")
    compartment = require_compartment(call, body["compartmentId"])
    agreement = _agreement(call, body["listingId"], body["packageVersion"], body["agreementId"])
    if body["signature"] != agreement["signature"]:
        raise ApiError(400, "InvalidParameter", "The agreement signature does not match")
    doc = {"id": new_id("marketplaceacceptedagreement"),
           "displayName": body.get("displayName") or f"{body['listingId']}-{body['agreementId']}",
           "compartmentId": compartment, "listingId": body["listingId"],
           "packageVersion": body["packageVersion"], "agreementId": body["agreementId"],
           "timeAccepted": now(), "freeformTags": body.get("freeformTags") or {},
           "definedTags": body.get("definedTags") or {}, "_etag": new_etag()}
    call.store.put(call.tenancy, "acceptedAgreement", doc)
    return resource(doc)


@ROUTES.route("GET", "/acceptedAgreements", "ListAcceptedAgreements")
def list_accepted_agreements(call: Call) -> Reply:
    compartment = require_compartment(call, call.query("compartmentId"))
    listing, version = call.query("listingId"), call.query("packageVersion")
    wanted = call.query("acceptedAgreementId")
    docs = [d for d in call.store.list(call.tenancy, "acceptedAgreement")
            if d["compartmentId"] == compartment and listing in (None, d["listingId"])
            and version in (None, d["packageVersion"]) and wanted in (None, d["id"])]
    return collection(call, docs, lambda d: {k: v for k, v in public(d).items()
                                             if not k.endswith("Tags")}, wrap=False)


@ROUTES.route("GET", "/acceptedAgreements/<acceptedAgreementId>", "GetAcceptedAgreement")
def get_accepted_agreement(call: Call, acceptedAgreementId: str) -> Reply:
    doc = get_or_404(call, "acceptedAgreement", acceptedAgreementId, "accepted agreement")
    return resource(doc)


@ROUTES.route("DELETE", "/acceptedAgreements/<acceptedAgreementId>", "DeleteAcceptedAgreement")
def delete_accepted_agreement(call: Call, acceptedAgreementId: str) -> Reply:
    if call.store.get(call.tenancy, "acceptedAgreement", acceptedAgreementId) is None:
        raise not_found("accepted agreement", acceptedAgreementId)
    call.store.delete(call.tenancy, "acceptedAgreement", acceptedAgreementId)
    return Reply(204)
