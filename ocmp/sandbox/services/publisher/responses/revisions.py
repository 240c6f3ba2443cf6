"""Listing revisions over HTTP: metadata, icon and banner."""

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
from ocmp.sandbox.services.publisher.models import revisions
from ocmp.sandbox.services.publisher.models.scope import TAGS, require_editable
from ocmp.sandbox.services.publisher.responses.common import base_url, content, scope

_SUMMARY = ("id", "listingId", "compartmentId", "listingType", "displayName", "status",
            "lifecycleState", "packageType", "shortDescription", "tagline", "icon",
            "timeCreated", "timeUpdated", *TAGS, "systemTags")


def _fields(body: Doc) -> revisions.RevisionFields:
    return revisions.RevisionFields(
        listing_type=body.get("listingType"),
        given={k: body[k] for k in revisions.FIELDS if body.get(k) is not None})


def create_listing_revision(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "listingId", "listingType", "headline")
    new = revisions.NewRevision(listing_id=body["listingId"], fields=_fields(body))
    return resource(revisions.create(scope(call), new))


def list_listing_revisions(call: Call) -> Reply:
    listing_id = call.query("listingId", required=True)
    docs = listed(call, "revision", parent=listing_id, displayName=call.query("displayName"),
                  status=call.query("listingRevisionStatus"))
    return collection(call, docs, summary(_SUMMARY), sort=BY_TIME_OR_NAME)


def get_listing_revision(call: Call, listingRevisionId: str) -> Reply:
    return resource(revisions.get(scope(call), listingRevisionId))


def update_listing_revision(call: Call, listingRevisionId: str) -> Reply:
    model = scope(call)
    doc = revisions.get(model, listingRevisionId)
    check_if_match(call, doc)
    require_editable(doc)  # before the body is read: a 409 wins over a body it cannot parse
    return resource(revisions.update(model, doc, _fields(call.json())))


def delete_listing_revision(call: Call, listingRevisionId: str) -> Reply:
    model = scope(call)
    doc = revisions.get(model, listingRevisionId)
    check_if_match(call, doc)
    revisions.delete(model, doc)
    return Reply(204)


def update_icon(call: Call, listingRevisionId: str) -> Reply:
    model = scope(call)
    doc = revisions.get(model, listingRevisionId)
    check_if_match(call, doc)
    return resource(revisions.set_icon(model, doc, call.body(), base_url(call)))


def get_icon(call: Call, listingRevisionId: str) -> Reply:
    model = scope(call)
    doc = revisions.get(model, listingRevisionId)
    return content(revisions.icon(model, doc), doc["_etag"])


def update_banner(call: Call, listingRevisionId: str) -> Reply:
    model = scope(call)
    doc = revisions.get(model, listingRevisionId)
    check_if_match(call, doc)
    return resource(revisions.set_banner(model, doc, call.query("bannerName"), call.body(),
                                         base_url(call)))
