"""Terms (EULAs) and their versions, whose documents are uploaded bytes.

A new term version is stored INACTIVE (status AVAILABLE once it has content); ``Activate``
makes it the term's ACTIVE version and deactivates the previous one. Packages reference the
term; submitting a revision needs each package's term to have an ACTIVE version.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ocmp.sandbox.core.errors import ApiError, conflict, missing, not_found
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import new_id, touch
from ocmp.sandbox.services.publisher.models import content
from ocmp.sandbox.services.publisher.models.compartments import start_move
from ocmp.sandbox.services.publisher.models.scope import Scope, Tags

VERSION_STATES = ("ACTIVE", "INACTIVE")


@dataclass(frozen=True)
class NewTerm:
    """What a CreateTerm asks for."""

    compartment_id: str
    name: str
    tags: Tags = field(default_factory=Tags)


@dataclass(frozen=True)
class NewTermVersion:
    """What a CreateTermVersion sends: the term (a header), a name, the document's bytes."""

    term_id: str | None
    display_name: str | None
    data: bytes


def term_doc(ident: str, publisher_id: str | None, new: NewTerm) -> Doc:
    """A new ACTIVE partner term (creation and seeding build one)."""
    return {"id": ident, "name": new.name, "author": "PARTNER",
            "compartmentId": new.compartment_id, "publisherId": publisher_id,
            "lifecycleState": "ACTIVE", **new.tags.fields()}


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


# -- terms --------------------------------------------------------------------------------
def get(scope: Scope, ident: str) -> Doc:
    """A live term."""
    return scope.fetch("term", ident)


def create(scope: Scope, new: NewTerm) -> Doc:
    """An ACTIVE term (the publisher must be APPROVED, the name unused)."""
    publisher = scope.publisher()
    if scope.live("term", name=new.name):
        raise ApiError(409, "NotAuthorizedOrResourceAlreadyExists",
                       f"A term named {new.name!r} already exists")
    doc = touch(term_doc(new_id("mktpubterm"), publisher["id"], new), created=True)
    return scope.put("term", doc)


def terms(scope: Scope, compartment: str, name: str | None) -> list[Doc]:
    """The live terms of a compartment (of one name when given)."""
    return [d for d in scope.live("term", name=name) if d["compartmentId"] == compartment]


def update(scope: Scope, doc: Doc, tags: Tags) -> Doc:
    """UpdateTerm: only the tags change."""
    doc.update(tags.given())
    return scope.put("term", touch(doc))


def delete(scope: Scope, doc: Doc) -> None:
    """DELETED (409 while a package uses it)."""
    if scope.live("package", termId=doc["id"]):
        raise conflict(f"Term {doc['id']} is used by a listing revision package")
    doc["lifecycleState"] = "DELETED"
    scope.put("term", touch(doc))


def change_compartment(scope: Scope, doc: Doc, target: str) -> Doc:
    """Start moving the term to compartment ``target``."""
    return start_move(scope, "term", "term", "terms", doc, target,
                      operation="CHANGE_TERM_COMPARTMENT", hold=False)


def has_active_version(store: Store, tenancy: str, term_id: str) -> bool:
    """True when the term has an ACTIVE, AVAILABLE version (needed to submit a revision)."""
    return any(v["lifecycleState"] == "ACTIVE" and v["status"] == "AVAILABLE"
               for v in store.list(tenancy, "termVersion", parent=term_id))


# -- versions -----------------------------------------------------------------------------
def create_version(scope: Scope, new: NewTermVersion, base_url: str) -> Doc:
    """An INACTIVE version of a live term, its document kept as uploaded."""
    if not new.term_id:
        raise missing("term-id")
    term = scope.related("term", new.term_id, "Term")
    if not new.data:
        raise ApiError(400, "InvalidParameter", "The term version document is empty")
    ident = new_id("mktpubtermversion")
    mime = content.save(scope.store, scope.tenancy, f"termVersion:{ident}", new.data)
    doc = touch(term_version_doc(ident, term, new.display_name, mime, base_url), created=True)
    return scope.put("termVersion", doc, parent=term["id"])


def put_seeded_version(store: Store, tenancy: str, term: Doc, ident: str, name: str | None,
                       text: str, base_url: str, state: str) -> Doc:
    """A version that already exists (a seed's), its document ``text``."""
    content.save(store, tenancy, f"termVersion:{ident}", text.encode(), "text/plain")
    doc = term_version_doc(ident, term, name, "text/plain", base_url, state)
    return store.put(tenancy, "termVersion", touch(doc), parent=term["id"])


def versions(scope: Scope, term_id: str, name: str | None) -> list[Doc]:
    """The versions of a term not DELETED (of one display name when given)."""
    return [d for d in scope.store.list(scope.tenancy, "termVersion", parent=term_id)
            if d["status"] != "DELETED" and name in (None, d["displayName"])]


def version(scope: Scope, ident: str) -> Doc:
    """A term version not DELETED (404 otherwise)."""
    doc = scope.store.get(scope.tenancy, "termVersion", ident)
    if doc is None or doc.get("status") == "DELETED":
        raise not_found("term version", ident)
    return doc


def update_version(scope: Scope, doc: Doc, display_name: str | None, tags: Tags) -> Doc:
    """UpdateTermVersion: its display name and tags."""
    if display_name is not None:
        doc["displayName"] = display_name
    doc.update(tags.given())
    return scope.put("termVersion", touch(doc))


def delete_version(scope: Scope, doc: Doc) -> None:
    """Status DELETED, lifecycle INACTIVE."""
    doc.update(status="DELETED", lifecycleState="INACTIVE")
    scope.put("termVersion", touch(doc))


def version_document(scope: Scope, doc: Doc) -> tuple[bytes, str]:
    """A version's document bytes and mime type."""
    stored = content.load(scope.store, scope.tenancy, f"termVersion:{doc['id']}")
    if stored is None:
        raise not_found("term version content", doc["id"])
    return stored


def replace_document(scope: Scope, doc: Doc, data: bytes, display_name: str | None) -> Doc:
    """UpdateTermVersionContent: new document bytes (and display name, when given)."""
    doc["attachment"]["mimeType"] = content.save(scope.store, scope.tenancy,
                                                 f"termVersion:{doc['id']}", data)
    if display_name:
        doc["displayName"] = display_name
    return scope.put("termVersion", touch(doc))


def activate(scope: Scope, doc: Doc) -> Doc:
    """The term's ACTIVE version; the one before becomes INACTIVE."""
    for other in scope.store.list(scope.tenancy, "termVersion", parent=doc["termId"]):
        if other["id"] != doc["id"] and other["lifecycleState"] == "ACTIVE":
            other["lifecycleState"] = "INACTIVE"
            scope.put("termVersion", touch(other))
    doc["lifecycleState"] = "ACTIVE"
    return scope.put("termVersion", touch(doc))


def put_seeded(store: Store, tenancy: str, ident: str, publisher_id: str | None,
               new: NewTerm) -> Doc:
    """A term that already exists (a seed's), under a stable id."""
    return store.put(tenancy, "term", touch(term_doc(ident, publisher_id, new)))
