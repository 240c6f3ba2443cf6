"""Retiring and archiving: withdraw a listing, unpublish package versions, delete a listing.

Each is a step list for :func:`~ocmp.core.publish.engine.run_steps`, so it has the same
plan/--dry-run, progress, journal and crash hooks as ``ocmp publish``. Each reads first and
acts only when the live state differs: a second run is a no-op. Each action is a work
request; one left in flight by a run that died (journaled or not) is found again through
the work requests of its resource and waited for, never issued twice.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from ocmp.clients.publisher import Listing, Package, Revision, RevisionStatus
from ocmp.core.publish.outputs import Draft, Published, Retired
from ocmp.core.publish.run import Change, Made, Run, StepOutput
from ocmp.errors import CloudError, InputError

S = RevisionStatus


def _listing(run: Run, *, required: bool = True) -> Listing | None:
    d = run.desired
    found = run.api.find_listings(d.compartment_id, d.name)
    if not found:
        if not required:
            return None
        raise CloudError(
            f"there is no listing named {d.name!r} in the compartment",
            status=404,
            hint="check the listing name in listing.yaml and the compartment (ocmp status)",
        )
    return found[0]


def _act(
    run: Run, step: str, resource_id: str, operation: str, start: Callable[[], str], what: str
) -> None:
    """Run the work request of ``step`` on ``resource_id``: resumed when one is in flight."""
    if step not in run.journal.work_requests:
        busy = [
            w
            for w in run.api.work_requests_in_flight(run.desired.compartment_id, resource_id)
            if w.operation == operation
        ]
        if busy:  # started by a run that died before journaling it
            run.journal.start_work_request(step, busy[0].id)
    run.work_request(step, start, what)


def published_revision(run: Run, listing_id: str) -> Revision | None:
    """The listing's published revision (public or private), if any."""
    for summary in run.api.list_revisions(listing_id):
        if summary.status in S.LIVE or summary.status in S.WITHDRAWING:
            rev = run.api.get_revision(summary.id)
            if rev.status in S.LIVE or rev.status in S.WITHDRAWING:
                return rev
    return None


def step_withdraw(run: Run) -> Retired:
    """Withdraw the published revision: the listing leaves the Marketplace."""
    listing = _listing(run)
    assert listing is not None
    found = Made("listing", listing.id)
    rev = published_revision(run, listing.id)
    if rev is None:
        return Retired((found, Made("revision", status="not published")))

    def withdraw() -> str | None:
        _act(
            run,
            f"withdraw:{rev.id}",
            rev.id,
            "WITHDRAW_LISTING_REVISION",
            lambda: run.api.withdraw(rev.id),
            "withdrawing the revision",
        )
        return run.api.get_revision(rev.id).status

    after = run.write(
        Change(
            "withdraw",
            "withdraw",
            f"revision {rev.id}",
            f"{rev.status}: the listing leaves the Marketplace",
        ),
        withdraw,
    )
    return Retired((found, Made("revision", rev.id, after)))


def published_packages(run: Run, revision_id: str) -> list[Package]:
    """Every package of a revision, read one by one (summaries lack ``isDefault``)."""
    return [run.api.get_package(p.id) for p in run.api.list_packages(revision_id)]


def unpublish_versions(run: Run, revision_id: str, versions: list[str]) -> list[Made]:
    """Unpublish these package versions of the revision (never its default package)."""
    packages = {str(p.version): p for p in published_packages(run, revision_id)}
    left: list[Made] = []
    for version in versions:
        package = packages[version]
        if package.is_default:
            raise InputError(
                f"package version {version} is the listing's default package and cannot be "
                "unpublished",
                hint="publish a new default version first (ocmp publish), or withdraw the "
                "whole listing (ocmp withdraw)",
            )
        if package.status not in S.LIVE and package.status not in S.WITHDRAWING:
            continue  # already retired: nothing to do (in progress: resumed below)
        done = run.write(
            Change(
                "unpublish", "unpublish", f"package {version}", "no longer offered to new customers"
            ),
            partial(_unpublish, run, package.id, version),
        )
        if done is not None:
            left.append(Made(f"package {version}", status=done))
    return left


