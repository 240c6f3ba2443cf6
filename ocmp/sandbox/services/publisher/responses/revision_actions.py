"""Revision actions over HTTP: submit for review, publish (public or private), withdraw,
clone, back to NEW, cascading delete."""

from __future__ import annotations

from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.store import Doc
from ocmp.sandbox.core.wire import check_if_match, resource
from ocmp.sandbox.services.publisher.models import revision_actions, revisions
from ocmp.sandbox.services.publisher.models.scope import Scope
from ocmp.sandbox.services.publisher.responses.common import accepted, scope


def _acting_on(call: Call, model: Scope, ident: str) -> Doc:
    doc = revisions.get(model, ident)
    check_if_match(call, doc)
    return revision_actions.idle(doc)


def submit_for_review(call: Call, listingRevisionId: str) -> Reply:
    model = scope(call)
    doc = revision_actions.submittable(model, _acting_on(call, model, listingRevisionId))
    body = call.json()  # read after the state checks: a 409 wins over a body it cannot parse
    note = body.get("noteDetails")
    submission = revision_actions.Submission(
        internal_launch_allowed=body.get("areInternalTenancyLaunchAllowed"),
        auto_publish=bool(body.get("shouldAutoPublishOnApproval")),
        note=str(note) if note else None)
    return resource(revision_actions.submit(model, doc, submission))


def publish(call: Call, listingRevisionId: str) -> Reply:
    model = scope(call)
    doc = _acting_on(call, model, listingRevisionId)
    return accepted(revision_actions.publish(model, doc, private=False))


def publish_as_private(call: Call, listingRevisionId: str) -> Reply:
    model = scope(call)
    doc = revision_actions.publishable(_acting_on(call, model, listingRevisionId))
    allowed = call.json().get("allowedTenancies")
    return accepted(revision_actions.publish(model, doc, private=True, allowed=allowed))


def withdraw(call: Call, listingRevisionId: str) -> Reply:
    model = scope(call)
    return accepted(revision_actions.withdraw(model, _acting_on(call, model, listingRevisionId)))


def clone(call: Call, listingRevisionId: str) -> Reply:
    model = scope(call)
    return accepted(revision_actions.clone(model, _acting_on(call, model, listingRevisionId)))


def change_to_new(call: Call, listingRevisionId: str) -> Reply:
    model = scope(call)
    doc = _acting_on(call, model, listingRevisionId)
    return resource(revision_actions.change_to_new(model, doc))


def cascading_delete(call: Call, listingRevisionId: str) -> Reply:
    model = scope(call)
    doc = _acting_on(call, model, listingRevisionId)
    return accepted(revision_actions.cascading_delete(model, doc))
