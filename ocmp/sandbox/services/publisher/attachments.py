"""Listing revision attachments (screenshots, videos, documents...) and their content."""

from __future__ import annotations

from typing import Any

from ocmp.sandbox.core.errors import ApiError, invalid, missing, not_found
from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.store import Doc
from ocmp.sandbox.core.wire import (
    BY_TIME_OR_NAME,
    collection,
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
    load_content,
    require_editable,
    save_content,
    tags,
)

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
_SUMMARY = ("id", "listingRevisionId", "compartmentId", "displayName", "attachmentType",
            "sourceType", "documentCategory", "contentUrl", "mimeType", "lifecycleState",
            "timeCreated", "timeUpdated", *TAGS, "systemTags")


def _revision_for(call: Call, revision_id: str) -> Doc:
    revision = call.store.get(call.tenancy, "revision", revision_id)
    if revision is None or revision["lifecycleState"] == "DELETED":
        raise ApiError(400, "RelatedResourceNotAuthorizedOrNotFound",
                       f"Listing revision {revision_id} was not found")
    require_editable(revision)
    return revision


def _subtype_fields(kind: str, body: Doc, *, creating: bool) -> dict[str, Any]:
    if kind not in SUBTYPES:
        raise invalid(f"attachmentType must be one of {', '.join(SUBTYPES)}")
    fields, required = SUBTYPES[kind]
    if creating:
        for name in required:
            if body.get(name) in (None, ""):
                raise missing(name)
    out = {k: body[k] for k in fields if body.get(k) is not None}
    if kind == "VIDEO" and "videoAttachmentDetails" in out:
        out["contentUrl"] = out.pop("videoAttachmentDetails").get("contentUrl")
    return out


def create_attachment(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "listingRevisionId", "attachmentType")
    revision = _revision_for(call, body["listingRevisionId"])
    extra = _subtype_fields(body["attachmentType"], body, creating=True)
    doc = touch({"id": new_id("mktpubattachment"), "compartmentId": revision["compartmentId"],
                 "listingRevisionId": revision["id"], "displayName": body.get("displayName"),
                 "description": body.get("description"), "attachmentType": body["attachmentType"],
                 "sourceType": None, "lifecycleState": "ACTIVE", "contentUrl": None,
                 "mimeType": None, **extra, **tags(body)}, created=True)
    if not doc.get("contentUrl"):  # required by the SDK's model: the document's own URL for a
        # linked one, else where the uploaded content will be served
        doc["contentUrl"] = body.get("sourceUrl") or content_url(
            call, f"/listingRevisionAttachments/{doc['id']}/content")
    call.store.put(call.tenancy, "attachment", doc, parent=revision["id"])
    return resource(doc)


def list_attachments(call: Call) -> Reply:
    revision_id = call.query("listingRevisionId", required=True)
    docs = listed(call, "attachment", parent=revision_id, displayName=call.query("displayName"))
    return collection(call, docs, summary(_SUMMARY), sort=BY_TIME_OR_NAME)


def get_attachment(call: Call, listingRevisionAttachmentId: str) -> Reply:
    return resource(fetch(call, "attachment", listingRevisionAttachmentId,
                          label="listing revision attachment"))


def _editable(call: Call, ident: str) -> Doc:
    doc = fetch(call, "attachment", ident, label="listing revision attachment", if_match=True)
    _revision_for(call, doc["listingRevisionId"])
    return doc


def update_attachment(call: Call, listingRevisionAttachmentId: str) -> Reply:
    doc = _editable(call, listingRevisionAttachmentId)
    body = call.json()
    if body.get("attachmentType") != doc["attachmentType"]:
        raise invalid("attachmentType is required and cannot change")
    doc.update(_subtype_fields(doc["attachmentType"], body, creating=False))
    doc.update({k: body[k] for k in ("displayName", "description", *TAGS)
                if body.get(k) is not None})
    return save(call, "attachment", doc)


def delete_attachment(call: Call, listingRevisionAttachmentId: str) -> Reply:
    doc = _editable(call, listingRevisionAttachmentId)
    return soft_delete(call, "attachment", doc)


def update_attachment_content(call: Call, listingRevisionAttachmentId: str) -> Reply:
    doc = _editable(call, listingRevisionAttachmentId)
    data = call.body()
    if not data:
        raise invalid("The attachment content is empty")
    doc["mimeType"] = save_content(call, f"attachment:{doc['id']}", data)
    doc["contentUrl"] = content_url(call, f"/listingRevisionAttachments/{doc['id']}/content")
    return save(call, "attachment", doc)


def get_attachment_content(call: Call, listingRevisionAttachmentId: str) -> Reply:
    doc = fetch(call, "attachment", listingRevisionAttachmentId,
                label="listing revision attachment")
    stored = load_content(call, f"attachment:{listingRevisionAttachmentId}")
    if stored is None:
        raise not_found("attachment content", listingRevisionAttachmentId)
    return Reply(200, stored[0], {"etag": doc["_etag"]}, stored[1])
