"""Listing revision packages: artifact + term + version, typed by the listing's package type.

One package of a revision is its default. Marking the default, and publishing or
unpublishing a package of a published revision, are work requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ocmp.sandbox.core.errors import ApiError, conflict, incorrect_state, invalid, missing
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import new_id, touch
from ocmp.sandbox.services.publisher.models import revisions, work_requests
from ocmp.sandbox.services.publisher.models.scope import (
    PREFIX,
    PUBLISHED,
    Scope,
    Tags,
    live,
    require_editable,
)

LABEL = "listing revision package"


@dataclass(frozen=True)
class NewPackage:
    """What a CreateListingRevisionPackage asks for."""

    listing_revision_id: str
    package_version: str
    artifact_id: str
    term_id: str
    security_upgrades: Any
    display_name: str | None = None
    description: str | None = None
    is_default: bool = False
    tags: Tags = field(default_factory=Tags)


@dataclass(frozen=True)
class PackageChanges:
    """What an UpdateListingRevisionPackage changes (``None``: not given)."""

    artifact_id: str | None = None
    term_id: str | None = None
    package_version: str | None = None
    display_name: str | None = None
    description: str | None = None
    is_default: bool | None = None
    security_upgrades: bool | None = None
    tags: Tags = field(default_factory=Tags)

    def given(self) -> Doc:
        """The given plain fields under their API names."""
        named = {"packageVersion": self.package_version, "displayName": self.display_name,
                 "description": self.description, "isDefault": self.is_default,
                 "areSecurityUpgradesProvided": self.security_upgrades, **self.tags.given()}
        return {k: v for k, v in named.items() if v is not None}


def _check_artifact(scope: Scope, artifact_id: str, package_type: str) -> None:
    artifact = scope.related("artifact", artifact_id, "Artifact")
    if artifact["artifactType"] != package_type:
        raise invalid(f"Artifact {artifact_id} is {artifact['artifactType']}; this listing "
                      f"needs a {package_type} artifact")
    if artifact["lifecycleState"] != "ACTIVE" or artifact["status"] != "AVAILABLE":
        raise incorrect_state(f"Artifact {artifact_id} is {artifact['lifecycleState']}/"
                              f"{artifact['status']}; it must be ACTIVE and AVAILABLE")


def _check_term(scope: Scope, term_id: str) -> None:
    term = scope.store.get(scope.tenancy, "term", term_id)
    if term is None or term["lifecycleState"] == "DELETED":
        raise ApiError(400, "RelatedResourceNotAuthorizedOrNotFound", f"Term {term_id} not found")


def _version_taken(version: str) -> ApiError:
    return ApiError(409, "NotAuthorizedOrResourceAlreadyExists",
                    f"Package version {version} already exists in this revision")


def _clear_other_defaults(store: Store, tenancy: str, keep: Doc) -> None:
    for other in live(store, tenancy, "package", parent=keep["listingRevisionId"]):
        if other["id"] != keep["id"] and other.get("isDefault"):
            other["isDefault"] = False
            store.put(tenancy, "package", touch(other))


def get(scope: Scope, ident: str) -> Doc:
    """A live package, its pending work settled."""
    return scope.fetch("package", ident, label=LABEL)


def create(scope: Scope, new: NewPackage) -> Doc:
    """A NEW package of an editable revision (a default one unsets the others)."""
    if new.security_upgrades is None:
        raise missing("areSecurityUpgradesProvided")
    rev = scope.related("revision", new.listing_revision_id, "Listing revision")
    require_editable(rev)
    _check_artifact(scope, new.artifact_id, rev["packageType"])
    _check_term(scope, new.term_id)
    if any(p["packageVersion"] == new.package_version
           for p in scope.live("package", parent=rev["id"])):
        raise _version_taken(new.package_version)
    doc = touch({"id": new_id("mktpubpackage"),
                 "displayName": new.display_name or new.package_version,
                 "description": new.description,
                 "listingRevisionId": rev["id"], "compartmentId": rev["compartmentId"],
                 "artifactId": new.artifact_id, "termId": new.term_id,
                 "packageVersion": str(new.package_version), "packageType": rev["packageType"],
                 "lifecycleState": "ACTIVE", "status": "NEW",
                 "areSecurityUpgradesProvided": bool(new.security_upgrades),
                 "isDefault": bool(new.is_default), "extendedMetadata": None,
                 **new.tags.fields()}, created=True)
    if rev["packageType"] == "MACHINE_IMAGE":
        doc["machineImageDetails"] = None
    scope.put("package", doc, parent=rev["id"])
    if doc["isDefault"]:
        _clear_other_defaults(scope.store, scope.tenancy, doc)
    return doc


def editable(scope: Scope, doc: Doc) -> Doc:
    """The package, when its revision is editable (409 otherwise). Reading the revision is
    a reviewer poll like any other, so a change checks this once, before it reads its body."""
    require_editable(revisions.get(scope, doc["listingRevisionId"]))
    return doc


def update(scope: Scope, doc: Doc, changes: PackageChanges) -> Doc:
    """UpdateListingRevisionPackage of a package :func:`editable` returned."""
    if changes.artifact_id:
        _check_artifact(scope, changes.artifact_id, doc["packageType"])
        doc["artifactId"] = changes.artifact_id
    if changes.term_id:
        _check_term(scope, changes.term_id)
        doc["termId"] = changes.term_id
    version = changes.package_version
    if version and any(p["packageVersion"] == version and p["id"] != doc["id"]
                       for p in scope.live("package", parent=doc["listingRevisionId"])):
        raise _version_taken(version)
    doc.update(changes.given())
    scope.put("package", touch(doc))
    if doc.get("isDefault"):
        _clear_other_defaults(scope.store, scope.tenancy, doc)
    return doc


def delete(scope: Scope, doc: Doc) -> None:
    """DELETED (a package :func:`editable` returned)."""
    doc["lifecycleState"] = "DELETED"
    scope.put("package", touch(doc))


def _work(scope: Scope, doc: Doc, operation: str, finish: str) -> Doc:
    if doc.get("_wr"):
        raise conflict(f"Package {doc['id']} has a work request in progress")
    wr = work_requests.start(
        scope.store, scope.tenancy, operation=operation, compartment_id=doc["compartmentId"],
        finish=finish, args={"id": doc["id"]},
        resources=[work_requests.wr_resource("listingRevisionPackage", "UPDATED", doc["id"],
                                             f"{PREFIX}/listingRevisionPackages/{doc['id']}")],
        polls=scope.polls)
    doc["_wr"] = wr["id"]
    scope.put("package", doc)
    return wr


def mark_as_default(scope: Scope, doc: Doc) -> Doc:
    """Start making this package its revision's default."""
    return _work(scope, doc, "MARK_AS_DEFAULT_LISTING_REVISION_PACKAGE", "mark_default")


