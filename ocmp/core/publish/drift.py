"""``ocmp diff``: drift between listing.yaml and the live listing (e.g. edits in the console).

The plan of a draft run, seen as differences rather than as actions: cloning a published
revision is how publish would apply them, not a difference, so it is left out. Files are
compared by their real bytes where the API lets us read them back (the icon), not only by
the hashes ocmp recorded when it uploaded them.
"""

from __future__ import annotations

from ocmp.core.publish.desired import sha
from ocmp.core.publish.engine import Outcome, execute
from ocmp.core.publish.run import Change, FieldChange, Run


def drift(run: Run) -> Outcome:
    """Differences between listing.yaml and the live listing (``run`` must be a dry run)."""
    assert run.dry_run
    outcome = execute(run)
    changes = [c for c in outcome.changes if c.action != "clone"]
    snap = run.snapshot
    icon = run.desired.icon
    if snap is not None and snap.revision is not None and icon is not None:
        has_icon_change = any(f.field == "icon" for c in changes for f in c.fields)
        if snap.revision.get("icon") and not has_icon_change:
            live = sha(run.api.get_icon(snap.revision.id))
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
    outcome.changes = changes
    outcome.requests = run.stats.requests
    return outcome
