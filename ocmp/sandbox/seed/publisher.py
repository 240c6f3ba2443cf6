"""Seed sections of Marketplace Publisher: the publisher account, products and markets, a
publisher's existing work (terms with versions, listings with revisions) and what buyers did
(leads, customer instances, disbursements).

They let a test start from "terms already uploaded" or "a revision is in review" without
driving the whole publishing flow first.
"""

from __future__ import annotations

import base64
from typing import Any

from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import stable_id, touch
from ocmp.sandbox.seed.entries import one_of
from ocmp.sandbox.services.publisher.insights import add_disbursement, add_instance, add_lead
from ocmp.sandbox.services.publisher.listings import PACKAGE_TYPES, listing_doc
from ocmp.sandbox.services.publisher.revisions import revision_doc
from ocmp.sandbox.services.publisher.terms import term_doc, term_version_doc

TERM_VERSION_STATES = ("ACTIVE", "INACTIVE")
REVISION_STATUSES = ("NEW", "PENDING_REVIEW", "REVIEW_IN_PROGRESS", "REJECTED", "APPROVED",
                     "PUBLISH_IN_PROGRESS", "PUBLISH_AS_PRIVATE_IN_PROGRESS", "PUBLISHED",
                     "PUBLISHED_AS_PRIVATE", "UNPUBLISH_IN_PROGRESS", "UNPUBLISHED")
SEEDED_CONTENT_URL = "http://sandbox.invalid/20241201"
"""Seeding knows no host: seeded documents' ``contentUrl`` use this base (the bytes are
served at the usual route of the running sandbox)."""


def publisher(store: Store, tid: str, item: dict[str, Any]) -> None:
    """``publisher: {name?, id?, status?: APPROVED|NEW|...}``."""
    name = item.get("name", "Sandbox Publisher")
    store.put(tid, "publisher", touch({
        "id": item.get("id") or stable_id("marketplacepublisher", tid),
        "compartmentId": tid, "displayName": name, "description": f"{name} (sandbox)",
        "publisherStatus": item.get("status", "APPROVED"), "publisherType": "EXTERNAL",
        "enrollmentStatus": "ACTIVE", "registryNamespace": "ocmpdemo", "legacyId": None,
        "yearFounded": 2020, "websiteUrl": "https://publisher.example",
        "contactEmail": "publisher@example.com", "contactPhone": "+1 555 0100",
        "hqAddress": "1 Example Way, Austin, TX", "email": "publisher@example.com",
        "businessPhoneNumber": "+1 555 0100", "employeeCount": 10, "country": "US",
        "city": "Austin", "state": "TX", "opnNumber": "1234567", "isFxEnabled": False,
        "freeformTags": {}, "definedTags": {}, "systemTags": {}}))