def _unpublish(run: Run, package_id: str, version: str) -> str:
    _act(
        run,
        f"unpublish:{package_id}",
        package_id,
        "UNPUBLISH_LISTING_REVISION_PACKAGE",
        lambda: run.api.unpublish_package(package_id),
        f"unpublishing package {version}",
    )
    return S.UNPUBLISHED


def step_unpublish(run: Run, version: str) -> Retired:
    """Retire one package version while the listing stays published."""
    listing = _listing(run)
    assert listing is not None
    rev = published_revision(run, listing.id)
    if rev is None or rev.status not in S.LIVE:
        raise CloudError(
            f"listing {run.desired.name!r} has no published revision",
            hint="only a package of a published listing can be unpublished (ocmp status)",
        )
    known = [str(p.version) for p in run.api.list_packages(rev.id)]
    if version not in known:
        raise InputError(
            f"the published revision has no package version {version!r}",
            hint=f"its package versions are: {', '.join(known) or 'none'}",
        )
    left = unpublish_versions(run, rev.id, [version])
    return Retired((Made("listing", listing.id), Made("revision", rev.id, rev.status), *left))


def step_delete(run: Run, confirm: str) -> Retired:
    """Cascading delete of the listing (revisions, packages, attachments); never a published one."""
    listing = _listing(run, required=False)
    if listing is None:
        return Retired((Made("listing", status="DELETED"),))
    if not run.dry_run and confirm != run.desired.name:
        raise InputError(
            f"deleting listing {run.desired.name!r} needs its name as confirmation",
            hint=f"type the listing's name, or pass --confirm {run.desired.name!r}",
        )
    rev = published_revision(run, listing.id)
    if rev is not None:
        raise CloudError(
            f"listing {run.desired.name!r} has a published revision ({rev.status})",
            status=409,
            hint="withdraw it first (ocmp withdraw), then delete",
        )

    def delete() -> str:
        _act(
            run,
            f"delete:{listing.id}",
            listing.id,
            "CASCADING_DELETE_LISTING",
            lambda: run.api.cascading_delete_listing(listing.id),
            "deleting the listing",
        )
        return "DELETED"

    done = run.write(
        Change(
            "delete",
            "delete",
            f"listing {run.desired.name!r}",
            "with every revision, package and attachment",
        ),
        delete,
    )
    return Retired((Made("listing", listing.id, done),))


def step_keep_published(run: Run) -> Retired | None:
    """After a successful publish: unpublish the package versions ``keep_published`` drops."""
    keep = run.desired.keep_published
    published = run.maybe_output(Published)
    rev_id = published.revision.id if published is not None else run.output(Draft).id
    if keep is None or rev_id is None:
        return None
    rev = run.api.get_revision(rev_id)
    if rev.status not in S.LIVE:
        return None
    packages = published_packages(run, rev_id)
    live = [p for p in packages if p.status in S.LIVE or p.status in S.WITHDRAWING]
    if isinstance(keep, int):
        newest = sorted(live, key=lambda p: (p.time_created, p.id), reverse=True)
        kept = {str(p.version) for p in newest[:keep]}
    else:
        kept = set(keep)
    drop = [str(p.version) for p in live if str(p.version) not in kept and not p.is_default]
    return Retired(tuple(unpublish_versions(run, rev_id, sorted(drop))))


def steps_for(
    action: str, *, version: str | None = None, confirm: str = ""
) -> list[tuple[str, Callable[[Run], StepOutput | None]]]:
    """The step list of a retiring action (``withdraw``, ``unpublish``, ``delete``)."""
    if action == "withdraw":
        return [("withdraw", step_withdraw)]
    if action == "unpublish":
        assert version is not None
        return [("unpublish", lambda run: step_unpublish(run, version))]
    if action == "delete":
        return [("delete", lambda run: step_delete(run, confirm))]
    raise ValueError(f"unknown retiring action {action!r}")
