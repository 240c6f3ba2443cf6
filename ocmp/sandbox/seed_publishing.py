"""Seed sections for a publisher's existing work: terms with versions, listings with
revisions, Resource Manager stacks.

They let a test start from "terms already uploaded", "a revision is in review" or "the
stack publish made has FAILED" without driving the whole publishing flow first.
"""

from __future__ import annotations

from typing import Any

from ocmp.sandbox.core.store import Store
from ocmp.sandbox.seed import _stable_id, _stamp

TERM_VERSION_STATES = ("ACTIVE", "INACTIVE")
REVISION_STATUSES = ("NEW", "PENDING_REVIEW", "REVIEW_IN_PROGRESS", "REJECTED", "APPROVED",
                     "PUBLISH_IN_PROGRESS", "PUBLISH_AS_PRIVATE_IN_PROGRESS", "PUBLISHED",
                     "PUBLISHED_AS_PRIVATE", "UNPUBLISH_IN_PROGRESS", "UNPUBLISHED")
STACK_STATES = ("CREATING", "ACTIVE", "DELETING", "DELETED", "FAILED")
SEEDED_CONTENT_URL = "http://sandbox.invalid/20241201"
"""Seeding knows no host: seeded documents' ``contentUrl`` use this base (the bytes are
served at the usual route of the running sandbox)."""


def _one_of(value: Any, allowed: tuple[str, ...], what: str) -> str:
    text = str(value)
    if text not in allowed:
        raise ValueError(f"{what} {text!r} is not one of {', '.join(allowed)}")
    return text


def _publisher_id(store: Store, tid: str) -> str | None:
    docs = store.list(tid, "publisher")
    return str(docs[0]["id"]) if docs else None


def terms(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    """``terms: [{name, id?, versions: [{name, state: ACTIVE|INACTIVE, text?}]}]``."""
    from ocmp.sandbox.services.publisher.terms import term_doc, term_version_doc

    for item in items:
        ident = item.get("id") or _stable_id("mktpubterm", tid, item["name"])
        term = _stamp(term_doc(ident, item["name"], item.get("compartment") or tid,
                               _publisher_id(store, tid), {}))
        store.put(tid, "term", term)
        for number, version in enumerate(item.get("versions") or [], start=1):
            state = _one_of(version.get("state", "ACTIVE"), TERM_VERSION_STATES,
                            "terms: version state")
            vid = version.get("id") or _stable_id("mktpubtermversion", ident, str(number))
            text = str(version.get("text") or f"{item['name']}, version {number}\n")
            store.put(tid, "content", {"id": f"termVersion:{vid}", "mime": "text/plain",
                                       "data": _b64(text.encode())})
            store.put(tid, "termVersion", _stamp(term_version_doc(
                vid, term, version.get("name"), "text/plain", SEEDED_CONTENT_URL, state)),
                parent=ident)


def listings(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    """``listings: [{name, package_type, listing_type?, id?, revisions: [{status, ...}]}]``."""
    from ocmp.sandbox.services.publisher.listings import PACKAGE_TYPES, listing_doc
    from ocmp.sandbox.services.publisher.revisions import revision_doc

    publisher = _publisher_id(store, tid)
    if publisher is None:
        raise ValueError("listings need a publisher account (seed `publisher:`)")
    for item in items:
        ident = item.get("id") or _stable_id("mktpublisting", tid, item["name"])
        listing = _stamp(listing_doc(ident, item.get("compartment") or tid, publisher, {
            "name": item["name"], "listingType": item.get("listing_type", "OCI_APPLICATION"),
            "packageType": _one_of(item.get("package_type", "MACHINE_IMAGE"), PACKAGE_TYPES,
                                   "listings: package_type")}))
        store.put(tid, "listing", listing)
        for number, entry in enumerate(item.get("revisions") or [], start=1):
            status = _one_of(entry.get("status", "NEW"), REVISION_STATUSES,
                             "listings: revision status")
            rid = entry.get("id") or _stable_id("mktpublistingrevision", ident, str(number))
            doc = revision_doc(rid, listing, number, status)
            doc["displayName"] = entry.get("display_name") or item["name"]
            doc["headline"] = entry.get("headline") or f"{item['name']} (seeded)"
            store.put(tid, "revision", _stamp(doc), parent=ident)


def stacks(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    """``stacks: [{id, name, state: ACTIVE|FAILED|..., compartment?}]`` (no configuration)."""
    from ocmp.sandbox.services.resource_manager import new_stack

    for item in items:
        state = _one_of(item.get("state", "ACTIVE"), STACK_STATES, "stacks: state")
        store.put(tid, "stack", _stamp(new_stack(
            str(item["id"]), item.get("compartment") or tid,
            {"displayName": item.get("name"), "description": item.get("description")}, state)))


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode()
