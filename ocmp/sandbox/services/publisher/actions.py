"""Revision actions: submit for review, publish (public or private), withdraw, clone,
back to NEW, cascading delete."""

from __future__ import annotations

from ocmp.sandbox.core import workrequests
from ocmp.sandbox.core.errors import conflict, incorrect_state, invalid
from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import check_if_match, new_id, resource, save, touch
from ocmp.sandbox.services.publisher.common import EDITABLE, PUBLISHED, live
from ocmp.sandbox.services.publisher.listings import delete_revision_tree
from ocmp.sandbox.services.publisher.publication import begin_publication
from ocmp.sandbox.services.publisher.review import add_note
from ocmp.sandbox.services.publisher.revisions import OPEN_STATES, revision
from ocmp.sandbox.services.publisher.terms import has_active_version

_BACK_TO_NEW = frozenset({"PENDING_REVIEW", "REVIEW_IN_PROGRESS", "APPROVED", "REJECTED",
                          "PUBLISH_FAILED", "PUBLISH_AS_PRIVATE_FAILED"})


def _acting_on(call: Call, ident: str) -> Doc:
    doc = revision(call, ident)
    check_if_match(call, doc)
    if doc.get("_wr"):
        raise conflict(f"Listing revision {ident} has a work request in progress")
    return doc


def _submit_problems(call: Call, doc: Doc) -> list[str]:
    packages = live(call.store, call.tenancy, "package", parent=doc["id"])
    if not packages:
        return ["the revision has no package"]
    problems = []
    if not doc.get("icon"):  # the Marketplace shows it everywhere; a listing is incomplete without
        problems.append("the revision has no icon")
    defaults = [p for p in packages if p.get("isDefault")]
    if len(defaults) != 1:
        problems.append(f"exactly one package must be the default (found {len(defaults)})")
    for package in packages:
        artifact = call.store.get(call.tenancy, "artifact", package["artifactId"]) or {}
        if artifact.get("status") != "AVAILABLE" or artifact.get("lifecycleState") != "ACTIVE":
            problems.append(f"artifact {package['artifactId']} of package "
                            f"{package['packageVersion']} is not ACTIVE and AVAILABLE")
        if not has_active_version(call.store, call.tenancy, package["termId"]):
            problems.append(f"term {package['termId']} has no ACTIVE term version")
    return problems


def submit_for_review(call: Call, listingRevisionId: str) -> Reply:
    doc = _acting_on(call, listingRevisionId)
    if doc["status"] not in EDITABLE:
        raise incorrect_state(f"Listing revision {doc['id']} is {doc['status']}; only NEW or "
                              "REJECTED revisions can be submitted")
    problems = _submit_problems(call, doc)
    if problems:
        raise incorrect_state("The revision cannot be submitted: " + "; ".join(problems))
    body = call.json()
    doc.update(status="PENDING_REVIEW", statusNotes=None,
               areInternalTenancyLaunchAllowed=body.get("areInternalTenancyLaunchAllowed"),
               _autoPublish=bool(body.get("shouldAutoPublishOnApproval")),
               _review={"polls": 0})
    call.store.put(call.tenancy, "revision", touch(doc))
    if body.get("noteDetails"):
        add_note(call.store, call.tenancy, doc, "PUBLISHER", str(body["noteDetails"]))
    return resource(doc)


def _publish(call: Call, ident: str, *, private: bool) -> Reply:
    doc = _acting_on(call, ident)
    if doc["status"] not in ("APPROVED", "UNPUBLISHED"):
        raise incorrect_state(f"Listing revision {doc['id']} is {doc['status']}; Oracle must "
                              "approve it before it is published")
    allowed = None
    if private:
        allowed = call.json().get("allowedTenancies")
        if allowed is not None and (not isinstance(allowed, list)
                                    or not all(isinstance(t, str) for t in allowed)):
            raise invalid("allowedTenancies must be a list of tenancy OCIDs")
    wr = begin_publication(call.store, call.tenancy, doc, private=private, allowed=allowed,
                           polls=call.settings["work_request_polls"])
    return workrequests.accepted(wr)


def publish(call: Call, listingRevisionId: str) -> Reply:
    return _publish(call, listingRevisionId, private=False)


def publish_as_private(call: Call, listingRevisionId: str) -> Reply:
    return _publish(call, listingRevisionId, private=True)


def _work(call: Call, doc: Doc, operation: str, finish: str, extra: list[dict[str, object]]
          ) -> Doc:
    resources = [workrequests.wr_resource("listingRevision", "UPDATED", doc["id"],
                                          f"/20241201/listingRevisions/{doc['id']}"), *extra]
    return workrequests.start(call.store, call.tenancy, operation=operation,
                              compartment_id=doc["compartmentId"], finish=finish,
                              args={"id": doc["id"]}, resources=resources,
                              polls=call.settings["work_request_polls"])


