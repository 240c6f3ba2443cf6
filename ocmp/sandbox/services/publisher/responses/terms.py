"""Terms and term versions over HTTP; a version's document is the request body, its term
and name are headers."""

from __future__ import annotations

from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.store import Doc
from ocmp.sandbox.core.wire import (
    BY_TIME_OR_NAME,
    by_time_or,
    check_if_match,
    collection,
    resource,
    summary,
)
from ocmp.sandbox.services.common import require_compartment, require_fields
from ocmp.sandbox.services.publisher.models import terms
from ocmp.sandbox.services.publisher.models.scope import TAGS, Scope
from ocmp.sandbox.services.publisher.responses.common import (
    accepted,
    base_url,
    content,
    scope,
    tags,
)

_TERM_SUMMARY = ("id", "compartmentId", "name", "author", "lifecycleState", "timeCreated",
                 "timeUpdated", "freeformTags", "definedTags", "systemTags")
_VERSION_SUMMARY = ("id", "compartmentId", "displayName", "status", "lifecycleState",
                    "timeCreated", "timeUpdated", *TAGS, "systemTags")


def _changing(call: Call, model: Scope, ident: str) -> Doc:
    doc = terms.get(model, ident)
    check_if_match(call, doc)
    return doc


def _changing_version(call: Call, model: Scope, ident: str) -> Doc:
    doc = terms.version(model, ident)
    check_if_match(call, doc)
    return doc


# -- terms --------------------------------------------------------------------------------
def create_term(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "compartmentId", "name")
    compartment = require_compartment(call, body["compartmentId"])
    new = terms.NewTerm(compartment_id=compartment, name=body["name"], tags=tags(body))
    return resource(terms.create(scope(call), new))


def list_terms(call: Call) -> Reply:
    compartment = require_compartment(call, call.query("compartmentId"))
    docs = terms.terms(scope(call), compartment, call.query("name"))
    return collection(call, docs, summary(_TERM_SUMMARY), sort=by_time_or("name"))


def get_term(call: Call, termId: str) -> Reply:
    return resource(terms.get(scope(call), termId))


def update_term(call: Call, termId: str) -> Reply:
    model = scope(call)
    doc = _changing(call, model, termId)
    return resource(terms.update(model, doc, tags(call.json())))


def delete_term(call: Call, termId: str) -> Reply:
    model = scope(call)
    terms.delete(model, _changing(call, model, termId))
    return Reply(204)


def change_term_compartment(call: Call, termId: str) -> Reply:
    model = scope(call)
    doc = _changing(call, model, termId)
    target = require_compartment(call, call.json().get("compartmentId"))
    return accepted(terms.change_compartment(model, doc, target))


# -- versions -----------------------------------------------------------------------------
def create_term_version(call: Call) -> Reply:
    new = terms.NewTermVersion(term_id=call.header("term-id"),
                               display_name=call.header("display-name"), data=call.body())
    return resource(terms.create_version(scope(call), new, base_url(call)))


def list_term_versions(call: Call) -> Reply:
    term_id = str(call.query("termId", required=True))
    docs = terms.versions(scope(call), term_id, call.query("displayName"))
    return collection(call, docs, summary(_VERSION_SUMMARY), sort=BY_TIME_OR_NAME)


def get_term_version(call: Call, termVersionId: str) -> Reply:
    return resource(terms.version(scope(call), termVersionId))


def update_term_version(call: Call, termVersionId: str) -> Reply:
    model = scope(call)
    doc = _changing_version(call, model, termVersionId)
    body = call.json()
    return resource(terms.update_version(model, doc, body.get("displayName"), tags(body)))


def delete_term_version(call: Call, termVersionId: str) -> Reply:
    model = scope(call)
    terms.delete_version(model, _changing_version(call, model, termVersionId))
    return Reply(204)


def get_term_version_content(call: Call, termVersionId: str) -> Reply:
    model = scope(call)
    doc = terms.version(model, termVersionId)
    return content(terms.version_document(model, doc), doc["_etag"])


def update_term_version_content(call: Call, termVersionId: str) -> Reply:
    model = scope(call)
    doc = _changing_version(call, model, termVersionId)
    return resource(terms.replace_document(model, doc, call.body(),
                                           call.header("display-name")))


def activate_term_version(call: Call, termVersionId: str) -> Reply:
    model = scope(call)
    return resource(terms.activate(model, _changing_version(call, model, termVersionId)))
