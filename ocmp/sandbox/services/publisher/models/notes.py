"""Listing revision notes: the publisher's, and the ADMINISTRATOR notes the reviewer leaves
(:func:`.review.add_note`), which the publisher cannot delete."""

from __future__ import annotations

from ocmp.sandbox.core.errors import ApiError
from ocmp.sandbox.core.store import Doc
from ocmp.sandbox.core.wire import touch
from ocmp.sandbox.services.publisher.models.review import add_note
from ocmp.sandbox.services.publisher.models.scope import Scope, Tags

LABEL = "listing revision note"


def get(scope: Scope, ident: str) -> Doc:
    """A live note."""
    return scope.fetch("note", ident, label=LABEL)


def notes(scope: Scope, revision_id: str) -> list[Doc]:
    """The live notes of a revision."""
    return scope.live("note", parent=revision_id)


def create(scope: Scope, revision_id: str, text: str, tags: Tags) -> Doc:
    """A PUBLISHER note on a live revision."""
    revision = scope.related("revision", revision_id, "Listing revision")
    note = add_note(scope.store, scope.tenancy, revision, "PUBLISHER", text)
    note.update(tags.given())
    return scope.put("note", note)


def update(scope: Scope, note: Doc, tags: Tags) -> Doc:
    """UpdateListingRevisionNote: only the tags change, as in the API."""
    note.update(tags.given())
    return scope.put("note", touch(note))


def delete(scope: Scope, note: Doc) -> None:
    """DELETED, unless Oracle left it."""
    if note["noteSource"] == "ADMINISTRATOR":
        raise ApiError(409, "Conflict", "Notes left by Oracle cannot be deleted")
    note["lifecycleState"] = "DELETED"
    scope.put("note", touch(note))
