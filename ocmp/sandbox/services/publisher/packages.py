"""Listing revision packages: artifact + term + version, typed by the listing's package type."""

from __future__ import annotations

from ocmp.sandbox.core import workrequests
from ocmp.sandbox.core.errors import ApiError, conflict, incorrect_state, invalid, missing
from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import (
    by_time_or,
    collection,
    copy_given,
    listed,
    new_id,
    resource,
    soft_delete,
    summary,
    touch,
)
from ocmp.sandbox.services.common import require_fields
from ocmp.sandbox.services.publisher.common import TAGS, fetch, live, require_editable, tags
from ocmp.sandbox.services.publisher.revisions import revision

_SUMMARY = ("id", "listingRevisionId", "compartmentId", "displayName", "packageVersion",
            "packageType", "areSecurityUpgradesProvided", "isDefault", "lifecycleState",
            "status", "timeCreated", "timeUpdated", *TAGS, "systemTags")
_UPDATABLE = ("packageVersion", "displayName", "description", "isDefault",
              "areSecurityUpgradesProvided", *TAGS)


def _check_artifact(call: Call, artifact_id: str, package_type: str) -> None:
    artifact = call.store.get(call.tenancy, "artifact", artifact_id)
    if artifact is None or artifact["lifecycleState"] == "DELETED":
        raise ApiError(400, "RelatedResourceNotAuthorizedOrNotFound",
                       f"Artifact {artifact_id} was not found")
    if artifact["artifactType"] != package_type:
        raise invalid(f"Artifact {artifact_id} is {artifact['artifactType']}; this listing "
                      f"needs a {package_type} artifact")
    if artifact["lifecycleState"] != "ACTIVE" or artifact["status"] != "AVAILABLE":
        raise incorrect_state(f"Artifact {artifact_id} is {artifact['lifecycleState']}/"
                              f"{artifact['status']}; it must be ACTIVE and AVAILABLE")


def _check_term(call: Call, term_id: str) -> None:
    term = call.store.get(call.tenancy, "term", term_id)
    if term is None or term["lifecycleState"] == "DELETED":
        raise ApiError(400, "RelatedResourceNotAuthorizedOrNotFound", f"Term {term_id} not found")


def _clear_other_defaults(store: Store, tenancy: str, keep: Doc) -> None:
    for other in live(store, tenancy, "package", parent=keep["listingRevisionId"]):
        if other["id"] != keep["id"] and other.get("isDefault"):
            other["isDefault"] = False
            store.put(tenancy, "package", touch(other))


def create_package(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "listingRevisionId", "packageVersion", "artifactId", "termId")
    if body.get("areSecurityUpgradesProvided") is None:
        raise missing("areSecurityUpgradesProvided")
    rev = call.store.get(call.tenancy, "revision", body["listingRevisionId"])
    if rev is None or rev["lifecycleState"] == "DELETED":
        raise ApiError(400, "RelatedResourceNotAuthorizedOrNotFound",
                       f"Listing revision {body['listingRevisionId']} was not found")
    require_editable(rev)
    _check_artifact(call, body["artifactId"], rev["packageType"])
    _check_term(call, body["termId"])
    siblings = live(call.store, call.tenancy, "package", parent=rev["id"])
    if any(p["packageVersion"] == body["packageVersion"] for p in siblings):
        raise ApiError(409, "NotAuthorizedOrResourceAlreadyExists",
                       f"Package version {body['packageVersion']} already exists in this revision")
    doc = touch({"id": new_id("mktpubpackage"), "displayName": body.get("displayName")
                 or body["packageVersion"], "description": body.get("description"),
                 "listingRevisionId": rev["id"], "compartmentId": rev["compartmentId"],
                 "artifactId": body["artifactId"], "termId": body["termId"],
                 "packageVersion": str(body["packageVersion"]), "packageType": rev["packageType"],
                 "lifecycleState": "ACTIVE", "status": "NEW",
                 "areSecurityUpgradesProvided": bool(body["areSecurityUpgradesProvided"]),
                 "isDefault": bool(body.get("isDefault")), "extendedMetadata": None,
                 **tags(body)}, created=True)
    if rev["packageType"] == "MACHINE_IMAGE":
        doc["machineImageDetails"] = None
    call.store.put(call.tenancy, "package", doc, parent=rev["id"])
    if doc["isDefault"]:
        _clear_other_defaults(call.store, call.tenancy, doc)
    return resource(doc)


