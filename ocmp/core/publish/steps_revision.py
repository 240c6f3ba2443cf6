"""Steps on the listing revision: choose the draft, then its metadata, media, attachments, package.

The draft is an editable revision (NEW or REJECTED) when there is one; otherwise the
latest published revision is compared with listing.yaml and cloned into a NEW draft only
when something differs; a listing without revisions gets a new one. Content is compared
field by field, files by content hash (recorded in the live resources' freeform tags
``ocmp-icon``, ``ocmp-banner`` and ``ocmp-sha``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from ocmp.clients.publisher import Resource, RevisionStatus
from ocmp.core.publish.desired import LISTING_TYPE, DesiredAttachment, _prune
from ocmp.core.publish.run import (
    PENDING,
    Change,
    FieldChange,
    Run,
    Snapshot,
    in_parallel,
    token,
)
from ocmp.core.publish.steps_base import package_diff, package_target
from ocmp.errors import CloudError

GONE = {"DELETED", "DELETING", "FAILED"}

S = RevisionStatus


def _snapshot(run: Run, revision: Resource) -> Snapshot:
    full = run.api.get_revision(revision.id)
    packages = run.api.list_packages(revision.id)
    want = run.desired.package_version
    # Summaries carry no isDefault in the SDK (2.189): the full package is read below.
    chosen = next((p for p in packages if p.package_version == want), None)
    package = run.api.get_package(chosen.id) if chosen else None
    return Snapshot(full, packages, run.api.list_attachments(revision.id), package)


def field_changes(run: Run, live: Resource | None) -> list[FieldChange]:
    """Revision fields (and file hashes) that differ from listing.yaml."""
    want = {**run.desired.revision, "termId": run.ids.get("term")}
    body = live.body if live else {}
    changes = [
        FieldChange(k, _prune(body.get(k)), v) for k, v in want.items() if _prune(body.get(k)) != v
    ]
    tags = body.get("freeformTags") or {}
    for role, asset in (("icon", run.desired.icon), ("banner", run.desired.banner)):
        if asset is not None and tags.get(f"ocmp-{role}") != asset.sha:
            changes.append(FieldChange(role, tags.get(f"ocmp-{role}"), asset.sha))
    return changes


def _same(live: Resource, want: DesiredAttachment) -> bool:
    """The live attachment was made by ocmp for exactly this file or link (content hash)."""
    return (
        (live.attachment_type, live.name) == (want.attachment_type, want.name)
        and live.tags.get("ocmp-sha") == want.sha
    )


def _complete(live: Resource, want: DesiredAttachment) -> bool:
    return want.content is None or bool(live.get("contentUrl"))


def attachment_changes(run: Run, live: list[Resource]) -> tuple[list[Any], list[Resource]]:
    """Desired attachments to create (or finish), and live ones to delete.

    Found by content hash: an attachment ocmp made for the same file is kept; one made
    but whose upload never happened (an interrupted run) is finished, not made again;
    any further copy (a clone that landed late) is deleted.
    """
    create, keep = [], set()
    for want in run.desired.attachments:
        same = [a for a in live if _same(a, want) and a.id not in keep]
        done = [a for a in same if _complete(a, want)]
        if done:
            keep.add(done[0].id)
        else:
            if same:
                keep.add(same[0].id)  # _create_attachment uploads its content
            create.append(want)
    return create, [a for a in live if a.id not in keep]


def _drifts(run: Run, snap: Snapshot) -> bool:
    create, delete = attachment_changes(run, snap.attachments)
    return bool(
        field_changes(run, snap.revision)
        or create
        or delete
        or package_diff(snap.package, package_target(run))
        or (snap.package is not None and not snap.package.is_default)
    )


def _published_as_wanted(run: Run, status: str | None) -> bool:
    if status in S.WITHDRAWN:
        return False
    if status == S.PUBLISHED_AS_PRIVATE:
        return run.target.value != "public"
    return True


def _settle_clones(run: Run) -> None:
    """Wait for clone work requests an interrupted run started (journaled ones)."""
    for step in [s for s in run.journal.work_requests if s.startswith("clone:")]:
        read = partial(run.api.get_work_request, run.journal.work_requests[step])
        try:
            run.wait_for("the clone of the published revision", read, lambda w: w.finished,
                         lambda w: w.percent)
        except CloudError as exc:
            if exc.status != 404:
                raise
        run.journal.finish_work_request(step)


def _populated(run: Run, revision: Resource) -> Resource:
    """``revision`` once it is no longer being created.

    A clone is CREATING until its work request has copied the packages and attachments:
    a revision read before that looks empty, and filling it in then would give every
    attachment twice once the copy lands (a re-run after an interrupted clone).
    """
    if revision.lifecycle_state != "CREATING":
        return revision
    return run.wait_for(
        f"revision {revision.id} to be created",
        lambda: run.api.get_revision(revision.id),
        lambda r: r.lifecycle_state != "CREATING",
    )


def step_revision(run: Run) -> None:
    """Pick (or create, or clone) the revision listing.yaml is applied to."""
    d = run.desired
    # A listing this run just created has no revisions: no need to ask.
    new_listing = run.pending("listing") or run.listing_is_new
    if not new_listing and not run.dry_run:
        _settle_clones(run)
    revisions = [] if new_listing else run.api.list_revisions(run.ids["listing"])
    revisions = [r for r in revisions if r.lifecycle_state not in GONE]
    revisions.sort(key=lambda r: (r.time_created, r.id))
    current = next((r for r in reversed(revisions) if r.status in S.EDITABLE), None)
    current = current or next((r for r in reversed(revisions) if r.status not in S.READ_ONLY), None)
    current = current or (revisions[-1] if revisions else None)
    if current is None:
        if run.change(Change("revision", "create", "revision", "the listing has no revision yet")):
            body = {**d.revision, "listingId": run.ids["listing"], "listingType": LISTING_TYPE}
            if not run.pending("term"):
                body["termId"] = run.ids["term"]
            created = run.api.create_revision(body, token("revision", run.ids["listing"]))
            run.remember("revision", created.id)
            run.snapshot = Snapshot(created)
        else:
            run.remember("revision", PENDING)
            # As created, the revision will carry every field: only files remain to upload.
            fields = {**d.revision, "termId": run.ids.get("term")}
            run.snapshot = Snapshot(Resource(PENDING, d.name, "ACTIVE", S.NEW, fields))
        return
    current = _populated(run, current)
    snap = _snapshot(run, current)
    status = current.status
    if status in S.EDITABLE or not (
        status in S.READ_ONLY and (_drifts(run, snap) or not _published_as_wanted(run, status))
    ):
        if status not in S.EDITABLE and status not in S.READ_ONLY and _drifts(run, snap):
            raise CloudError(
                f"revision {current.id} is {status}: it cannot change until Oracle's review ends",
                hint="wait for the review (ocmp status), then re-run publish",
            )
        run.remember("revision", current.id)
        run.snapshot = snap
        return
    # A published revision that differs: clone it into a new draft.
    if not run.change(
        Change(
            "revision",
            "clone",
            f"revision {current.id} ({status})",
            "published revisions are read-only; changes go to a new draft",
        )
    ):
        run.remember("revision", PENDING)
        run.snapshot = snap
        return
    wr = run.work_request(
        f"clone:{current.id}",
        lambda: run.api.clone_revision(
            current.id, token("clone", current.id, str(current.time_updated))
        ),
        "cloning the published revision",
    )
    new_id = wr.created_id("revision")
    if new_id is None or new_id == current.id:
        fresh = [r for r in run.api.list_revisions(run.ids["listing"]) if r.status in S.EDITABLE]
        if not fresh:
            raise CloudError("the clone succeeded but no new draft revision exists")
        new_id = fresh[-1].id
    clone = _populated(run, run.api.get_revision(new_id))
    run.remember("revision", new_id)
    run.snapshot = _snapshot(run, clone)


def step_content(run: Run) -> None:
    """Icon and banner bytes, then the metadata fields that differ, in one update."""
    snap = run.draft
    changes = field_changes(run, snap.revision)
    if not changes:
        return
    d = run.desired
    if not run.change(Change("content", "update", "revision", "", tuple(changes))):
        return
    rev_id = run.ids["revision"]
    changed = {c.field for c in changes}
    tags = snap.revision.tags if snap.revision else {}
    uploads: list[Callable[[], object]] = []
    icon, banner = d.icon, d.banner
    if icon is not None and "icon" in changed:
        uploads.append(lambda: run.api.put_icon(rev_id, icon.content))
        tags["ocmp-icon"] = icon.sha
    if banner is not None and "banner" in changed:
        uploads.append(
            lambda: run.api.put_banner(rev_id, banner.path.name, banner.content)
        )
        tags["ocmp-banner"] = banner.sha
    in_parallel(uploads)  # independent uploads; the tags that record them are set after
    want = {**d.revision, "termId": run.ids["term"]}
    body: dict[str, Any] = {k: want[k] for k in changed if k in want}
    body.update({"listingType": LISTING_TYPE, "freeformTags": tags})
    snap.revision = run.api.update_revision(rev_id, body)


def step_attachments(run: Run) -> None:
    """Screenshots, documents and videos: create the new or changed, delete the gone."""
    create, delete = attachment_changes(run, run.draft.attachments)
    writes: list[Callable[[], None]] = []
    # Changes are recorded here, in order; only the requests run concurrently.
    for gone in delete:
        if run.change(
            Change("attachments", "delete", f"{gone.get('attachmentType')} {gone.name!r}")
        ):
            writes.append(partial(_delete_attachment, run, gone.id))
    for want in create:
        if run.change(Change("attachments", "create", f"{want.attachment_type} {want.name!r}")):
            writes.append(partial(_create_attachment, run, want))
    in_parallel(writes)


def _delete_attachment(run: Run, attachment_id: str) -> None:
    run.api.delete_attachment(attachment_id)


def _create_attachment(run: Run, want: DesiredAttachment) -> None:
    """Create one attachment, then upload its file (one worker: the upload needs its id)."""
    rev_id = run.ids["revision"]
    tags = {"ocmp-sha": want.sha}
    url = want.body.get("sourceUrl") or (want.body.get("videoAttachmentDetails") or {}).get(
        "contentUrl"
    )
    if url and len(url) <= 256:  # the SDK's attachment models do not return sourceUrl
        tags["ocmp-url"] = url
    body = {**want.body, "listingRevisionId": rev_id, "freeformTags": tags}
    started = [a for a in run.draft.attachments if _same(a, want)]
    if started:  # created by an interrupted run, its file not yet uploaded
        made = started[0]
    else:
        made = run.api.create_attachment(body, token("attachment", rev_id, want.sha))
    if want.content is not None:
        run.api.put_attachment(made.id, want.content.content)


def step_package(run: Run) -> None:
    """The package of this version, pointing at the artifact and term, as the default."""
    snap = run.draft
    want = package_target(run)
    live = (
        snap.package
        if snap.package and snap.package.package_version == want["packageVersion"]
        else None
    )
    diff = package_diff(live, want)
    rev_id = run.ids["revision"]
    if live is None:
        body = {**want, "listingRevisionId": rev_id, "isDefault": True}
        live = run.write(
            Change("package", "create", f"package {want['packageVersion']}", "set as default"),
            lambda: run.api.create_package(
                body,
                token("package", rev_id, str(want["packageVersion"]), str(want["artifactId"])),
            ),
        )
    elif diff:
        old = live
        live = run.write(
            Change(
                "package",
                "update",
                f"package {want['packageVersion']}",
                "",
                tuple(FieldChange(k, old.get(k), v) for k, v in diff.items()),
            ),
            lambda: run.api.update_package(old.id, diff),
        )
    if live is None:  # a plan: the package is created or updated as listed
        return
    run.remember("package", live.id)
    snap.package = live
    if not live.is_default and run.change(
        Change("package", "update", f"package {want['packageVersion']}", "set as default")
    ):
        run.work_request(
            f"default:{live.id}",
            lambda: run.api.mark_default(live.id, token("default", live.id)),
            "marking the package as default",
        )
    run.statuses["package"] = str(live.status)


__all__ = [
    "PENDING",
    "Snapshot",
    "step_attachments",
    "step_content",
    "step_package",
    "step_revision",
]
