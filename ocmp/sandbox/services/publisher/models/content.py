"""Uploaded bytes (icons, banners, attachments, term documents), kept beside the documents
that describe them under an owner key such as ``icon:<revisionId>``.

Documents point at their bytes with a ``contentUrl`` on the sandbox serving them; the model
is given that service URL (``base_url``: scheme, host and version prefix), it does not know
which host a request came to.
"""

from __future__ import annotations

import base64

from ocmp.sandbox.core.store import Doc, Store


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


def save(store: Store, tenancy: str, owner: str, data: bytes, mime: str | None = None) -> str:
    """Keep ``data`` for ``owner``; return its mime type (sniffed unless given)."""
    mime = mime or sniff_mime(data)
    store.put(tenancy, "content", {"id": owner, "mime": mime,
                                   "data": base64.b64encode(data).decode()})
    return mime


def load(store: Store, tenancy: str, owner: str) -> tuple[bytes, str] | None:
    """Bytes and mime type stored for ``owner``."""
    doc = store.get(tenancy, "content", owner)
    if doc is None:
        return None
    return base64.b64decode(str(doc["data"])), str(doc["mime"])


def copy(store: Store, tenancy: str, source: str, target: str) -> None:
    """Copy stored bytes (``icon:<revisionId>``, ``attachment:<id>``…) to a new owner."""
    stored = store.get(tenancy, "content", source)
    if stored is not None:
        store.put(tenancy, "content", {**stored, "id": target})


def moved(doc: Doc, old_id: str, new_id: str) -> Doc:
    """``doc`` with its own ``contentUrl`` pointing at the copy (external URLs unchanged)."""
    url = doc.get("contentUrl")
    if isinstance(url, str) and f"/{old_id}/" in url:
        return {**doc, "contentUrl": url.replace(f"/{old_id}/", f"/{new_id}/")}
    return doc