def list_packages(call: Call) -> Reply:
    revision_id = call.query("listingRevisionId", required=True)
    docs = listed(call, "package", parent=revision_id, displayName=call.query("displayName"))
    return collection(call, docs, summary(_SUMMARY), sort=by_time_or("packageVersion"))


def get_package(call: Call, listingRevisionPackageId: str) -> Reply:
    return resource(fetch(call, "package", listingRevisionPackageId,
                          label="listing revision package"))


def _editable_package(call: Call, ident: str) -> Doc:
    doc = fetch(call, "package", ident, label="listing revision package", if_match=True)
    require_editable(revision(call, doc["listingRevisionId"]))
    return doc


def update_package(call: Call, listingRevisionPackageId: str) -> Reply:
    doc = _editable_package(call, listingRevisionPackageId)
    body = call.json()
    if body.get("artifactId"):
        _check_artifact(call, body["artifactId"], doc["packageType"])
        doc["artifactId"] = body["artifactId"]
    if body.get("termId"):
        _check_term(call, body["termId"])
        doc["termId"] = body["termId"]
    version = body.get("packageVersion")
    if version and any(p["packageVersion"] == version and p["id"] != doc["id"]
                       for p in live(call.store, call.tenancy, "package",
                                     parent=doc["listingRevisionId"])):
        raise ApiError(409, "NotAuthorizedOrResourceAlreadyExists",
                       f"Package version {version} already exists in this revision")
    copy_given(doc, body, _UPDATABLE)
    call.store.put(call.tenancy, "package", touch(doc))
    if doc.get("isDefault"):
        _clear_other_defaults(call.store, call.tenancy, doc)
    return resource(doc)


def delete_package(call: Call, listingRevisionPackageId: str) -> Reply:
    doc = _editable_package(call, listingRevisionPackageId)
    return soft_delete(call, "package", doc)


def mark_as_default(call: Call, listingRevisionPackageId: str) -> Reply:
    doc = fetch(call, "package", listingRevisionPackageId, label="listing revision package",
                if_match=True)
    return _package_work(call, doc, "MARK_AS_DEFAULT_LISTING_REVISION_PACKAGE", "mark_default")


def _package_work(call: Call, doc: Doc, operation: str, finish: str) -> Reply:
    if doc.get("_wr"):
        raise conflict(f"Package {doc['id']} has a work request in progress")
    wr = workrequests.start(
        call.store, call.tenancy, operation=operation, compartment_id=doc["compartmentId"],
        finish=finish, args={"id": doc["id"]},
        resources=[workrequests.wr_resource("listingRevisionPackage", "UPDATED", doc["id"],
                                            f"/20241201/listingRevisionPackages/{doc['id']}")],
        polls=call.settings["work_request_polls"])
    doc["_wr"] = wr["id"]
    call.store.put(call.tenancy, "package", doc)
    return workrequests.accepted(wr)


@workrequests.completer("mark_default")
def _mark_default(store: Store, tenancy: str, wr: Doc) -> list[str]:
    doc = store.get(tenancy, "package", wr["_args"]["id"])
    if doc is None:
        return ["The package no longer exists"]
    doc["isDefault"] = True
    doc.pop("_wr", None)
    store.put(tenancy, "package", touch(doc))
    _clear_other_defaults(store, tenancy, doc)
    return []


def publish_package(call: Call, listingRevisionPackageId: str) -> Reply:
    doc = fetch(call, "package", listingRevisionPackageId, label="listing revision package",
                if_match=True)
    rev = revision(call, doc["listingRevisionId"])
    if rev["status"] not in ("PUBLISHED", "PUBLISHED_AS_PRIVATE") or doc["status"] in (
            "PUBLISHED", "PUBLISHED_AS_PRIVATE"):
        raise incorrect_state(f"Package {doc['id']} is {doc['status']} in a {rev['status']} "
                              "revision")
    return _package_work(call, doc, "PUBLISH_LISTING_REVISION_PACKAGE", "package_publish")


def unpublish_package(call: Call, listingRevisionPackageId: str) -> Reply:
    doc = fetch(call, "package", listingRevisionPackageId, label="listing revision package",
                if_match=True)
    if doc["status"] not in ("PUBLISHED", "PUBLISHED_AS_PRIVATE"):
        raise incorrect_state(f"Package {doc['id']} is {doc['status']}, not published")
    if doc.get("isDefault"):
        raise conflict(f"Package {doc['id']} is the revision's default package; mark another "
                       "package as the default before unpublishing it")
    doc["status"] = "UNPUBLISH_IN_PROGRESS"
    return _package_work(call, doc, "UNPUBLISH_LISTING_REVISION_PACKAGE", "package_unpublish")
