"""Listing revisions (OCI_APPLICATION): metadata, icon and banner.

Only NEW or REJECTED revisions can be changed. A listing has at most one revision in
draft or review; once one is published the next must come from ``clone``.
"""

from __future__ import annotations

from typing import Any

from ocmp.sandbox.core.errors import ApiError, conflict, incorrect_state, invalid, not_found
from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.store import Doc
from ocmp.sandbox.core.wire import (
    BY_TIME_OR_NAME,
    check_if_match,
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
from ocmp.sandbox.services.common import require_fields
from ocmp.sandbox.services.publisher.common import (
    TAGS,
    content_url,
    fetch,
    live,
    load_content,
    require_editable,
    save_content,
)
from ocmp.sandbox.services.publisher.review import on_poll

BASE_FIELDS = ("displayName", "headline", "tagline", "keywords", "shortDescription",
               "usageInformation", "longDescription", "contentLanguage", "supportedlanguages",
               "supportContacts", "supportLinks", *TAGS)
OCI_FIELDS = ("versionDetails", "systemRequirements", "pricingType", "products",
              "partnerRegistrationUrl", "termId", "pricingPlans", "availabilityAndPricingPolicy",
              "recommendedServiceProviderListingIds", "isRoverExportable", "vanityUrl", "demoUrl",
              "selfPacedTrainingUrl")
OPEN_STATES = frozenset({"NEW", "REJECTED", "PENDING_REVIEW", "REVIEW_IN_PROGRESS", "APPROVED",
                         "PUBLISH_IN_PROGRESS", "PUBLISH_AS_PRIVATE_IN_PROGRESS"})
_SUMMARY = ("id", "listingId", "compartmentId", "listingType", "displayName", "status",
            "lifecycleState", "packageType", "shortDescription", "tagline", "icon",
            "timeCreated", "timeUpdated", *TAGS, "systemTags")
PRICING_TYPES = ("FREE", "BYOL", "PAYGO")


def revision(call: Call, ident: str) -> Doc:
    """A live revision, its pending work request and review moved on by this read."""
    doc = fetch(call, "revision", ident, label="listing revision")
    return on_poll(call.store, call.tenancy, doc, call.settings)


def _check_products(call: Call, products: Any) -> None:
    if not isinstance(products, list) or not products:
        raise invalid("products must list at least one product")
    for product in products:
        code = product.get("code") if isinstance(product, dict) else None
        if not code or call.store.get(call.tenancy, "product", code) is None:
            raise invalid(f"Unknown product code {code!r}")
        for category in product.get("categories") or []:
            known = call.store.get(call.tenancy, "category", str(category))
            if known is None or known["productCode"] != code:
                raise invalid(f"Unknown category {category!r} for product {code!r}")


def _apply_fields(call: Call, doc: Doc, body: Doc) -> None:
    copy_given(doc, body, (*BASE_FIELDS, *OCI_FIELDS))
    if body.get("pricingType") is not None and body["pricingType"] not in PRICING_TYPES:
        raise invalid(f"pricingType must be one of {', '.join(PRICING_TYPES)}")
    if body.get("products") is not None:
        _check_products(call, body["products"])
    term_id = body.get("termId")
    if term_id and call.store.get(call.tenancy, "term", term_id) is None:
        raise ApiError(400, "RelatedResourceNotAuthorizedOrNotFound", f"Term {term_id} not found")


def _check_type(listing: Doc, body: Doc) -> None:
    if not body.get("listingType"):
        raise ApiError(400, "MissingParameter", "Missing required parameter: listingType")
    if body["listingType"] != listing["listingType"]:
        raise invalid(f"listingType {body['listingType']} does not match the listing's "
                      f"{listing['listingType']}")
    if body["listingType"] != "OCI_APPLICATION":
        raise invalid("The sandbox emulates OCI_APPLICATION listing revisions only")


def create_listing_revision(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "listingId", "listingType", "headline")
    listing = call.store.get(call.tenancy, "listing", body["listingId"])
    if listing is None or listing["lifecycleState"] == "DELETED":
        raise ApiError(400, "RelatedResourceNotAuthorizedOrNotFound",
                       f"Listing {body['listingId']} was not found")
    if listing["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"Listing {listing['id']} is {listing['lifecycleState']}")
    _check_type(listing, body)
    require_fields(body, "pricingType", "products")
    siblings = live(call.store, call.tenancy, "revision", parent=listing["id"])
    if any(r["status"] in OPEN_STATES for r in siblings):
        raise incorrect_state(f"Listing {listing['id']} already has a revision in progress")
    if any(r["status"] in ("PUBLISHED", "PUBLISHED_AS_PRIVATE", "UNPUBLISHED") for r in siblings):
        raise conflict("This listing has a published revision: clone it to start a new one")
    number = len(call.store.list(call.tenancy, "revision", parent=listing["id"])) + 1
    doc = revision_doc(new_id("mktpublistingrevision"), listing, number)
    _apply_fields(call, doc, body)
    doc["displayName"] = doc["displayName"] or listing["name"]
    call.store.put(call.tenancy, "revision", touch(doc, created=True), parent=listing["id"])
    return resource(doc)


def revision_doc(ident: str, listing: Doc, number: int, status: str = "NEW") -> Doc:
    """A revision of ``listing`` with every field empty (seeding builds one too)."""
    doc: Doc = {"id": ident, "listingId": listing["id"], "compartmentId": listing["compartmentId"],
                "revisionNumber": str(number), "status": status, "statusNotes": None,
                "lifecycleState": "ACTIVE", "packageType": listing["packageType"],
                "listingType": listing["listingType"], "extendedMetadata": None, "icon": None,
                "banner": None, "allowedTenancies": None,
                "areInternalTenancyLaunchAllowed": None, "systemTags": {}}
    doc.update(dict.fromkeys((*BASE_FIELDS, *OCI_FIELDS)))
    doc.update(freeformTags={}, definedTags={})
    return doc


def list_listing_revisions(call: Call) -> Reply:
    listing_id = call.query("listingId", required=True)
    docs = listed(call, "revision", parent=listing_id, displayName=call.query("displayName"),
                  status=call.query("listingRevisionStatus"))
    return collection(call, docs, summary(_SUMMARY), sort=BY_TIME_OR_NAME)


def get_listing_revision(call: Call, listingRevisionId: str) -> Reply:
    return resource(revision(call, listingRevisionId))


def update_listing_revision(call: Call, listingRevisionId: str) -> Reply:
    doc = revision(call, listingRevisionId)
    check_if_match(call, doc)
    require_editable(doc)
    body = call.json()
    listing = fetch(call, "listing", doc["listingId"])
    _check_type(listing, body)
    _apply_fields(call, doc, body)
    return save(call, "revision", doc)


def delete_listing_revision(call: Call, listingRevisionId: str) -> Reply:
    doc = revision(call, listingRevisionId)
    check_if_match(call, doc)
    if doc["status"] in ("PUBLISHED", "PUBLISHED_AS_PRIVATE") or doc.get("_wr"):
        raise incorrect_state(f"Listing revision {listingRevisionId} is {doc['status']}")
    if live(call.store, call.tenancy, "package", parent=listingRevisionId):
        raise conflict("The revision still has packages; delete them or use cascadingDelete")
    return soft_delete(call, "revision", doc)


def _image_upload(call: Call, doc: Doc, owner: str) -> str:
    data = call.body()
    mime = save_content(call, f"{owner}:{doc['id']}", data) if data else ""
    if mime not in ("image/png", "image/jpeg"):
        raise invalid(f"The {owner} must be a PNG or JPEG image (got {mime or 'an empty body'})")
    return mime


def update_icon(call: Call, listingRevisionId: str) -> Reply:
    doc = revision(call, listingRevisionId)
    check_if_match(call, doc)
    require_editable(doc)
    mime = _image_upload(call, doc, "icon")
    doc["icon"] = {"contentUrl": content_url(call, f"/listingRevisions/{doc['id']}/icon/content"),
                   "mimeType": mime}
    return save(call, "revision", doc)


def get_icon(call: Call, listingRevisionId: str) -> Reply:
    doc = revision(call, listingRevisionId)
    stored = load_content(call, f"icon:{listingRevisionId}")
    if stored is None:
        raise not_found("icon", listingRevisionId)
    return Reply(200, stored[0], {"etag": doc["_etag"]}, stored[1])


def update_banner(call: Call, listingRevisionId: str) -> Reply:
    doc = revision(call, listingRevisionId)
    check_if_match(call, doc)
    require_editable(doc)
    name = call.query("bannerName", required=True)
    mime = _image_upload(call, doc, "banner")
    doc["banner"] = {"contentUrl": content_url(call, f"/listingRevisions/{doc['id']}/banner/"
                                                     "content"), "mimeType": mime, "name": name}
    return save(call, "revision", doc)
