"""Steps on the listing revision: choose the draft, then its metadata, media, attachments, package.

The draft is an editable revision (NEW or REJECTED) when there is one; otherwise the
latest published revision is compared with listing.yaml and cloned into a NEW draft only
when something differs; a listing without revisions gets a new one. Content is compared
field by field, files by content hash (recorded in the live resources' freeform tags
``ocmp-icon``, ``ocmp-banner`` and ``ocmp-sha``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from ocmp.clients.publisher import Attachment, Revision, RevisionStatus
from ocmp.core.publish.desired import LISTING_TYPE, DesiredAttachment, _prune
from ocmp.core.publish.outputs import (
    ArtifactReady,
    Draft,
    ListingReady,
    PackageReady,
    TermsReady,
)
from ocmp.core.publish.run import Change, FieldChange, Made, Run, in_parallel, token
from ocmp.core.publish.steps_base import package_target
from ocmp.errors import CloudError

GONE = {"DELETED", "DELETING", "FAILED"}

S = RevisionStatus


def _draft(run: Run, revision: Revision) -> Draft:
    """``revision`` with its packages and attachments, as the draft."""
    full = run.api.get_revision(revision.id)
    packages = run.api.list_packages(revision.id)
    want = run.desired.package_version
    # Summaries carry no isDefault in the SDK (2.189): the full package is read below.
    chosen = next((p for p in packages if p.version == want), None)
    package = run.api.get_package(chosen.id) if chosen else None
    attachments = tuple(run.api.list_attachments(revision.id))
    return Draft(
        id=full.id,
        revision=full,
        basis=full,
        packages=tuple(packages),
        attachments=attachments,
        package=package,
    )


def field_changes(run: Run, draft: Draft) -> list[FieldChange]:
    """Revision fields (and file hashes) that differ from listing.yaml."""
    want = {**run.desired.revision, "termId": run.output(TermsReady).term.id}
    basis = draft.basis
    # A revision a plan would create carries every field: only the files remain.
    live: Mapping[str, Any] = basis.metadata if basis is not None else want
    changes = [
        FieldChange(k, _prune(live.get(k)), v) for k, v in want.items() if _prune(live.get(k)) != v
    ]
    tags = basis.tags if basis is not None else {}
    for role, asset in (("icon", run.desired.icon), ("banner", run.desired.banner)):
        if asset is not None and tags.get(f"ocmp-{role}") != asset.sha:
            changes.append(FieldChange(role, tags.get(f"ocmp-{role}"), asset.sha))
    return changes


def _same(live: Attachment, want: DesiredAttachment) -> bool:
    """The live attachment was made by ocmp for exactly this file or link (content hash)."""
    return (
        (live.attachment_type, live.name) == (want.attachment_type, want.name)
        and live.tags.get("ocmp-sha") == want.sha
    )


def _complete(live: Attachment, want: DesiredAttachment) -> bool:
    return want.content is None or bool(live.content_url)


def attachment_changes(
    run: Run, live: tuple[Attachment, ...]
) -> tuple[list[DesiredAttachment], list[Attachment]]:
    """Desired attachments to create (or finish), and live ones to delete.

    Found by content hash: an attachment ocmp made for the same file is kept; one made
    but whose upload never happened (an interrupted run) is finished, not made again;
    any further copy (a clone that landed late) is deleted.
    """
    create: list[DesiredAttachment] = []
    keep: set[str] = set()
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


def _drifts(run: Run, draft: Draft) -> bool:
    create, delete = attachment_changes(run, draft.attachments)
    return bool(
        field_changes(run, draft)
        or create
        or delete
        or package_target(run).diff(draft.package)
        or (draft.package is not None and not draft.package.is_default)
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


def _populated(run: Run, revision: Revision) -> Revision:
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


def step_revision(run: Run) -> Draft:
    """Pick (or create, or clone) the revision listing.yaml is applied to."""
    d = run.desired
    listing = run.output(ListingReady)
    listing_id = listing.listing.id
    # A listing this run just created (or a plan would create) has no revisions.
    if listing_id is not None and not listing.created and not run.dry_run:
        _settle_clones(run)
    revisions = [] if listing_id is None or listing.created else run.api.list_revisions(
        listing_id)
    revisions = [r for r in revisions if r.lifecycle_state not in GONE]
    revisions.sort(key=lambda r: (r.time_created, r.id))
    current = next((r for r in reversed(revisions) if r.status in S.EDITABLE), None)
    current = current or next((r for r in reversed(revisions) if r.status not in S.READ_ONLY), None)
    current = current or (revisions[-1] if revisions else None)
    beside = None
    live_ones = [r for r in reversed(revisions) if r.status in S.LIVE]
    if run.live_basis and live_ones and current is not None and current.status not in S.LIVE:
        beside, current = current, live_ones[0]  # diff: what is live, not the draft
    if current is None:
        term_id = run.output(TermsReady).term.id

        def create() -> Revision:
            body = {**d.revision, "listingId": listing_id, "listingType": LISTING_TYPE}
            if term_id is not None:
                body["termId"] = term_id
            return run.api.create_revision(body, token("revision", str(listing_id)))

        created = run.write(
            Change("revision", "create", "revision", "the listing has no revision yet"), create
        )
        if created is None:  # a plan: as created, the revision carries every field
            return Draft(id=None, revision=None, basis=None)
        return Draft(id=created.id, revision=created, basis=created)
    current = _populated(run, current)
    status = current.status
    if status in S.EDITABLE or status not in S.READ_ONLY:
        draft = _draft(run, current)
        if status not in S.EDITABLE and _drifts(run, draft):
            raise CloudError(
                f"revision {current.id} is {status}: it cannot change until Oracle's review ends",
                hint="wait for the review (ocmp status), then re-run publish",
            )
        return draft
    live = dataclasses.replace(_draft(run, current), draft_beside=beside)
    if not (_drifts(run, live) or not _published_as_wanted(run, status)):
        return live  # live as listing.yaml says: the steps after find nothing to change
    # A published revision that differs: clone it into a new draft.
    cloned = run.write(
        Change(
            "revision",
            "clone",
            f"revision {current.id} ({status})",
            "published revisions are read-only; changes go to a new draft",
        ),
        lambda: _clone(run, current, str(listing_id)),
    )
    if cloned is None:  # a plan: the new draft would copy the published revision
        return dataclasses.replace(live, id=None, revision=None)
    return _draft(run, cloned)


def _clone(run: Run, current: Revision, listing_id: str) -> Revision:
    """Clone the published revision ``current``; the new draft once populated."""
    wr = run.work_request(
        f"clone:{current.id}",
        lambda: run.api.clone_revision(
            current.id, token("clone", current.id, str(current.time_updated))
        ),
        "cloning the published revision",
    )
    new_id = wr.created_id("revision")
    if new_id is None or new_id == current.id:
        fresh = [r for r in run.api.list_revisions(listing_id) if r.status in S.EDITABLE]
        if not fresh:
            raise CloudError("the clone succeeded but no new draft revision exists")
        new_id = fresh[-1].id
    return _populated(run, run.api.get_revision(new_id))


def step_content(run: Run) -> Draft:
    """Icon and banner bytes, then the metadata fields that differ, in one update."""
    draft = run.output(Draft)
    changes = field_changes(run, draft)
    if not changes:
        return draft
    updated = run.write(
        Change("content", "update", "revision", "", tuple(changes)),
        lambda: _update_content(run, draft, {c.field for c in changes}),
    )
    return draft if updated is None else dataclasses.replace(
        draft, revision=updated, basis=updated)


def _update_content(run: Run, draft: Draft, changed: set[str]) -> Revision:
    d = run.desired
    rev_id = str(draft.id)
    tags = dict(draft.basis.tags) if draft.basis else {}
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
    want = {**d.revision, "termId": run.output(TermsReady).term.id}
    body: dict[str, Any] = {k: want[k] for k in changed if k in want}
    body.update({"listingType": LISTING_TYPE, "freeformTags": tags})
    return run.api.update_revision(rev_id, body)


def step_attachments(run: Run) -> None:
    """Screenshots, documents and videos: create the new or changed, delete the gone."""
    draft = run.output(Draft)
    create, delete = attachment_changes(run, draft.attachments)
    writes: list[tuple[Change, Callable[[], object]]] = [
        (Change("attachments", "delete", f"{gone.attachment_type} {gone.name!r}"),
         partial(run.api.delete_attachment, gone.id))
        for gone in delete
    ]
    writes += [
        (Change("attachments", "create", f"{want.attachment_type} {want.name!r}"),
         partial(_create_attachment, run, draft, want))
        for want in create
    ]
    run.write_all(writes)  # recorded in order; only the requests run concurrently


def _create_attachment(run: Run, draft: Draft, want: DesiredAttachment) -> None:
    """Create one attachment, then upload its file (one worker: the upload needs its id)."""
    rev_id = str(draft.id)
    tags = {"ocmp-sha": want.sha}
    if want.url and len(want.url) <= 256:  # the SDK's attachment models do not return sourceUrl
        tags["ocmp-url"] = want.url
    body = {**want.body, "listingRevisionId": rev_id, "freeformTags": tags}
    started = [a for a in draft.attachments if _same(a, want)]
    if started:  # created by an interrupted run, its file not yet uploaded
        made = started[0]
    else:
        made = run.api.create_attachment(body, token("attachment", rev_id, want.sha))
    if want.content is not None:
        run.api.put_attachment(made.id, want.content.content)


def step_package(run: Run) -> PackageReady:
    """The package of this version, pointing at the artifact and term, as the default."""
    draft = run.output(Draft)
    want = package_target(run)
    live = draft.package if draft.package and draft.package.version == want.version else None
    diff = want.diff(live)
    rev_id = str(draft.id)
    if live is None:
        body = {**want.body(), "listingRevisionId": rev_id, "isDefault": True}
        live = run.write(
            Change("package", "create", f"package {want.version}", "set as default"),
            lambda: run.api.create_package(
                body, token("package", rev_id, want.version, str(want.artifact_id))
            ),
        )
    elif diff:
        old = live
        live = run.write(
            Change("package", "update", f"package {want.version}", "", tuple(diff)),
            lambda: run.api.update_package(old.id, {f.field: f.desired for f in diff}),
        )
    if live is None:  # a plan: the package is created or updated as listed
        return PackageReady(Made.of("package", draft.package.id if draft.package else None))
    package = live
    if not package.is_default:
        run.write(
            Change("package", "update", f"package {want.version}", "set as default"),
            lambda: run.work_request(
                f"default:{package.id}",
                lambda: run.api.mark_default(package.id, token("default", package.id)),
                "marking the package as default",
            ),
        )
    return PackageReady(Made("package", package.id, package.status))


__all__ = [
    "ArtifactReady",
    "Draft",
    "step_attachments",
    "step_content",
    "step_package",
    "step_revision",
]
