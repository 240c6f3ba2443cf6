"""Listing revision attachments (screenshots, videos, documents...) and their content.

Each attachment type adds its own fields; only attachments of an editable revision change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ocmp.sandbox.core.errors import invalid, missing, not_found
from ocmp.sandbox.core.store import Doc
from ocmp.sandbox.core.wire import new_id, touch
from ocmp.sandbox.services.publisher.models import content
from ocmp.sandbox.services.publisher.models.scope import Scope, Tags, require_editable

LABEL = "listing revision attachment"
# Fields each attachment type adds, and which of them are required.
SUBTYPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "SCREENSHOT": (("sourceType",), ()),
    "VIDEO": (("videoAttachmentDetails", "sourceType"), ("videoAttachmentDetails",)),
    "RELATED_DOCUMENT": (("documentCategory", "sourceUrl", "sourceType", "isOracleUsersOnly"),
                         ("documentCategory",)),
    "REVIEW_SUPPORT_DOCUMENT": (("documentName", "templateCode"),
                                ("documentName", "templateCode")),
    "CUSTOMER_SUCCESS": (("customerName", "url", "productCodes"), ("customerName",)),
    "SUPPORTED_SERVICES": (("serviceName", "type"), ("serviceName", "type")),
}
SUBTYPE_FIELDS = tuple(dict.fromkeys(name for fields, _ in SUBTYPES.values() for name in fields))
"""Every field some attachment type adds, under its API name."""


@dataclass(frozen=True)
class AttachmentFields:
    """The attachment's type, name, description and type-specific fields as given
    (``extra``: :data:`SUBTYPE_FIELDS` present in the request)."""

    attachment_type: Any
    display_name: str | None = None
    description: str | None = None
    extra: Doc = field(default_factory=dict)
    tags: Tags = field(default_factory=Tags)


def _editable_revision(scope: Scope, revision_id: str) -> Doc:
    revision = scope.related("revision", revision_id, "Listing revision")
    require_editable(revision)
    return revision


def _subtype_fields(kind: Any, given: Doc, *, creating: bool) -> dict[str, Any]:
    if kind not in SUBTYPES:
        raise invalid(f"attachmentType must be one of {', '.join(SUBTYPES)}")
    fields, required = SUBTYPES[kind]
    if creating:
        for name in required:
            if given.get(name) in (None, ""):
                raise missing(name)
    out = {k: given[k] for k in fields if given.get(k) is not None}
    if kind == "VIDEO" and "videoAttachmentDetails" in out:
        out["contentUrl"] = out.pop("videoAttachmentDetails").get("contentUrl")
    return out


def _url(base_url: str, ident: str) -> str:
    return f"{base_url}/listingRevisionAttachments/{ident}/content"


def get(scope: Scope, ident: str) -> Doc:
    """A live attachment."""
    return scope.fetch("attachment", ident, label=LABEL)


def create(scope: Scope, revision_id: str, fields: AttachmentFields, base_url: str) -> Doc:
    """An attachment of an editable revision; its content is served under ``base_url``
    unless it links to a document elsewhere."""
    revision = _editable_revision(scope, revision_id)
    extra = _subtype_fields(fields.attachment_type, fields.extra, creating=True)
    doc = touch({"id": new_id("mktpubattachment"), "compartmentId": revision["compartmentId"],
                 "listingRevisionId": revision["id"], "displayName": fields.display_name,
                 "description": fields.description, "attachmentType": fields.attachment_type,
                 "sourceType": None, "lifecycleState": "ACTIVE", "contentUrl": None,
                 "mimeType": None, **extra, **fields.tags.fields()}, created=True)
    if not doc.get("contentUrl"):  # required by the SDK's model: the document's own URL for a
        # linked one, else where the uploaded content will be served
        doc["contentUrl"] = fields.extra.get("sourceUrl") or _url(base_url, doc["id"])
    return scope.put("attachment", doc, parent=revision["id"])


def editable(scope: Scope, doc: Doc) -> Doc:
    """The attachment, when its revision is editable (409 otherwise)."""
    _editable_revision(scope, doc["listingRevisionId"])
    return doc


def update(scope: Scope, doc: Doc, fields: AttachmentFields) -> Doc:
    """UpdateListingRevisionAttachment: same type, given fields replaced."""
    if fields.attachment_type != doc["attachmentType"]:
        raise invalid("attachmentType is required and cannot change")
    doc.update(_subtype_fields(doc["attachmentType"], fields.extra, creating=False))
    named = {"displayName": fields.display_name, "description": fields.description,
             **fields.tags.given()}
    doc.update({k: v for k, v in named.items() if v is not None})
    return scope.put("attachment", touch(doc))


def delete(scope: Scope, doc: Doc) -> None:
    """DELETED."""
    doc["lifecycleState"] = "DELETED"
    scope.put("attachment", touch(doc))


def upload(scope: Scope, doc: Doc, data: bytes, base_url: str) -> Doc:
    """UpdateListingRevisionAttachmentContent: the bytes, served under ``base_url``."""
    if not data:
        raise invalid("The attachment content is empty")
    doc["mimeType"] = content.save(scope.store, scope.tenancy, f"attachment:{doc['id']}", data)
    doc["contentUrl"] = _url(base_url, doc["id"])
    return scope.put("attachment", touch(doc))


def download(scope: Scope, doc: Doc) -> tuple[bytes, str]:
    """The uploaded bytes and mime type (404 before an upload)."""
    stored = content.load(scope.store, scope.tenancy, f"attachment:{doc['id']}")
    if stored is None:
        raise not_found("attachment content", doc["id"])
    return stored
