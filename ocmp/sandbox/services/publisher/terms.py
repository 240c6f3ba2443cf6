"""Terms (EULAs) and their versions, whose document bytes are the request body.

A new term version is stored INACTIVE (status AVAILABLE once it has content); ``Activate``
makes it the term's ACTIVE version and deactivates the previous one. Packages reference the
term; submitting a revision needs each package's term to have an ACTIVE version.
"""

from __future__ import annotations

from ocmp.sandbox.core import workrequests
from ocmp.sandbox.core.errors import ApiError, conflict, missing, not_found
from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import (
    BY_TIME_OR_NAME,
    by_time_or,
    check_if_match,
    collection,
    copy_given,
    new_id,
    resource,
    save,
    soft_delete,
    summary,
    touch,
)
from ocmp.sandbox.services.common import require_compartment, require_fields
from ocmp.sandbox.services.publisher.common import (
    TAGS,
    content_url,
    fetch,
    live,
    load_content,
    publisher_of,
    save_content,
    tags,
)

_TERM_SUMMARY = ("id", "compartmentId", "name", "author", "lifecycleState", "timeCreated",
                 "timeUpdated", "freeformTags", "definedTags", "systemTags")
_VERSION_SUMMARY = ("id", "compartmentId", "displayName", "status", "lifecycleState",
                    "timeCreated", "timeUpdated", *TAGS, "systemTags")


def create_term(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "compartmentId", "name")
    compartment = require_compartment(call, body["compartmentId"])
    publisher = publisher_of(call)
    if live(call.store, call.tenancy, "term", name=body["name"]):
        raise ApiError(409, "NotAuthorizedOrResourceAlreadyExists",
                       f"A term named {body['name']!r} already exists")
    doc = touch(term_doc(new_id("mktpubterm"), body["name"], compartment, publisher["id"],
                         body), created=True)
    call.store.put(call.tenancy, "term", doc)
    return resource(doc)


def term_doc(ident: str, name: str, compartment: str, publisher_id: str | None,
             body: Doc) -> Doc:
    """A new ACTIVE partner term (seeding builds one too)."""
    return {"id": ident, "name": name, "author": "PARTNER", "compartmentId": compartment,
            "publisherId": publisher_id, "lifecycleState": "ACTIVE", **tags(body)}


def list_terms(call: Call) -> Reply:
    compartment = require_compartment(call, call.query("compartmentId"))
    name = call.query("name")
    docs = [d for d in live(call.store, call.tenancy, "term", name=name)
            if d["compartmentId"] == compartment]
    return collection(call, docs, summary(_TERM_SUMMARY), sort=by_time_or("name"))


def get_term(call: Call, termId: str) -> Reply:
    return resource(fetch(call, "term", termId))


def update_term(call: Call, termId: str) -> Reply:
    doc = fetch(call, "term", termId, if_match=True)
    body = call.json()
    copy_given(doc, body, TAGS)
    return save(call, "term", doc)


def delete_term(call: Call, termId: str) -> Reply:
    doc = fetch(call, "term", termId, if_match=True)
    if live(call.store, call.tenancy, "package", termId=termId):
        raise conflict(f"Term {termId} is used by a listing revision package")
    return soft_delete(call, "term", doc)


def change_term_compartment(call: Call, termId: str) -> Reply:
    fetch(call, "term", termId, if_match=True)
    target = require_compartment(call, call.json().get("compartmentId"))
    wr = workrequests.start(call.store, call.tenancy, operation="CHANGE_TERM_COMPARTMENT",
                            compartment_id=target, finish="move",
                            resources=[workrequests.wr_resource(
                                "term", "UPDATED", termId, f"/20241201/terms/{termId}")],
                            args={"kind": "term", "id": termId, "compartmentId": target},
                            polls=call.settings["work_request_polls"])
    return workrequests.accepted(wr)


@workrequests.completer("move")
def _move(store: Store, tenancy: str, wr: Doc) -> list[str]:
    args = wr["_args"]
    doc = store.get(tenancy, args["kind"], args["id"])
    if doc is None:
        return [f"{args['kind']} {args['id']} no longer exists"]
    doc["compartmentId"] = args["compartmentId"]
    doc.pop("_wr", None)
    store.put(tenancy, args["kind"], touch(doc))
    return []


