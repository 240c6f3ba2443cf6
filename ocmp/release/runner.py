"""One release: every listing project of a repository, published in dependency order.

:func:`run_release` takes a :class:`~ocmp.core.repository.Repository` and a target and:

1. checks every project offline (:func:`~ocmp.release.gate.gate`) before any request; a stack
   that the release subscribes to its image listings is checked against the Marketplace
   image rules once it is subscribed, still before it is uploaded;
2. publishes the image listings (listings of one wave run concurrently: they do not depend
   on each other);
3. subscribes each stack to what its image listings published
   (:mod:`ocmp.core.subscribe`: the diff goes to the observer), validates it, and publishes
   the stack listing with ``imageListingIds``.

A listing whose image listing failed is not started; the others go on. Each listing keeps
its own journal, so a re-run after any failure resumes each where it stopped. The exit code
is the worst of the listings'.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ocmp.core.findings import Report
from ocmp.core.progress import Reporter
from ocmp.core.publish.engine import Outcome
from ocmp.core.publish.run import PENDING, Target
from ocmp.core.repository import Member, Repository
from ocmp.core.subscribe import SubscribePlan, apply_subscription, plan_subscription
from ocmp.errors import ExitCode, InputError, OcmpError, WorkflowInterrupted
from ocmp.release.gate import SUBSCRIPTION_RULES, check, gate

if TYPE_CHECKING:
    from ocmp.clients import Clients

MAX_CONCURRENT_LISTINGS = 4


@dataclass(frozen=True)
class ReleaseOptions:
    """How far and how each listing of the release goes."""

    target: Target
    dry_run: bool = False
    wait: bool = True
    verify: bool | None = None  # None: stacks are verified when the run submits them
    allow_tenancies: Sequence[str] = ()
    timeout: float | None = None
    resubmit: bool = False


class Observer:
    """What the release tells whoever watches it (the CLI draws; tests record)."""

    def reporter(self, member: Member, concurrent: bool) -> Reporter:
        """The progress observer of one listing's run."""
        from ocmp.core.progress import NullReporter

        return NullReporter()

    def validated(self, report: Report) -> None:
        """The offline checks passed; ``report`` holds their warnings."""

    def subscribed(self, member: Member, plan: SubscribePlan) -> None:
        """A stack's subscription was computed (and, unless a dry run, written)."""

    def finished(self, result: ListingResult) -> None:
        """One listing is done (or failed, or was not started)."""


@dataclass
class ListingResult:
    """How one listing of the release ended."""

    name: str
    folder: str
    kind: str
    display: str = "listing.yaml"  # its listing.yaml as the user reads it (for locations)
    outcome: Outcome | None = None
    error: OcmpError | None = None
    skipped: str | None = None  # why it was not started
    subscription: SubscribePlan | None = None
    interrupted: bool = False  # Ctrl-C or SIGTERM: the release stops after this wave

    @property
    def exit_code(self) -> int:
        """This listing's exit code."""
        if self.error is not None:
            return int(self.error.exit_code)
        if self.skipped is not None:
            return int(ExitCode.FINDINGS)
        return int(ExitCode.OK)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        doc: dict[str, Any] = {
            "name": self.name,
            "folder": self.folder,
            "kind": self.kind,
            "exit_code": self.exit_code,
            "outcome": self.outcome.to_dict() if self.outcome is not None else None,
            "error": self.error.to_dict() if self.error is not None else None,
            "skipped": self.skipped,
        }
        if self.subscription is not None:
            doc["subscription"] = self.subscription.to_dict()
        return doc


@dataclass
class ReleaseOutcome:
    """What the release did, listing by listing, in the order they ran."""

    root: str
    target: str
    dry_run: bool
    results: list[ListingResult] = field(default_factory=list)
    validation: Report = field(default_factory=Report)
    seconds: float = 0.0
    requests: int = 0
    writes: int = 0

    @property
    def exit_code(self) -> int:
        """The worst exit code of the listings."""
        return max((r.exit_code for r in self.results), default=0)

    def to_dict(self) -> dict[str, Any]:
        """The one JSON document of a repository run."""
        return {
            "version": 1,
            "repository": self.root,
            "target": self.target,
            "dry_run": self.dry_run,
            "exit_code": self.exit_code,
            "listings": [r.to_dict() for r in self.results],
            "validation": self.validation.to_dict(),
            "calls": {"requests": self.requests, "writes": self.writes},
            "duration_seconds": round(self.seconds, 3),
        }


def _deferred(repo: Repository) -> dict[int, tuple[str, ...]]:
    """Stacks the release subscribes: their image rules wait until they are subscribed."""
    return {i: SUBSCRIPTION_RULES for i, m in enumerate(repo.members) if m.needs}


def validate_release(repo: Repository) -> Report:
    """The offline gate of the whole release (raises ValidationFailed on errors)."""
    return gate([m.project for m in repo.members], deferred=_deferred(repo))


