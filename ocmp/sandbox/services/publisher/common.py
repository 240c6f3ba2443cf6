"""Lookups, state guards and content handling shared by the Publisher handlers."""

from __future__ import annotations

import base64
from typing import Any

from ocmp.sandbox.core.errors import ApiError, incorrect_state, not_found
from ocmp.sandbox.core.routing import Call
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import check_if_match
from ocmp.sandbox.core.workrequests import settle

PREFIX = "/20241201"
EDITABLE = frozenset({"NEW", "REJECTED"})
IN_REVIEW = frozenset({"PENDING_REVIEW", "REVIEW_IN_PROGRESS"})
PUBLISHED = frozenset({"PUBLISHED", "PUBLISHED_AS_PRIVATE"})
TAGS = ("freeformTags", "definedTags")


def fetch(call: Call, kind: str, ident: str, *, label: str | None = None,
          if_match: bool = False) -> Doc:
    """A live (not DELETED) document of the caller's tenancy, its pending work settled; else 404.

    With ``if_match`` (a change is coming) the caller's If-Match must be its etag (else 412).
    """
    doc = call.store.get(call.tenancy, kind, ident)
    if doc is None or doc.get("lifecycleState") == "DELETED":
        raise not_found(label or kind, ident)
    doc = settle(call.store, call.tenancy, doc, kind)
    if if_match:
        check_if_match(call, doc)
    return doc


def live(store: Store, tenancy: str, kind: str, *, parent: str | None = None,
         **where: str | None) -> list[Doc]:
    """Every non-deleted document of a kind (whose fields equal ``where``'s non-None values)."""
    return [d for d in store.list(tenancy, kind, parent=parent, where=where)
            if d.get("lifecycleState") != "DELETED"]


def publisher_of(call: Call) -> Doc:
    """The caller's publisher account; creating anything needs an APPROVED one."""
    docs = call.store.list(call.tenancy, "publisher")
    if not docs:
        raise ApiError(404, "NotAuthorizedOrNotFound",
                       "This tenancy has no Marketplace publisher account")
    publisher = docs[0]
    if publisher.get("publisherStatus") != "APPROVED":
        raise ApiError(409, "Conflict", f"The publisher account is {publisher['publisherStatus']}"
                       "; Oracle must approve it before listings can be created")
    return publisher


def tags(body: Doc) -> dict[str, Any]:
    """Tag fields from a request body, defaulted."""
    return {"freeformTags": body.get("freeformTags") or {},
            "definedTags": body.get("definedTags") or {}, "systemTags": {}}


def require_editable(revision: Doc) -> None:
    """409 unless the revision is a NEW or REJECTED draft."""
    if revision.get("status") not in EDITABLE or revision.get("lifecycleState") != "ACTIVE":
        raise incorrect_state(f"Listing revision {revision['id']} is {revision['status']}; only "
                              "NEW or REJECTED revisions can be changed")


def sniff_mime(data: bytes) -> str:
    """Content type from magic bytes (what the service reports as ``mimeType``)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data.startswith(b"PK\x03\x04"):
        return "application/zip"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


def save_content(call: Call, owner: str, data: bytes) -> str:
    """Keep uploaded bytes for ``owner`` (a key like ``icon:<revisionId>``); return the mime."""
    mime = sniff_mime(data)
    call.store.put(call.tenancy, "content", {"id": owner, "mime": mime,
                                             "data": base64.b64encode(data).decode()})
    return mime


def load_content(call: Call, owner: str) -> tuple[bytes, str] | None:
    """Bytes and mime type stored for ``owner``."""
    doc = call.store.get(call.tenancy, "content", owner)
    if doc is None:
        return None
    return base64.b64decode(str(doc["data"])), str(doc["mime"])


def content_url(call: Call, path: str) -> str:
    """Absolute URL of a content route on this sandbox."""
    return call.request.host_url.rstrip("/") + PREFIX + path


def policy_allows(store: Store, tenancy: str, resource_type: str) -> bool:
    """True if a root policy lets the marketplace service read/manage ``resource_type``."""
    for policy in store.list(tenancy, "policy"):
        if policy.get("lifecycleState") != "ACTIVE" or policy.get("compartmentId") != tenancy:
            continue
        for statement in policy.get("statements", []):
            words = " ".join(str(statement).lower().split())
            if (words.startswith("allow service marketplace to")
                    and f" {resource_type} in tenancy" in words):
                return True
    return False
