"""Oracle's support documents for publishers: a fixed set, shared by every tenancy."""

from __future__ import annotations

from ocmp.sandbox.core.errors import not_found
from ocmp.sandbox.core.store import GLOBAL, Doc, Store

_SUPPORT_DOCS = (
    ("publisher-guide", "Publisher guide", "PUBLISHER_DOCS",
     "How to publish an application in the Oracle Cloud Marketplace."),
    ("image-checklist", "Image listing checklist", "PUBLISHER_DOCS",
     "What an image listing needs before it is submitted for review."),
    ("stack-checklist", "Stack listing checklist", "PUBLISHER_DOCS",
     "What a stack listing needs before it is submitted for review."),
)


def _all(store: Store) -> list[Doc]:
    docs = store.list(GLOBAL, "supportDoc")
    if docs:
        return docs
    for code, name, group, text in _SUPPORT_DOCS:  # built on first use, then shared
        store.put(GLOBAL, "supportDoc", {
            "id": code, "code": code, "name": name, "supportDocGroup": group,
            "description": text, "mimeType": "text/plain", "fileName": f"{code}.txt",
            "lifecycleState": "ACTIVE", "timeCreated": "2024-12-01T00:00:00.000Z",
            "timeUpdated": "2024-12-01T00:00:00.000Z", "_text": text + "\n"})
    return store.list(GLOBAL, "supportDoc")


def support_docs(store: Store, group: str | None, name: str | None) -> list[Doc]:
    """The documents of one group and name (each filter only when given)."""
    return [d for d in _all(store)
            if group in (None, d["supportDocGroup"]) and name in (None, d["name"])]


def support_doc(store: Store, code: str) -> Doc:
    """One document by code (404 when there is none)."""
    for doc in _all(store):
        if doc["code"] == code:
            return doc
    raise not_found("support doc", code)


def text(doc: Doc) -> tuple[bytes, str]:
    """A document's content and mime type."""
    return str(doc["_text"]).encode(), str(doc["mimeType"])
