"""Oracle's side of a review, simulated.

A submitted revision is PENDING_REVIEW. With the ``auto`` reviewer each GET of it counts as
a poll: the first moves it to REVIEW_IN_PROGRESS, the ``after_polls``-th decides it (APPROVED;
or REJECTED with the configured note in ``reject`` mode). ``manual`` waits for
:func:`decide` (``Sandbox.review`` or ``POST /_sandbox/review/{id}``). Every decision leaves
an ADMINISTRATOR note, as Oracle's reviewers do.
"""

from __future__ import annotations

from ocmp.sandbox.core.errors import ApiError, incorrect_state
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import new_id, touch
from ocmp.sandbox.services.publisher.models.publication import begin_publication
from ocmp.sandbox.services.publisher.models.scope import IN_REVIEW, Reviewer

DEFAULT_REJECTION = ("Rejected by the sandbox reviewer: the usage instructions do not explain "
                     "how to connect to the instance.")
ADMIN_EMAIL = "marketplace-review@oracle.example"
DECISIONS = ("approve", "reject")


def add_note(store: Store, tenancy: str, revision: Doc, source: str, text: str) -> Doc:
    """Attach a PUBLISHER or ADMINISTRATOR note to a revision."""
    note = touch({"id": new_id("mktpubnote"), "listingRevisionId": revision["id"],
                  "compartmentId": revision["compartmentId"], "noteSource": source,
                  "noteDetails": text, "adminEmail": ADMIN_EMAIL if source == "ADMINISTRATOR"
                  else None, "lifecycleState": "ACTIVE", "freeformTags": {},
                  "definedTags": {}, "systemTags": {}}, created=True)
    store.put(tenancy, "note", note, parent=str(revision["id"]))
    return note


def _apply(store: Store, tenancy: str, revision: Doc, decision: str, note: str | None) -> Doc:
    if decision == "approve":
        revision["status"] = "APPROVED"
        revision["statusNotes"] = "Approved by the sandbox reviewer"
        text = note or "Approved. Thank you for publishing on Oracle Cloud Marketplace."
    else:
        revision["status"] = "REJECTED"
        text = note or DEFAULT_REJECTION
        revision["statusNotes"] = text
    revision.pop("_review", None)
    store.put(tenancy, "revision", touch(revision))
    add_note(store, tenancy, revision, "ADMINISTRATOR", text)
    if decision == "approve" and revision.get("_autoPublish"):
        begin_publication(store, tenancy, revision, private=False, allowed=None)
    return revision


def on_poll(store: Store, tenancy: str, revision: Doc, reviewer: Reviewer) -> Doc:
    """Count a GET of a revision under review and let the reviewer act."""
    if revision.get("status") not in IN_REVIEW:
        return revision
    if reviewer.mode == "manual":
        return revision
    state = revision.setdefault("_review", {"polls": 0})
    state["polls"] += 1
    if state["polls"] >= reviewer.after_polls:
        return _apply(store, tenancy, revision,
                      "approve" if reviewer.mode == "auto" else "reject", reviewer.note)
    if revision["status"] == "PENDING_REVIEW":
        revision["status"] = "REVIEW_IN_PROGRESS"
        touch(revision)
    store.put(tenancy, "revision", revision)
    return revision


def decide(store: Store, revision_id: str, decision: str, note: str | None) -> Doc:
    """Approve or reject a revision under review, whatever tenancy owns it."""
    if decision not in DECISIONS:
        raise ApiError(400, "InvalidParameter", "decision must be approve or reject")
    for tenancy in store.tenancies():
        revision = store.get(tenancy, "revision", revision_id)
        if revision is None:
            continue
        if revision.get("status") not in IN_REVIEW:
            raise incorrect_state(f"Revision {revision_id} is {revision['status']}, not under "
                                  "review")
        return _apply(store, tenancy, revision, decision, note)
    raise ApiError(404, "NotAuthorizedOrNotFound", f"No listing revision {revision_id}")
