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
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ocmp.core.findings import Report
from ocmp.core.progress import Reporter
from ocmp.core.publish.engine import Outcome
from ocmp.core.publish.outputs import Subscribed
from ocmp.core.publish.run import PENDING, Run, Target
from ocmp.core.repository import Member, Repository
from ocmp.core.subscribe import SubscribePlan, apply_subscription, plan_subscription
from ocmp.errors import DependencyFailed, ExitCode, InputError, OcmpError, WorkflowInterrupted
from ocmp.release.gate import SUBSCRIPTION_RULES, ValidationFailed, check, gate

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
    subscription: SubscribePlan | None = None

    @property
    def exit_code(self) -> int:
        """This listing's exit code."""
        if self.error is not None:
            return int(self.error.exit_code)
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
        }
        if self.subscription is not None:
            doc["subscription"] = self.subscription.to_dict()
        if isinstance(self.error, ValidationFailed):  # the findings that stopped it
            doc["validation"] = self.error.report.to_dict()
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
        # The envelope (ocmp.core.documents) adds version, command, outcome and exit_code.
        return {
            "repository": self.root,
            "target": self.target,
            "dry_run": self.dry_run,
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
    members = [m for wave in repo.waves() for m in wave]  # dependency order
    finished = {m.name: threading.Event() for m in members}
    context = _Context(clients, options, watch, {}, finished, threading.Event(),
                       concurrent=len(members) > 1)

    def one(member: Member) -> ListingResult:
        try:
            return _run_member(context, member)
        finally:
            finished[member.name].set()

    # One listing runs in this thread, where Ctrl-C arrives; several run side by side.
    results = [one(members[0])] if len(members) == 1 else _concurrently(context, members, one)
    for result in results:
        outcome.results.append(result)
        watch.finished(result)
    outcome.seconds = time.monotonic() - started
    outcome.requests = clients.stats.requests
    outcome.writes = clients.stats.writes
    return outcome


@dataclass
class _Context:
    """What every listing's run of one release shares."""

    clients: Clients
    options: ReleaseOptions
    watch: Observer
    done: dict[str, ListingResult]
    finished: dict[str, threading.Event]
    cancel: threading.Event
    concurrent: bool


def _concurrently(context: _Context, members: list[Member],
                  one: Callable[[Member], ListingResult]) -> list[ListingResult]:
    """Every listing at once (image listings submitted first, so a stack waiting for one
    never holds the last worker); Ctrl-C in the main thread stops them all."""
    workers = min(MAX_CONCURRENT_LISTINGS, len(members))
    with ThreadPoolExecutor(workers, thread_name_prefix="ocmp-release") as pool:
        futures = [pool.submit(one, m) for m in members]
        pending = set(futures)
        while pending:
            try:
                _, pending = wait(pending, timeout=0.2)
            except KeyboardInterrupt:  # each run stops at its next poll or step
                context.cancel.set()
        return [f.result() for f in futures]


def _run_member(context: _Context, member: Member) -> ListingResult:
    result = ListingResult(member.name, member.folder, member.kind,
                           member.project.listing.display)
    try:
        _publish_one(context, member, result)
    except OcmpError as exc:
        result.error = exc
    except KeyboardInterrupt:  # before the engine took over (look-ups)
        result.error = WorkflowInterrupted(
            f"interrupted before publishing {member.name!r}",
            hint="run the same command again to continue from there",
        )
    context.done[member.name] = result
    return result


def _before_stack(context: _Context, member: Member, result: ListingResult) -> Any:
    """The step that waits for the stack's image listings, then subscribes the stack."""

    def step(run: Run) -> Subscribed | None:
        for name in member.needs:
            while not context.finished[name].wait(0.1):
                run.check_cancel()
        failed = [n for n in member.needs if context.done[n].exit_code != 0]
        if failed:
            raise DependencyFailed(
                f"the stack is not uploaded: {', '.join(repr(n) for n in failed)} "
                "did not finish",
                hint="fix that listing, then run the same command again",
            )
        ids = _subscribe(context, member, result)
        if ids is not None:
            run.desired = dataclasses.replace(run.desired, image_listings=ids)
        run.zip_cache = None  # zipped from the folder as the subscription left it
        plan = result.subscription
        if context.options.dry_run and plan is not None and plan.changes:
            # A plan writes no file, but what it plans must be the zip publish would
            # upload: the folder with the subscription's edits, in memory.
            from ocmp.core.publish.zipping import build_stack_zip

            assert run.desired.stack_path is not None
            run.zip_cache = build_stack_zip(
                run.desired.stack_path, {c.path: c.after.encode("utf-8") for c in plan.changes})
        if plan is None:
            if context.options.dry_run and PENDING in (ids or []):
                return Subscribed("would subscribe once the image listings are published")
            return None
        changed = len(plan.changes)
        return Subscribed(
            f"{'would write' if context.options.dry_run else 'wrote'} {changed} file"
            f"{'s' if changed != 1 else ''}" if changed else "subscribed: up to date")

    return step


def _subscribe(context: _Context, member: Member, result: ListingResult) -> list[str] | None:
    """Subscribe a stack to its repository image listings; their listing OCIDs, in order."""
    if not member.needs:
        return None
    clients, options, watch, done = (context.clients, context.options, context.watch,
                                     context.done)
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
        if needed is not None and "listing" in needed.would_create:
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


def _publish_one(context: _Context, member: Member, result: ListingResult) -> None:
    from ocmp.core.publish.service import prepare_run, publish

    clients, options, watch = context.clients, context.options, context.watch
    concurrent = context.concurrent
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
    run.cancel = context.cancel
    if member.needs:
        run.before_stack = _before_stack(context, member, result)
    try:
        result.outcome = publish(run, loaded)
    except OcmpError as exc:
        if isinstance(exc.outcome, Outcome):
            result.outcome = exc.outcome  # how far it got
        raise

