"""Listings: a name, a listing type and a package type, under the publisher account.

Deleting a listing that has revisions is refused; ``cascadingDelete`` is a work request
that deletes the listing with every revision, package, attachment and note under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ocmp.sandbox.core.errors import ApiError, conflict, invalid
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import new_id, touch
from ocmp.sandbox.services.publisher.models import work_requests
from ocmp.sandbox.services.publisher.models.compartments import start_move
from ocmp.sandbox.services.publisher.models.scope import PREFIX, PUBLISHED, Scope, Tags

LISTING_TYPES = ("OCI_APPLICATION", "LEAD_GENERATION", "SERVICE")
PACKAGE_TYPES = ("CONTAINER_IMAGE", "HELM_CHART", "MACHINE_IMAGE", "STACK", "NONE")


@dataclass(frozen=True)
class NewListing:
    """What a CreateListing asks for."""

    compartment_id: str
    name: str
    listing_type: str
    package_type: str
    tags: Tags = field(default_factory=Tags)


def listing_doc(ident: str, publisher_id: str, new: NewListing) -> Doc:
    """A new ACTIVE listing (CreateListing and seeding build one)."""
    return {"id": ident, "compartmentId": new.compartment_id, "publisherId": publisher_id,
            "listingType": new.listing_type, "name": new.name,
            "packageType": new.package_type, "extendedMetadata": None,
            "lifecycleState": "ACTIVE", **new.tags.fields()}


def get(scope: Scope, ident: str) -> Doc:
    """A live listing, its pending work settled."""
    return scope.fetch("listing", ident)


def create(scope: Scope, new: NewListing) -> Doc:
    """An ACTIVE listing (the publisher must be APPROVED, the name unused)."""
    if new.listing_type not in LISTING_TYPES:
        raise invalid(f"listingType must be one of {', '.join(LISTING_TYPES)}")
    if new.package_type not in PACKAGE_TYPES:
        raise invalid(f"packageType must be one of {', '.join(PACKAGE_TYPES)}")
    publisher = scope.publisher()
    if scope.live("listing", name=new.name):
        raise ApiError(409, "NotAuthorizedOrResourceAlreadyExists",
                       f"A listing named {new.name!r} already exists")
    doc = touch(listing_doc(new_id("mktpublisting"), publisher["id"], new), created=True)
    return scope.put("listing", doc)


def put_seeded(store: Store, tenancy: str, ident: str, publisher_id: str,
               new: NewListing) -> Doc:
    """A listing that already exists (a seed's), under a stable id."""
    return store.put(tenancy, "listing", touch(listing_doc(ident, publisher_id, new)))


def update(scope: Scope, doc: Doc, tags: Tags) -> Doc:
    """UpdateListing: only the tags change, as in the API."""
    doc.update(tags.given())
    return scope.put("listing", touch(doc))


def delete(scope: Scope, doc: Doc) -> None:
    """DELETED (409 while the listing has revisions)."""
    if scope.live("revision", parent=doc["id"]):
        raise conflict(f"Listing {doc['id']} has revisions; use cascadingDelete")
    doc["lifecycleState"] = "DELETED"
    scope.put("listing", touch(doc))


def cascading_delete(scope: Scope, doc: Doc) -> Doc:
    """Start deleting the listing and everything under it (409 while one is published)."""
    listing_id = doc["id"]
    if any(r["status"] in PUBLISHED for r in scope.live("revision", parent=listing_id)):
        raise conflict(f"Listing {listing_id} has a published revision; withdraw it first")
    wr = work_requests.start(
        scope.store, scope.tenancy, operation="CASCADING_DELETE_LISTING",
        compartment_id=doc["compartmentId"], finish="cascade_listing", args={"id": listing_id},
        resources=[work_requests.wr_resource("listing", "DELETED", listing_id,
                                             f"{PREFIX}/listings/{listing_id}")],
        polls=scope.polls)
    doc.update(lifecycleState="DELETING", _wr=wr["id"])
    scope.put("listing", touch(doc))
    return wr


def change_compartment(scope: Scope, doc: Doc, target: str) -> Doc:
    """Start moving the listing to compartment ``target``."""
    return start_move(scope, "listing", "listing", "listings", doc, target,
                      operation="CHANGE_LISTING_COMPARTMENT")


def delete_revision_tree(store: Store, tenancy: str, revision: Doc) -> None:
    """Mark a revision and everything under it DELETED."""
    for kind in ("package", "attachment", "note"):
        for child in store.list(tenancy, kind, parent=revision["id"]):
            child["lifecycleState"] = "DELETED"
            store.put(tenancy, kind, touch(child))
    revision["lifecycleState"] = "DELETED"
    revision.pop("_wr", None)
    store.put(tenancy, "revision", touch(revision))


@work_requests.completer("cascade_listing")
def _cascade(store: Store, tenancy: str, wr: Doc) -> list[str]:
    listing = store.get(tenancy, "listing", wr["_args"]["id"])
    if listing is None:
        return ["The listing no longer exists"]
    for revision in store.list(tenancy, "revision", parent=listing["id"]):
        delete_revision_tree(store, tenancy, revision)
    listing["lifecycleState"] = "DELETED"
    listing.pop("_wr", None)
    store.put(tenancy, "listing", touch(listing))
    return []
