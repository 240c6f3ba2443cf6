"""Listing revision notes over HTTP."""

from __future__ import annotations

from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.wire import by_time_or, check_if_match, collection, resource
from ocmp.sandbox.services.common import require_fields
from ocmp.sandbox.services.publisher.models import notes
from ocmp.sandbox.services.publisher.responses.common import scope, tags


def create_note(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "listingRevisionId", "noteDetails")
    return resource(notes.create(scope(call), body["listingRevisionId"],
                                 str(body["noteDetails"]), tags(body)))


def list_notes(call: Call) -> Reply:
    revision_id = str(call.query("listingRevisionId", required=True))
    return collection(call, notes.notes(scope(call), revision_id),
                      sort=by_time_or("noteDetails"))


def get_note(call: Call, listingRevisionNoteId: str) -> Reply:
    return resource(notes.get(scope(call), listingRevisionNoteId))


def update_note(call: Call, listingRevisionNoteId: str) -> Reply:
    model = scope(call)
    note = notes.get(model, listingRevisionNoteId)
    check_if_match(call, note)
    return resource(notes.update(model, note, tags(call.json())))


def delete_note(call: Call, listingRevisionNoteId: str) -> Reply:
    model = scope(call)
    note = notes.get(model, listingRevisionNoteId)
    check_if_match(call, note)
    notes.delete(model, note)
    return Reply(204)
