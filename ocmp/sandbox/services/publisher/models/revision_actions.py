"""What a publisher does with a revision as a whole: submit it for review, publish it
(publicly or privately), withdraw, clone, send back to NEW, delete with everything under it.

Publishing, withdrawing, cloning and the cascading delete are work requests; while one
works on a revision no other action is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ocmp.sandbox.core.errors import conflict, incorrect_state, invalid
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import new_id, touch
from ocmp.sandbox.services.publisher.models import content, revisions, work_requests
from ocmp.sandbox.services.publisher.models.listings import delete_revision_tree
from ocmp.sandbox.services.publisher.models.publication import begin_publication
from ocmp.sandbox.services.publisher.models.review import add_note
from ocmp.sandbox.services.publisher.models.scope import EDITABLE, PREFIX, PUBLISHED, Scope, live
from ocmp.sandbox.services.publisher.models.terms import has_active_version

BACK_TO_NEW = frozenset({"PENDING_REVIEW", "REVIEW_IN_PROGRESS", "APPROVED", "REJECTED",
                         "PUBLISH_FAILED", "PUBLISH_AS_PRIVATE_FAILED"})
PUBLISHABLE = frozenset({"APPROVED", "UNPUBLISHED"})


@dataclass(frozen=True)
class Submission:
    """What a SubmitListingRevisionForReview says besides the revision."""

    internal_launch_allowed: Any = None
    auto_publish: bool = False
    note: str | None = None


def idle(doc: Doc) -> Doc:
    """The revision, when no work request is working on it (409 otherwise)."""
    if doc.get("_wr"):
        raise conflict(f"Listing revision {doc['id']} has a work request in progress")
    return doc


def _submit_problems(scope: Scope, doc: Doc) -> list[str]:
    packages = scope.live("package", parent=doc["id"])
    if not packages:
        return ["the revision has no package"]
    problems = []
    if not doc.get("icon"):  # the Marketplace shows it everywhere; a listing is incomplete without
        problems.append("the revision has no icon")
    defaults = [p for p in packages if p.get("isDefault")]
    if len(defaults) != 1:
        problems.append(f"exactly one package must be the default (found {len(defaults)})")
    for package in packages:
        artifact = scope.store.get(scope.tenancy, "artifact", package["artifactId"]) or {}
        if artifact.get("status") != "AVAILABLE" or artifact.get("lifecycleState") != "ACTIVE":
            problems.append(f"artifact {package['artifactId']} of package "
                            f"{package['packageVersion']} is not ACTIVE and AVAILABLE")
        if not has_active_version(scope.store, scope.tenancy, package["termId"]):
            problems.append(f"term {package['termId']} has no ACTIVE term version")
    return problems


def submittable(scope: Scope, doc: Doc) -> Doc:
    """The revision, when it is a complete NEW or REJECTED one (409 naming what is missing)."""
    if doc["status"] not in EDITABLE:
        raise incorrect_state(f"Listing revision {doc['id']} is {doc['status']}; only NEW or "
                              "REJECTED revisions can be submitted")
    problems = _submit_problems(scope, doc)
    if problems:
        raise incorrect_state("The revision cannot be submitted: " + "; ".join(problems))
    return doc


def submit(scope: Scope, doc: Doc, submission: Submission) -> Doc:
    """PENDING_REVIEW, when the revision is :func:`submittable`."""
    submittable(scope, doc)
    doc.update(status="PENDING_REVIEW", statusNotes=None,
               areInternalTenancyLaunchAllowed=submission.internal_launch_allowed,
               _autoPublish=submission.auto_publish, _review={"polls": 0})
    scope.put("revision", touch(doc))
    if submission.note:
        add_note(scope.store, scope.tenancy, doc, "PUBLISHER", submission.note)
    return doc


def publishable(doc: Doc) -> Doc:
    """The revision, when Oracle approved it (or it was unpublished); 409 otherwise."""
    if doc["status"] not in PUBLISHABLE:
        raise incorrect_state(f"Listing revision {doc['id']} is {doc['status']}; Oracle must "
                              "approve it before it is published")
    return doc


def publish(scope: Scope, doc: Doc, *, private: bool, allowed: Any = None) -> Doc:
    """Start publishing a :func:`publishable` revision, privately to ``allowed`` tenancies or
    to all."""
    publishable(doc)
    if private and allowed is not None and (
            not isinstance(allowed, list) or not all(isinstance(t, str) for t in allowed)):
        raise invalid("allowedTenancies must be a list of tenancy OCIDs")
    return begin_publication(scope.store, scope.tenancy, doc, private=private,
                             allowed=allowed if private else None, polls=scope.polls)


def _work(scope: Scope, doc: Doc, operation: str, finish: str,
          extra: list[dict[str, object]]) -> Doc:
    resources = [work_requests.wr_resource("listingRevision", "UPDATED", doc["id"],
                                           f"{PREFIX}/listingRevisions/{doc['id']}"), *extra]
    return work_requests.start(scope.store, scope.tenancy, operation=operation,
                               compartment_id=doc["compartmentId"], finish=finish,
                               args={"id": doc["id"]}, resources=resources, polls=scope.polls)


def withdraw(scope: Scope, doc: Doc) -> Doc:
    """Start withdrawing a published revision from the Marketplace."""
    if doc["status"] not in PUBLISHED:
        raise incorrect_state(f"Listing revision {doc['id']} is {doc['status']}, not published")
    wr = _work(scope, doc, "WITHDRAW_LISTING_REVISION", "withdraw_revision", [])
    doc.update(status="UNPUBLISH_IN_PROGRESS", _wr=wr["id"])
    scope.put("revision", touch(doc))
    return wr


def clone(scope: Scope, doc: Doc) -> Doc:
    """Start CLONE_LISTING_REVISION: a NEW revision with copies of the packages, attachments,
    icon and banner (its id is in the work request's resources)."""
    if doc["status"] not in (*PUBLISHED, "UNPUBLISHED"):
        raise incorrect_state(f"Listing revision {doc['id']} is {doc['status']}; only published "
                              "or unpublished revisions can be cloned")
    siblings = scope.live("revision", parent=doc["listingId"])
    if any(r["status"] in revisions.OPEN_STATES for r in siblings):
        raise incorrect_state("The listing already has a revision in progress")
    copy = {k: v for k, v in doc.items() if k not in ("_review", "_autoPublish", "_wr")}
    copy.update(id=new_id("mktpublistingrevision"), status="NEW", statusNotes=None,
                lifecycleState="CREATING", allowedTenancies=None,
                revisionNumber=str(len(scope.store.list(scope.tenancy, "revision",
                                                        parent=doc["listingId"])) + 1))
    # The clone owns copies of the icon and banner, served at its own URLs.
    for media in ("icon", "banner"):
        if isinstance(copy.get(media), dict):
            content.copy(scope.store, scope.tenancy, f"{media}:{doc['id']}",
                         f"{media}:{copy['id']}")
            copy[media] = content.moved(copy[media], doc["id"], copy["id"])
    wr = _work(scope, doc, "CLONE_LISTING_REVISION", "clone_revision", [
        work_requests.wr_resource("listingRevision", "CREATED", copy["id"],
                                  f"{PREFIX}/listingRevisions/{copy['id']}")])
    wr["_args"]["clone"] = copy["id"]
    scope.put(work_requests.KIND, wr)
    copy["_wr"] = wr["id"]
    scope.put("revision", touch(copy, created=True), parent=doc["listingId"])
    return wr


@work_requests.completer("clone_revision")
def _finish_clone(store: Store, tenancy: str, wr: Doc) -> list[str]:
    copy = store.get(tenancy, "revision", wr["_args"]["clone"])
    if copy is None:
        return ["The cloned revision no longer exists"]
    for package in live(store, tenancy, "package", parent=wr["_args"]["id"]):
        twin = {**package, "id": new_id("mktpubpackage"), "listingRevisionId": copy["id"],
                "status": "NEW", "machineImageDetails": None}
        if package["packageType"] != "MACHINE_IMAGE":
            twin.pop("machineImageDetails")
        store.put(tenancy, "package", touch(twin, created=True), parent=copy["id"])
    for attachment in live(store, tenancy, "attachment", parent=wr["_args"]["id"]):
        twin = {**attachment, "id": new_id("mktpubattachment"), "listingRevisionId": copy["id"]}
        content.copy(store, tenancy, f"attachment:{attachment['id']}", f"attachment:{twin['id']}")
        twin = content.moved(twin, attachment["id"], twin["id"])
        store.put(tenancy, "attachment", touch(twin, created=True), parent=copy["id"])
    copy["lifecycleState"] = "ACTIVE"
    copy.pop("_wr", None)
    store.put(tenancy, "revision", touch(copy))
    return []


def change_to_new(scope: Scope, doc: Doc) -> Doc:
    """Back to NEW from review, approval, rejection or a failed publication."""
    if doc["status"] not in BACK_TO_NEW:
        raise incorrect_state(f"Listing revision {doc['id']} is {doc['status']}")
    doc.update(status="NEW", statusNotes=None)
    doc.pop("_review", None)
    return scope.put("revision", touch(doc))


def cascading_delete(scope: Scope, doc: Doc) -> Doc:
    """Start deleting the revision with its packages, attachments and notes."""
    if doc["status"] in PUBLISHED:
        raise incorrect_state(f"Listing revision {doc['id']} is {doc['status']}; withdraw it "
                              "first")
    wr = _work(scope, doc, "CASCADING_DELETE_LISTING_REVISION", "cascade_revision", [])
    doc.update(lifecycleState="DELETING", _wr=wr["id"])
    scope.put("revision", touch(doc))
    return wr


@work_requests.completer("cascade_revision")
def _finish_cascade(store: Store, tenancy: str, wr: Doc) -> list[str]:
    doc = store.get(tenancy, "revision", wr["_args"]["id"])
    if doc is not None:
        delete_revision_tree(store, tenancy, doc)
    return []