def products(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    """``products: [{code, name?, group?, categories?: [{code, name?}]}]``."""
    for item in items:
        store.put(tid, "product", touch({
            "code": item["code"], "name": item.get("name", item["code"]),
            "productGroup": item.get("group", item["code"].upper()), "additionalFilters": [],
            "lifecycleState": "ACTIVE"}), ident=item["code"])
        for category in item.get("categories", []):
            store.put(tid, "category", touch({
                "code": category["code"], "name": category.get("name", category["code"]),
                "productCode": item["code"], "lifecycleState": "ACTIVE"}),
                ident=category["code"])


def markets(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    """``markets: [{code, name?, category?, bill_to?}]``."""
    for item in items:
        store.put(tid, "market", touch({
            "code": item["code"], "name": item.get("name", item["code"]),
            "categoryCode": item.get("category", "COMMERCIAL"), "realmCode": "OC1",
            "billToCountries": list(item.get("bill_to", [])), "lifecycleState": "ACTIVE"}),
            ident=item["code"])


def _publisher_id(store: Store, tid: str) -> str | None:
    docs = store.list(tid, "publisher")
    return str(docs[0]["id"]) if docs else None


def terms(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    """``terms: [{name, id?, versions: [{name, state: ACTIVE|INACTIVE, text?}]}]``."""
    for item in items:
        ident = item.get("id") or stable_id("mktpubterm", tid, item["name"])
        term = touch(term_doc(ident, item["name"], item.get("compartment") or tid,
                              _publisher_id(store, tid), {}))
        store.put(tid, "term", term)
        for number, version in enumerate(item.get("versions") or [], start=1):
            state = one_of(version.get("state", "ACTIVE"), TERM_VERSION_STATES,
                           "terms: version state")
            vid = version.get("id") or stable_id("mktpubtermversion", ident, str(number))
            text = str(version.get("text") or f"{item['name']}, version {number}\n")
            store.put(tid, "content", {"id": f"termVersion:{vid}", "mime": "text/plain",
                                       "data": base64.b64encode(text.encode()).decode()})
            store.put(tid, "termVersion", touch(term_version_doc(
                vid, term, version.get("name"), "text/plain", SEEDED_CONTENT_URL, state)),
                parent=ident)


def listings(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    """``listings: [{name, package_type, listing_type?, id?, revisions: [{status, ...}]}]``."""
    publisher_id = _publisher_id(store, tid)
    if publisher_id is None:
        raise ValueError("listings need a publisher account (seed `publisher:`)")
    for item in items:
        ident = item.get("id") or stable_id("mktpublisting", tid, item["name"])
        listing = touch(listing_doc(ident, item.get("compartment") or tid, publisher_id, {
            "name": item["name"], "listingType": item.get("listing_type", "OCI_APPLICATION"),
            "packageType": one_of(item.get("package_type", "MACHINE_IMAGE"), PACKAGE_TYPES,
                                  "listings: package_type")}))
        store.put(tid, "listing", listing)
        for number, entry in enumerate(item.get("revisions") or [], start=1):
            status = one_of(entry.get("status", "NEW"), REVISION_STATUSES,
                            "listings: revision status")
            rid = entry.get("id") or stable_id("mktpublistingrevision", ident, str(number))
            doc = revision_doc(rid, listing, number, status)
            doc["displayName"] = entry.get("display_name") or item["name"]
            doc["headline"] = entry.get("headline") or f"{item['name']} (seeded)"
            store.put(tid, "revision", touch(doc), parent=ident)


def _listing(store: Store, tenancy: str, ref: str) -> Doc | None:
    if not ref:
        return None
    for doc in store.list(tenancy, "listing"):
        if ref in (doc["id"], doc["name"]):
            return doc
    return None


def leads(store: Store, tenancy: str, items: list[dict[str, Any]]) -> None:
    """``leads: [{listing: NAME or OCID, time_created?, <additionalInfo keys>}]``."""
    for n, item in enumerate(items):
        ref = str(item.get("listing") or "")
        listing = _listing(store, tenancy, ref) or {"id": ref or None, "name": ref or None,
                                                    "compartmentId": tenancy}
        add_lead(store, tenancy, listing, item,
                 ident=item.get("id") or stable_id("mktpublead", tenancy, "seed", str(n)),
                 created=str(item["time_created"]) if item.get("time_created") else None)


def customer_instances(store: Store, tenancy: str, items: list[dict[str, Any]]) -> None:
    """``customer_instances``: records in the API's camelCase fields (``listing`` by name)."""
    for item in items:
        record = dict(item)
        listing = _listing(store, tenancy, str(record.pop("listing", "") or ""))
        if listing is not None:
            record.setdefault("listingId", listing["id"])
            record.setdefault("listingName", listing["name"])
        add_instance(store, tenancy, record)


def disbursements(store: Store, tenancy: str, items: list[dict[str, Any]]) -> None:
    """``disbursements``: records in camelCase, ``time`` for the date ranges."""
    for item in items:
        record = dict(item)
        time = record.pop("time", None)
        add_disbursement(store, tenancy, record, str(time) if time else None)
