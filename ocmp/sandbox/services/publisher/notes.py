"""Listing revision notes: the publisher's, and the ADMINISTRATOR notes the reviewer leaves."""

from __future__ import annotations

from ocmp.sandbox.core.errors import ApiError
from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.wire import by_time_or, collection, resource, touch
from ocmp.sandbox.services.common import require_fields
from ocmp.sandbox.services.publisher.common import TAGS, fetch, live
from ocmp.sandbox.services.publisher.review import add_note


def create_note(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "listingRevisionId", "noteDetails")
    revision = call.store.get(call.tenancy, "revision", body["listingRevisionId"])
    if revision is None or revision["lifecycleState"] == "DELETED":
        raise ApiError(400, "RelatedResourceNotAuthorizedOrNotFound",
                       f"Listing revision {body['listingRevisionId']} was not found")
    note = add_note(call.store, call.tenancy, revision, "PUBLISHER", str(body["noteDetails"]))
    note.update({k: body[k] for k in TAGS if body.get(k) is not None})
    call.store.put(call.tenancy, "note", note)
    return resource(note)


def list_notes(call: Call) -> Reply:
    revision_id = call.query("listingRevisionId", required=True)
    return collection(call, live(call.store, call.tenancy, "note", parent=revision_id),
                      sort=by_time_or("noteDetails"))


def get_note(call: Call, listingRevisionNoteId: str) -> Reply:
    return resource(fetch(call, "note", listingRevisionNoteId, label="listing revision note"))


def update_note(call: Call, listingRevisionNoteId: str) -> Reply:
    note = fetch(call, "note", listingRevisionNoteId, label="listing revision note", if_match=True)
    body = call.json()
    note.update({k: body[k] for k in TAGS if body.get(k) is not None})
    call.store.put(call.tenancy, "note", touch(note))
    return resource(note)


def delete_note(call: Call, listingRevisionNoteId: str) -> Reply:
    note = fetch(call, "note", listingRevisionNoteId, label="listing revision note", if_match=True)
    if note["noteSource"] == "ADMINISTRATOR":
        raise ApiError(409, "Conflict", "Notes left by Oracle cannot be deleted")
    note["lifecycleState"] = "DELETED"
    call.store.put(call.tenancy, "note", touch(note))
    return Reply(204)