def run_release(
    clients: Clients,
    repo: Repository,
    options: ReleaseOptions,
    observer: Observer | None = None,
) -> ReleaseOutcome:
    """Publish (or plan) every listing of ``repo`` in dependency order."""
    watch = observer or Observer()
    started = time.monotonic()
    outcome = ReleaseOutcome(str(repo.root), options.target.value, options.dry_run)
    outcome.validation = validate_release(repo)  # before the first request
    watch.validated(outcome.validation)
    done: dict[str, ListingResult] = {}
    for wave in repo.waves():
        concurrent = len(wave) > 1

        def one(member: Member, concurrent: bool = concurrent) -> ListingResult:
            return _run_member(clients, member, options, watch, done, concurrent)

        if concurrent:
            workers = min(MAX_CONCURRENT_LISTINGS, len(wave))
            with ThreadPoolExecutor(workers, thread_name_prefix="ocmp-release") as pool:
                results = list(pool.map(one, wave))
        else:
            results = [one(wave[0])]
        for result in results:
            done[result.name] = result
            outcome.results.append(result)
            watch.finished(result)
        if any(r.interrupted for r in results):
            break  # Ctrl-C / SIGTERM: the rest of the release waits for the re-run
    outcome.seconds = time.monotonic() - started
    outcome.requests = clients.stats.requests
    outcome.writes = clients.stats.writes
    return outcome


def _run_member(
    clients: Clients,
    member: Member,
    options: ReleaseOptions,
    watch: Observer,
    done: dict[str, ListingResult],
    concurrent: bool,
) -> ListingResult:
    result = ListingResult(member.name, member.folder, member.kind,
                           member.project.listing.display)
    failed = [n for n in member.needs if done.get(n) is None or done[n].exit_code != 0]
    if failed:
        result.skipped = f"not started: {', '.join(repr(n) for n in failed)} did not finish"
        return result
    try:
        image_ids = _subscribe(clients, member, options, watch, done, result)
        _publish_one(clients, member, options, watch, concurrent, image_ids, result)
    except OcmpError as exc:
        result.error = exc
        partial = result.outcome
        result.interrupted = partial is not None and partial.error == "interrupted"
    except KeyboardInterrupt:  # before the engine took over (look-ups, subscribe)
        result.error = WorkflowInterrupted(
            f"interrupted before publishing {member.name!r}",
            hint="run the same command again to continue from there",
        )
        result.interrupted = True
    return result


def _subscribe(
    clients: Clients,
    member: Member,
    options: ReleaseOptions,
    watch: Observer,
    done: dict[str, ListingResult],
    result: ListingResult,
) -> list[str] | None:
    """Subscribe a stack to its repository image listings; their listing OCIDs, in order."""
    if not member.needs:
        return None
    from ocmp.clients.publisher import PublisherApi
    from ocmp.core.subscribe import published_image
    from ocmp.schemas.listing import StackListingFile

    model = member.project.listing.model
    assert isinstance(model, StackListingFile)
    api = clients.get(PublisherApi)
    compartment = model.compartment or clients.tenancy_id
    images = []
    ids: list[str] = []
    for name in member.needs:
        needed = done[name].outcome
        if needed is not None and needed.ids.get("listing") == PENDING:
            ids.append(PENDING)  # a plan: the image listing does not exist yet
            continue
        try:
            image = published_image(api, compartment, name)
        except InputError:
            if options.dry_run or options.target in (Target.DRAFT, Target.SUBMIT):
                # Not published yet (a plan, a draft): the stack keeps its images for now.
                ids.append(needed.ids.get("listing", PENDING) if needed else PENDING)
                continue
            raise
        images.append(image)
        ids.append(image.listing_id)
    ids += list(member.live_refs)
    if images and len(images) == len(member.needs):
        stack_dir = member.project.stack_path
        assert stack_dir is not None
        plan = plan_subscription(stack_dir, images)
        result.subscription = plan
        if not options.dry_run and plan.changes:
            apply_subscription(plan)
        watch.subscribed(member, plan)
        if not options.dry_run:
            _revalidate(member)
    return ids


def _revalidate(member: Member) -> None:
    """The subscribed stack passes every rule before it is uploaded."""
    from ocmp.core.project import open_projects

    fresh = open_projects([member.project.listing_path or member.project.root],
                          cwd=member.project.cwd)[0]
    report = check(fresh)
    if report.errors:
        from ocmp.release.gate import ValidationFailed

        raise ValidationFailed(report, uploaded_before=True)


def _publish_one(
    clients: Clients,
    member: Member,
    options: ReleaseOptions,
    watch: Observer,
    concurrent: bool,
    image_ids: list[str] | None,
    result: ListingResult,
) -> None:
    from ocmp.core.publish.service import prepare_run, publish

    loaded = member.project.listing  # the stack zip is built later, from the folder as is
    verify = options.verify
    if verify is None:
        verify = options.target is not Target.DRAFT and not options.dry_run
    run = prepare_run(
        clients,
        loaded,
        target=options.target,
        dry_run=options.dry_run,
        wait=options.wait,
        verify=verify,
        allow_tenancies=options.allow_tenancies,
        timeout=options.timeout,
        reporter=watch.reporter(member, concurrent),
        resubmit=options.resubmit,
    )
    if image_ids is not None:
        run.desired = dataclasses.replace(run.desired, image_listings=image_ids)
    try:
        result.outcome = publish(run, loaded)
    finally:
        if result.outcome is None and isinstance(run.result, Outcome):
            result.outcome = run.result  # how far it got