def create_term_version(call: Call) -> Reply:
    term_id = call.header("term-id")
    if not term_id:
        raise missing("term-id")
    term = call.store.get(call.tenancy, "term", term_id)
    if term is None or term.get("lifecycleState") == "DELETED":
        raise ApiError(400, "RelatedResourceNotAuthorizedOrNotFound",
                       f"Term {term_id} was not found")
    data = call.body()
    if not data:
        raise ApiError(400, "InvalidParameter", "The term version document is empty")
    ident = new_id("mktpubtermversion")
    mime = save_content(call, f"termVersion:{ident}", data)
    doc = touch(term_version_doc(ident, term, call.header("display-name"), mime,
                                 content_url(call, "")), created=True)
    call.store.put(call.tenancy, "termVersion", doc, parent=term_id)
    return resource(doc)


def term_version_doc(ident: str, term: Doc, name: str | None, mime: str, base_url: str,
                     state: str = "INACTIVE") -> Doc:
    """A term version whose document is stored as ``termVersion:<ident>`` content."""
    return {"id": ident, "termId": term["id"], "termAuthor": term["author"],
            "displayName": name or f"Version of {term['name']}",
            "compartmentId": term["compartmentId"],
            "attachment": {"contentUrl": f"{base_url}/termVersions/{ident}/content",
                           "mimeType": mime},
            "status": "AVAILABLE", "author": term["author"], "lifecycleState": state,
            "freeformTags": {}, "definedTags": {}, "systemTags": {}}


def list_term_versions(call: Call) -> Reply:
    term_id = call.query("termId", required=True)
    name = call.query("displayName")
    docs = [d for d in call.store.list(call.tenancy, "termVersion", parent=term_id)
            if d["status"] != "DELETED" and name in (None, d["displayName"])]
    return collection(call, docs, summary(_VERSION_SUMMARY), sort=BY_TIME_OR_NAME)


def _term_version(call: Call, ident: str) -> Doc:
    doc = call.store.get(call.tenancy, "termVersion", ident)
    if doc is None or doc.get("status") == "DELETED":
        raise not_found("term version", ident)
    return doc


def get_term_version(call: Call, termVersionId: str) -> Reply:
    return resource(_term_version(call, termVersionId))


def update_term_version(call: Call, termVersionId: str) -> Reply:
    doc = _term_version(call, termVersionId)
    check_if_match(call, doc)
    body = call.json()
    copy_given(doc, body, ("displayName", *TAGS))
    return save(call, "termVersion", doc)


def delete_term_version(call: Call, termVersionId: str) -> Reply:
    doc = _term_version(call, termVersionId)
    check_if_match(call, doc)
    return soft_delete(call, "termVersion", doc, status="DELETED", lifecycleState="INACTIVE")


def get_term_version_content(call: Call, termVersionId: str) -> Reply:
    doc = _term_version(call, termVersionId)
    stored = load_content(call, f"termVersion:{termVersionId}")
    if stored is None:
        raise not_found("term version content", termVersionId)
    return Reply(200, stored[0], {"etag": doc["_etag"]}, stored[1])


def update_term_version_content(call: Call, termVersionId: str) -> Reply:
    doc = _term_version(call, termVersionId)
    check_if_match(call, doc)
    mime = save_content(call, f"termVersion:{termVersionId}", call.body())
    doc["attachment"]["mimeType"] = mime
    if call.header("display-name"):
        doc["displayName"] = call.header("display-name")
    return save(call, "termVersion", doc)


def activate_term_version(call: Call, termVersionId: str) -> Reply:
    doc = _term_version(call, termVersionId)
    check_if_match(call, doc)
    for other in call.store.list(call.tenancy, "termVersion", parent=doc["termId"]):
        if other["id"] != termVersionId and other["lifecycleState"] == "ACTIVE":
            other["lifecycleState"] = "INACTIVE"
            call.store.put(call.tenancy, "termVersion", touch(other))
    doc["lifecycleState"] = "ACTIVE"
    return save(call, "termVersion", doc)


def has_active_version(store: Store, tenancy: str, term_id: str) -> bool:
    """True when the term has an ACTIVE, AVAILABLE version (needed to submit a revision)."""
    return any(v["lifecycleState"] == "ACTIVE" and v["status"] == "AVAILABLE"
               for v in store.list(tenancy, "termVersion", parent=term_id))