@work_requests.completer("mark_default")
def _mark_default(store: Store, tenancy: str, wr: Doc) -> list[str]:
    doc = store.get(tenancy, "package", wr["_args"]["id"])
    if doc is None:
        return ["The package no longer exists"]
    doc["isDefault"] = True
    doc.pop("_wr", None)
    store.put(tenancy, "package", touch(doc))
    _clear_other_defaults(store, tenancy, doc)
    return []


def publish(scope: Scope, doc: Doc) -> Doc:
    """Start publishing a package added to a published revision."""
    rev = revisions.get(scope, doc["listingRevisionId"])
    if rev["status"] not in PUBLISHED or doc["status"] in PUBLISHED:
        raise incorrect_state(f"Package {doc['id']} is {doc['status']} in a {rev['status']} "
                              "revision")
    return _work(scope, doc, "PUBLISH_LISTING_REVISION_PACKAGE", "package_publish")


def unpublish(scope: Scope, doc: Doc) -> Doc:
    """Start unpublishing a published package that is not the default."""
    if doc["status"] not in PUBLISHED:
        raise incorrect_state(f"Package {doc['id']} is {doc['status']}, not published")
    if doc.get("isDefault"):
        raise conflict(f"Package {doc['id']} is the revision's default package; mark another "
                       "package as the default before unpublishing it")
    doc["status"] = "UNPUBLISH_IN_PROGRESS"
    return _work(scope, doc, "UNPUBLISH_LISTING_REVISION_PACKAGE", "package_unpublish")
