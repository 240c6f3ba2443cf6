"""Listing revision attachments over HTTP, and their content."""

from __future__ import annotations

from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.store import Doc
from ocmp.sandbox.core.wire import (
    BY_TIME_OR_NAME,
    check_if_match,
    collection,
    listed,
    resource,
    summary,
)
from ocmp.sandbox.services.common import require_fields
from ocmp.sandbox.services.publisher.models import attachments
from ocmp.sandbox.services.publisher.models.scope import TAGS, Scope
from ocmp.sandbox.services.publisher.responses.common import base_url, content, scope, tags

_SUMMARY = ("id", "listingRevisionId", "compartmentId", "displayName", "attachmentType",
            "sourceType", "documentCategory", "contentUrl", "mimeType", "lifecycleState",
            "timeCreated", "timeUpdated", *TAGS, "systemTags")


def _fields(body: Doc) -> attachments.AttachmentFields:
    return attachments.AttachmentFields(
        attachment_type=body.get("attachmentType"), display_name=body.get("displayName"),
        description=body.get("description"),
        extra={k: body[k] for k in attachments.SUBTYPE_FIELDS if k in body}, tags=tags(body))


def _editable(call: Call, model: Scope, ident: str) -> Doc:
    doc = attachments.get(model, ident)
    check_if_match(call, doc)
    return attachments.editable(model, doc)


def create_attachment(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "listingRevisionId", "attachmentType")
    return resource(attachments.create(scope(call), body["listingRevisionId"], _fields(body),
                                       base_url(call)))


def list_attachments(call: Call) -> Reply:
    revision_id = call.query("listingRevisionId", required=True)
    docs = listed(call, "attachment", parent=revision_id, displayName=call.query("displayName"))
    return collection(call, docs, summary(_SUMMARY), sort=BY_TIME_OR_NAME)


def get_attachment(call: Call, listingRevisionAttachmentId: str) -> Reply:
    return resource(attachments.get(scope(call), listingRevisionAttachmentId))


def update_attachment(call: Call, listingRevisionAttachmentId: str) -> Reply:
    model = scope(call)
    doc = _editable(call, model, listingRevisionAttachmentId)
    return resource(attachments.update(model, doc, _fields(call.json())))


def delete_attachment(call: Call, listingRevisionAttachmentId: str) -> Reply:
    model = scope(call)
    attachments.delete(model, _editable(call, model, listingRevisionAttachmentId))
    return Reply(204)


def update_attachment_content(call: Call, listingRevisionAttachmentId: str) -> Reply:
    model = scope(call)
    doc = _editable(call, model, listingRevisionAttachmentId)
    return resource(attachments.upload(model, doc, call.body(), base_url(call)))


def get_attachment_content(call: Call, listingRevisionAttachmentId: str) -> Reply:
    model = scope(call)
    doc = attachments.get(model, listingRevisionAttachmentId)
    return content(attachments.download(model, doc), doc["_etag"])
