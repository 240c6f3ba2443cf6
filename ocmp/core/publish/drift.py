"""``ocmp diff``: drift between listing.yaml and the live listing (e.g. edits in the console).

The plan of a draft run, seen as differences rather than as actions: cloning a published
revision is how publish would apply them, not a difference, so it is left out. The
comparison is with what is live — the newest published revision — even when a draft
exists beside it (the outcome names both: ``compared_with``); only a listing never
published is compared with its draft. Files are compared by their real bytes where the
API lets us read them back (the icon), not only by the hashes ocmp recorded when it
uploaded them.
"""

from __future__ import annotations

from ocmp.core.publish.desired import sha
from ocmp.core.publish.engine import Outcome, execute
from ocmp.core.publish.outputs import Draft
from ocmp.core.publish.run import Change, FieldChange, Run


def drift(run: Run) -> Outcome:
    """Differences between listing.yaml and the live listing (``run`` must be a dry run)."""
    assert run.dry_run
    run.live_basis = True  # compare with the published revision, not a draft beside it
    outcome = execute(run)
    changes = [c for c in outcome.changes if c.action != "clone"]
    draft = run.maybe_output(Draft)
    basis = draft.basis if draft is not None else None
    icon = run.desired.icon
    if basis is not None and icon is not None:
        has_icon_change = any(f.field == "icon" for c in changes for f in c.fields)
        if basis.has_icon and not has_icon_change:
            live = sha(run.api.get_icon(basis.id))
            if live != icon.sha:
                changes.append(
                    Change(
                        "content",
                        "update",
                        "revision",
                        "icon edited outside ocmp",
                        (FieldChange("icon", live, icon.sha),),
                    )
                )
    # Differences, not actions: nothing is "to be created", and the revision shown is the
    # one compared with.
    outcome.would_create, outcome.target_status = [], None
    outcome.ids.pop("live_revision", None)
    outcome.statuses.pop("live_revision", None)
    if basis is not None:
        outcome.ids["revision"] = basis.id
        if basis.status is not None:
            outcome.statuses["revision"] = basis.status
        skipped = draft.draft_beside if draft is not None else None
        outcome.compared_with = {
            "revision": basis.id,
            "status": basis.status,
            "draft": skipped.id if skipped is not None else None,
            "draft_status": skipped.status if skipped is not None else None,
        }
    outcome.changes = changes
    outcome.requests = run.stats.requests
    return outcome
