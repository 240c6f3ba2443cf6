"""Steps after the draft is complete: submit for review, wait for Oracle, publish.

On rejection the reviewer's notes are mapped to the listing.yaml fields they talk about
(by the words they use), raised as :class:`ReviewRejected` (exit 1), and the revision is
left REJECTED — editable — so the next run applies the fix and submits again.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from ocmp.clients.publisher import Revision, RevisionStatus
from ocmp.core.publish.outputs import Draft, PackageReady, Published, Reviewed
from ocmp.core.publish.run import Change, Run, Target, token
from ocmp.errors import CloudError, ReviewNote, ReviewRejected, UnchangedSinceRejection

S = RevisionStatus

# Words a reviewer uses → the listing.yaml path they concern. First match wins.
NOTE_FIELDS: list[tuple[str, tuple[str | int, ...]]] = [
    (r"short[ _-]?description", ("listing", "short_description")),
    (r"long[ _-]?description", ("listing", "long_description")),
    (r"usage", ("listing", "usage_information")),
    (r"system requirement", ("listing", "system_requirements")),
    (r"headline", ("listing", "headline")),
    (r"tagline", ("listing", "tagline")),
    (r"keyword", ("listing", "keywords")),
    (r"icon|logo", ("listing", "icon")),
    (r"banner", ("listing", "banner")),
    (r"screenshot", ("listing", "screenshots")),
    (r"support (contact|e-?mail)|e-?mail|phone", ("listing", "support_contacts")),
    (r"support link|documentation link", ("listing", "support_links")),
    (r"pric", ("listing", "pricing")),
    (r"release note|version", ("listing", "version")),
    (r"categor|product", ("listing", "products")),
    (r"document", ("listing", "documents")),
    (r"terms|eula|licen[cs]e", ("terms",)),
    (r"image|shape", ("package",)),
    (r"stack|terraform|schema", ("package",)),
]


def map_note(text: str, locate: Callable[[tuple[str | int, ...]], int | None]) -> ReviewNote:
    """Attach a note to the listing.yaml fields its words name, in the order it names them."""
    lowered = text.lower()
    found: list[tuple[int, tuple[str | int, ...]]] = []
    for pattern, path in NOTE_FIELDS:
        match = re.search(pattern, lowered)
        if match and all(path != p for _, p in found):
            found.append((match.start(), path))
    found.sort(key=lambda item: item[0])
    located = [(".".join(str(p) for p in path), locate(path)) for _, path in found]
    if not located:
        return ReviewNote(text, None, None)
    (field, line), *rest = located
    return ReviewNote(text, field, line, tuple(rest))


def reviewer_notes(run: Run, revision: Revision | None, revision_id: str) -> list[str]:
    """The reviewer's notes on a revision (and its status notes), oldest first."""
    notes = [n for n in run.api.list_notes(revision_id) if n.source != "PUBLISHER"]
    notes.sort(key=lambda n: n.time_created)
    texts = [n.text for n in notes if n.text]
    status_notes = revision.status_notes if revision is not None else None
    if status_notes and status_notes not in texts:
        texts.append(status_notes)
    return texts


def step_submit(run: Run) -> Draft:
    """Submit the draft for review, with the note to the reviewer.

    A REJECTED revision that this run left as it was (no metadata, media, package, artifact
    or terms change) is not submitted again unless ``--resubmit``: the reviewer would only
    reject it once more. The notes are shown instead (exit 1).
    """
    draft = run.output(Draft)
    rev = draft.revision
    status = draft.status
    if status not in S.EDITABLE:
        return draft  # already submitted, approved or published: nothing to submit
    rev_id = str(draft.id)
    if status == S.REJECTED and not run.changes and not run.resubmit:
        notes = [map_note(t, run.locate) for t in reviewer_notes(run, rev, rev_id)]
        raise UnchangedSinceRejection(rev_id, notes)
    d = run.desired
    body = {
        "noteDetails": d.note_to_reviewer,
        "shouldAutoPublishOnApproval": d.auto_publish and run.target is Target.SUBMIT,
    }
    body = {k: v for k, v in body.items() if v is not None}
    stamp = str(rev.time_updated if rev is not None else "")
    submitted = run.write(
        Change("submit", "submit", "revision", "for Oracle's review"),
        lambda: run.api.submit(rev_id, body, token("submit", rev_id, status, stamp)),
    )
    return draft if submitted is None else dataclasses.replace(draft, revision=submitted)


def step_review(run: Run) -> Reviewed | None:
    """Wait for Oracle's decision (unless --no-wait); raise ReviewRejected on rejection."""
    if run.dry_run:
        return None
    draft = run.output(Draft)
    rev_id = str(draft.id)
    rev = draft.revision
    if rev is None or rev.status not in S.IN_REVIEW | S.DECIDED:
        rev = run.api.get_revision(rev_id)
    if rev.status in S.IN_REVIEW:
        if not run.wait:
            return Reviewed(rev)
        rev = run.wait_for(
            "Oracle's review",
            lambda: run.api.get_revision(rev_id),
            lambda r: r.status not in S.IN_REVIEW,
        )
        waited = f"reviewed: {rev.status}"
    else:
        waited = ""
    reviewed = Reviewed(rev, waited)
    if rev.status == S.REJECTED:
        run.hand_on(reviewed)  # the outcome the error carries shows the decision
        notes = [map_note(t, run.locate) for t in reviewer_notes(run, rev, rev_id)]
        raise ReviewRejected(rev_id, notes)
    return reviewed


def step_publish(run: Run) -> Published | None:
    """Publish the approved revision privately or publicly and wait until it is live."""
    reviewed = run.maybe_output(Reviewed)
    rev = reviewed.revision if reviewed is not None else run.output(Draft).revision
    done = run.target.revision_status
    if run.dry_run:
        if rev is None or rev.status != done:
            run.write(Change("publish", "publish", "revision", run.target.value), lambda: None)
        return None
    if rev is None or (not run.wait and rev.status in S.IN_REVIEW):
        return None
    if rev.status == done:
        return None
    rev_id = rev.id
    tenancies = run.desired.allowed_tenancies

    def start() -> str:
        if run.target is Target.PRIVATE:
            return run.api.publish_private(rev_id, tenancies, token("private", rev_id, *tenancies))
        return run.api.publish_public(rev_id, token("public", rev_id))

    approved = rev.status == S.APPROVED
    run.write(
        Change("publish", "publish", "revision", run.target.value),
        lambda: run.work_request(f"publish:{rev_id}", start, "publishing the revision")
        if approved else None,
    )
    live = run.wait_for(
        "publication",
        lambda: run.api.get_revision(rev_id),
        lambda r: r.status != S.APPROVED and r.status not in S.PUBLISHING,
    )
    package = run.maybe_output(PackageReady)
    package_id = package.package.id if package is not None else None
    # Publication moved the package along too.
    package_status = run.api.get_package(package_id).status if package_id else None
    published = Published(live, package_status)
    if live.status != done:
        run.hand_on(published)  # the outcome the error carries shows where it ended
        raise CloudError(
            f"publishing revision {rev_id} ended in {live.status}",
            hint="see ocmp status for the notes, then re-run",
        )
    return published