def withdraw(call: Call, listingRevisionId: str) -> Reply:
    doc = _acting_on(call, listingRevisionId)
    if doc["status"] not in PUBLISHED:
        raise incorrect_state(f"Listing revision {doc['id']} is {doc['status']}, not published")
    wr = _work(call, doc, "WITHDRAW_LISTING_REVISION", "withdraw_revision", [])
    doc.update(status="UNPUBLISH_IN_PROGRESS", _wr=wr["id"])
    call.store.put(call.tenancy, "revision", touch(doc))
    return workrequests.accepted(wr)


def clone(call: Call, listingRevisionId: str) -> Reply:
    doc = _acting_on(call, listingRevisionId)
    if doc["status"] not in (*PUBLISHED, "UNPUBLISHED"):
        raise incorrect_state(f"Listing revision {doc['id']} is {doc['status']}; only published "
                              "or unpublished revisions can be cloned")
    siblings = live(call.store, call.tenancy, "revision", parent=doc["listingId"])
    if any(r["status"] in OPEN_STATES for r in siblings):
        raise incorrect_state("The listing already has a revision in progress")
    copy = {k: v for k, v in doc.items() if k not in ("_review", "_autoPublish", "_wr")}
    copy.update(id=new_id("mktpublistingrevision"), status="NEW", statusNotes=None,
                lifecycleState="CREATING", allowedTenancies=None,
                revisionNumber=str(len(call.store.list(call.tenancy, "revision",
                                                       parent=doc["listingId"])) + 1))
    # The clone owns copies of the icon and banner, served at its own URLs.
    for media in ("icon", "banner"):
        if isinstance(copy.get(media), dict):
            _copy_content(call.store, call.tenancy, f"{media}:{doc['id']}",
                          f"{media}:{copy['id']}")
            copy[media] = _moved(copy[media], doc["id"], copy["id"])
    wr = _work(call, doc, "CLONE_LISTING_REVISION", "clone_revision", [
        workrequests.wr_resource("listingRevision", "CREATED", copy["id"],
                                 f"/20241201/listingRevisions/{copy['id']}")])
    wr["_args"]["clone"] = copy["id"]
    call.store.put(call.tenancy, workrequests.KIND, wr)
    copy["_wr"] = wr["id"]
    call.store.put(call.tenancy, "revision", touch(copy, created=True), parent=doc["listingId"])
    return workrequests.accepted(wr)


def _copy_content(store: Store, tenancy: str, source: str, target: str) -> None:
    """Copy stored bytes (``icon:<revisionId>``, ``attachment:<id>``…) to a new owner."""
    stored = store.get(tenancy, "content", source)
    if stored is not None:
        store.put(tenancy, "content", {**stored, "id": target})


def _moved(doc: Doc, old_id: str, new_id_: str) -> Doc:
    """``doc`` with its own ``contentUrl`` pointing at the copy (external URLs unchanged)."""
    url = doc.get("contentUrl")
    if isinstance(url, str) and f"/{old_id}/" in url:
        return {**doc, "contentUrl": url.replace(f"/{old_id}/", f"/{new_id_}/")}
    return doc


@workrequests.completer("clone_revision")
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
        _copy_content(store, tenancy, f"attachment:{attachment['id']}", f"attachment:{twin['id']}")
        twin = _moved(twin, attachment["id"], twin["id"])
        store.put(tenancy, "attachment", touch(twin, created=True), parent=copy["id"])
    copy["lifecycleState"] = "ACTIVE"
    copy.pop("_wr", None)
    store.put(tenancy, "revision", touch(copy))
    return []


def change_to_new(call: Call, listingRevisionId: str) -> Reply:
    doc = _acting_on(call, listingRevisionId)
    if doc["status"] not in _BACK_TO_NEW:
        raise incorrect_state(f"Listing revision {doc['id']} is {doc['status']}")
    doc.update(status="NEW", statusNotes=None)
    doc.pop("_review", None)
    return save(call, "revision", doc)


def cascading_delete(call: Call, listingRevisionId: str) -> Reply:
    doc = _acting_on(call, listingRevisionId)
    if doc["status"] in PUBLISHED:
        raise incorrect_state(f"Listing revision {doc['id']} is {doc['status']}; withdraw it "
                              "first")
    wr = _work(call, doc, "CASCADING_DELETE_LISTING_REVISION", "cascade_revision", [])
    doc.update(lifecycleState="DELETING", _wr=wr["id"])
    call.store.put(call.tenancy, "revision", touch(doc))
    return workrequests.accepted(wr)


@workrequests.completer("cascade_revision")
def _finish_cascade(store: Store, tenancy: str, wr: Doc) -> list[str]:
    doc = store.get(tenancy, "revision", wr["_args"]["id"])
    if doc is not None:
        delete_revision_tree(store, tenancy, doc)
    return []
