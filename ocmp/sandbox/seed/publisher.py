"""Seed sections of Marketplace Publisher: the publisher account, products and markets, a
publisher's existing work (terms with versions, listings with revisions) and what buyers did
(leads, customer instances, disbursements).

They let a test start from "terms already uploaded" or "a revision is in review" without
driving the whole publishing flow first.
"""

from __future__ import annotations

from typing import Any

from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import stable_id
from ocmp.sandbox.seed.entries import one_of
from ocmp.sandbox.services.publisher.models import listings as listing_model
from ocmp.sandbox.services.publisher.models import metadata, revisions
from ocmp.sandbox.services.publisher.models import terms as term_model
from ocmp.sandbox.services.publisher.models.insights import (
    add_disbursement,
    add_instance,
    add_lead,
)
from ocmp.sandbox.services.publisher.models.scope import Scope

SEEDED_CONTENT_URL = "http://sandbox.invalid/20241201"
"""Seeding knows no host: seeded documents' ``contentUrl`` use this base (the bytes are
served at the usual route of the running sandbox)."""


def publisher(store: Store, tid: str, item: dict[str, Any]) -> None:
    """``publisher: {name?, id?, status?: APPROVED|NEW|...}``."""
    metadata.put_publisher(store, tid, item.get("name", "Sandbox Publisher"),
                           item.get("status", "APPROVED"), item.get("id"))


def products(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    """``products: [{code, name?, group?, categories?: [{code, name?}]}]``."""
    for item in items:
        metadata.put_product(store, tid, metadata.Product(
            code=item["code"], name=item.get("name", item["code"]),
            group=item.get("group", item["code"].upper()),
            categories=tuple((c["code"], c.get("name", c["code"]))
                             for c in item.get("categories", []))))


def markets(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    """``markets: [{code, name?, category?, bill_to?}]``."""
    for item in items:
        metadata.put_market(store, tid, item["code"], item.get("name", item["code"]),
                            item.get("category", "COMMERCIAL"), list(item.get("bill_to", [])))


def terms(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    """``terms: [{name, id?, versions: [{name, state: ACTIVE|INACTIVE, text?}]}]``."""
    publisher_id = Scope(store, tid).publisher_id()
    for item in items:
        ident = item.get("id") or stable_id("mktpubterm", tid, item["name"])
        term = term_model.put_seeded(store, tid, ident, publisher_id, term_model.NewTerm(
            compartment_id=item.get("compartment") or tid, name=item["name"]))
        for number, version in enumerate(item.get("versions") or [], start=1):
            state = one_of(version.get("state", "ACTIVE"), term_model.VERSION_STATES,
                           "terms: version state")
            vid = version.get("id") or stable_id("mktpubtermversion", ident, str(number))
            text = str(version.get("text") or f"{item['name']}, version {number}\n")
            term_model.put_seeded_version(store, tid, term, vid, version.get("name"), text,
                                          SEEDED_CONTENT_URL, state)


def listings(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    """``listings: [{name, package_type, listing_type?, id?, revisions: [{status, ...}]}]``."""
    publisher_id = Scope(store, tid).publisher_id()
    if publisher_id is None:
        raise ValueError("listings need a publisher account (seed `publisher:`)")
    for item in items:
        ident = item.get("id") or stable_id("mktpublisting", tid, item["name"])
        listing = listing_model.put_seeded(store, tid, ident, publisher_id,
                                           listing_model.NewListing(
            compartment_id=item.get("compartment") or tid, name=item["name"],
            listing_type=item.get("listing_type", "OCI_APPLICATION"),
            package_type=one_of(item.get("package_type", "MACHINE_IMAGE"),
                                listing_model.PACKAGE_TYPES, "listings: package_type")))
        for number, entry in enumerate(item.get("revisions") or [], start=1):
            status = one_of(entry.get("status", "NEW"), revisions.STATUSES,
                            "listings: revision status")
            rid = entry.get("id") or stable_id("mktpublistingrevision", ident, str(number))
            revisions.put_seeded(store, tid, rid, listing, number, status,
                                 display_name=entry.get("display_name") or item["name"],
                                 headline=entry.get("headline") or f"{item['name']} (seeded)")


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
