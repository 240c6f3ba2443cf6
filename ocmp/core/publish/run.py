"""The state one publish run carries from step to step, and its plumbing.

A :class:`Run` holds the clients, the desired state, the journal, the reporter, the
ids found or created so far, what the revision step chose (:class:`Snapshot`), the finds
by name sent at the start (:class:`Prefetched`) and the :class:`Change` list. Every write a
step makes goes through :meth:`Run.write`: it records the change and, unless this is a dry
run, makes it — so ``ocmp plan`` and ``ocmp publish --dry-run`` walk the very same code as
a real run and stop there. The crash-test hook of every write sits on the run's request
counters (:class:`WriteHook`), not in the steps.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from ocmp.clients.publisher import PublisherApi, Resource, WorkRequest
from ocmp.clients.retry import CallStats
from ocmp.core.progress import NullReporter, Reporter
from ocmp.core.publish.desired import Desired
from ocmp.core.publish.journal import Journal
from ocmp.errors import CloudError, WorkflowInterrupted

if TYPE_CHECKING:
    from ocmp.clients.resource_manager import ResourceManagerApi

T = TypeVar("T")
# Where a listing.yaml path is (its line), to point reviewer notes at what they concern.
Locate = Callable[[tuple[str | int, ...]], int | None]
PENDING = "(new)"  # the id of a resource a dry run would create

# Test hooks (README, "Publishing"; tests/commands/test_publish_recovery.py): the process
# dies (os._exit) right after the N-th write call returns, or after the named step is journaled.
CRASH_AFTER_WRITE = "OCMP_TEST_CRASH_AFTER_WRITE"
CRASH_AFTER_STEP = "OCMP_TEST_CRASH_AFTER_STEP"
CRASH_EXIT = 86

# Independent requests (lookups by name, uploads) are sent this many at a time: each one
# costs a round trip to the region, and a few in flight hide most of it without
# provoking the service's throttling.
MAX_PARALLEL = 4


def in_parallel(calls: Sequence[Callable[[], T]]) -> list[T]:
    """Run independent calls concurrently (at most :data:`MAX_PARALLEL`); results in order.

    Only requests run in the workers: the caller records changes, ids and the journal
    from its own thread, so their order stays deterministic. The first failure (in call
    order) is raised once every call has ended.
    """
    if len(calls) <= 1:
        return [c() for c in calls]
    workers = min(MAX_PARALLEL, len(calls))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocmp-publish") as pool:
        futures = [pool.submit(c) for c in calls]
        return [f.result() for f in futures]


class Target(StrEnum):
    """How far ``ocmp publish`` goes."""

    DRAFT = "draft"  # a complete draft revision, not submitted
    SUBMIT = "submit"  # submitted for review
    PRIVATE = "private"  # approved and published privately
    PUBLIC = "public"  # approved and published to everyone


@dataclass(frozen=True)
class FieldChange:
    """One field of the revision that differs."""

    field: str
    live: Any
    desired: Any


@dataclass(frozen=True)
class Change:
    """One write the run makes (or, in a dry run, would make)."""

    step: str
    action: str  # create | update | clone | upload | delete | activate | submit | publish
    target: str
    detail: str = ""
    fields: tuple[FieldChange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "step": self.step,
            "action": self.action,
            "target": self.target,
            "detail": self.detail,
            "fields": [
                {"field": f.field, "live": f.live, "desired": f.desired} for f in self.fields
            ],
        }


@dataclass(frozen=True)
class PollSettings:
    """How often and how long to wait on work requests, jobs and reviews."""

    interval: float = 0.25
    max_interval: float = 30.0
    timeout: float = 3600.0

    @classmethod
    def from_env(cls, timeout: float | None = None) -> PollSettings:
        """Defaults, with ``OCMP_POLL_INTERVAL`` (seconds) for fast tests and demos."""
        interval = float(os.environ.get("OCMP_POLL_INTERVAL", "0.25"))
        return cls(
            interval=interval,
            max_interval=max(interval, min(30.0, interval * 15)),
            timeout=timeout if timeout is not None else 3600.0,
        )


def token(*parts: str) -> str:
    """A deterministic ``opc-retry-token``: the same create always carries the same token."""
    return hashlib.sha256("|".join(("ocmp", *parts)).encode()).hexdigest()[:32]


class WriteHook:
    """Test hook of every write path: the process dies right after the N-th write of its
    :class:`CallStats` when ``OCMP_TEST_CRASH_AFTER_WRITE=N``.

    A run installs it on its counters (:meth:`CallStats.after_each_write`), so every write
    any client of the run sends passes it, and no step has to remember to call it. Hooks
    of the same counters are equal: a release's runs share one.
    """

    def __init__(self, stats: CallStats) -> None:
        self.stats = stats
        self.seen = 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WriteHook) and other.stats is self.stats

    def __hash__(self) -> int:
        return id(self.stats)

    def __call__(self) -> None:
        limit = os.environ.get(CRASH_AFTER_WRITE)
        if limit and self.stats.writes >= int(limit) > self.seen:
            os._exit(CRASH_EXIT)
        self.seen = self.stats.writes


def poll_until(
    poll: PollSettings,
    reporter: Reporter,
    what: str,
    read: Callable[[], T],
    done: Callable[[T], bool],
    percent: Callable[[T], float | None] = lambda _: None,
    *,
    check: Callable[[], None] = lambda: None,
) -> T:
    """Poll ``read`` until ``done``, backing off, reporting each wait, bounded by the timeout.

    ``check`` runs before each read (a run's: stop when its release was interrupted).

    Raises:
        WorkflowInterrupted: the timeout passed first (exit 5: a re-run continues).
    """
    from ocmp.clients._base import wait_until

    def give_up(elapsed: float) -> WorkflowInterrupted:
        return WorkflowInterrupted(
            f"gave up waiting for {what} after {elapsed:.0f} s",
            hint="re-run the same command later: it continues from here",
        )

    def checked() -> T:
        check()
        return read()

    return wait_until(
        checked,
        done,
        timeout=poll.timeout,
        interval=poll.interval,
        max_interval=poll.max_interval,
        factor=1.5,
        on_poll=lambda value, elapsed: reporter.wait(what, elapsed, percent(value)),
        give_up=give_up,
    )


Found = list[Resource] | CloudError


@dataclass
class Prefetched:
    """Finds by name sent at the start of the run (:mod:`~ocmp.core.publish.prefetch`),
    each the result or its error; a step takes its own with :meth:`take`."""

    listings: Found | None = None  # kept for the whole run (two steps read it)
    terms: Found | None = None
    artifacts: dict[str, Found] = field(default_factory=dict)  # by display name
    stacks: dict[str, Found] = field(default_factory=dict)  # by display name

    @staticmethod
    def take(found: Found | None, find: Callable[[], list[Resource]]) -> list[Resource]:
        """The prefetched result (its error raised here, in the step that needs it), or
        ``find()`` when nothing was prefetched."""
        if isinstance(found, CloudError):
            raise found
        return find() if found is None else found


@dataclass
class Snapshot:
    """A revision with its packages and attachments, as live (or as a clone would copy them)."""

    revision: Resource | None
    packages: list[Resource] = field(default_factory=list)
    attachments: list[Resource] = field(default_factory=list)
    package: Resource | None = None  # the one with the desired version, if any


@dataclass
class Run:
    """One execution of the publishing workflow."""

    api: PublisherApi
    desired: Desired
    journal: Journal
    target: Target
    stats: CallStats
    reporter: Reporter = field(default_factory=NullReporter)
    dry_run: bool = False
    wait: bool = True
    poll: PollSettings = field(default_factory=PollSettings.from_env)
    resource_manager: ResourceManagerApi | None = None  # for kinds that use it (a stack)
    verify: bool = False
    resubmit: bool = False  # submit a REJECTED revision again even if nothing changed
    action: str = ""  # a retiring run's verb (withdraw, unpublish, delete); "" = publishing
    ids: dict[str, str] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    statuses: dict[str, str] = field(default_factory=dict)
    listing_is_new: bool = False  # the listing step created it: it has no revisions yet
    snapshot: Snapshot | None = None  # the draft revision, once the revision step chose it
    zip_bytes: bytes | None = None  # the stack zip, built once
    waited: dict[str, str] = field(default_factory=dict)  # step → what it waited for and got
    found: Prefetched = field(default_factory=lambda: Prefetched())
    # A release (ocmp.release) runs a stack listing beside the image listings it launches:
    # its independent steps first, then this step, which waits for them and subscribes the
    # stack, then the stack itself.
    before_stack: Callable[[Run], None] | None = None
    locate: Locate = lambda _: None
    # Set by whoever runs this in a worker thread: Ctrl-C reaches only the main thread.
    cancel: threading.Event | None = None

    def __post_init__(self) -> None:
        self.stats.after_each_write(WriteHook(self.stats))

    @property
    def draft(self) -> Snapshot:
        """The draft revision the revision step chose (every later step has one)."""
        assert self.snapshot is not None, "the revision step runs before this one"
        return self.snapshot

    @property
    def rm(self) -> ResourceManagerApi:
        """The Resource Manager client (built for kinds that use it, see prepare_run)."""
        assert self.resource_manager is not None, "this kind does not use Resource Manager"
        return self.resource_manager

    def check_cancel(self) -> None:
        """Stop as Ctrl-C would (journal saved, exit 5) when the release was interrupted."""
        if self.cancel is not None and self.cancel.is_set():
            raise KeyboardInterrupt

    def change(self, change: Change) -> bool:
        """Record a change; True when it must really be made (not a dry run)."""
        self.changes.append(change)
        return not self.dry_run

    def write(self, change: Change, make: Callable[[], T]) -> T | None:
        """Record ``change`` and make it: what ``make()`` returns; a dry run only records it
        (None). The one fork between ``plan`` and ``publish``: both walk the same steps."""
        return make() if self.change(change) else None

    def remember(self, role: str, ocid: str) -> None:
        """Note an id for later steps; real ones go to the journal too."""
        self.ids[role] = ocid
        if ocid != PENDING and not self.dry_run and self.journal.ids.get(role) != ocid:
            self.journal.remember(role, ocid)

    def pending(self, role: str) -> bool:
        """Whether ``role`` is a resource only a dry run pretends to have created."""
        return self.ids.get(role) == PENDING

    def after_step(self, step: str) -> None:
        """Journal the step, then the test hook :data:`CRASH_AFTER_STEP`."""
        if not self.dry_run:
            self.journal.step_done(step)
        if os.environ.get(CRASH_AFTER_STEP) == step:
            os._exit(CRASH_EXIT)

    # -- waiting -----------------------------------------------------------------------

    def wait_for(
        self,
        what: str,
        read: Callable[[], T],
        done: Callable[[T], bool],
        percent: Callable[[T], float | None] = lambda _: None,
    ) -> T:
        """:func:`poll_until` with this run's settings, reporter and cancel check."""
        return poll_until(self.poll, self.reporter, what, read, done, percent,
                          check=self.check_cancel)

    def work_request(self, step: str, start: Callable[[], str], what: str) -> WorkRequest:
        """Start (or resume) the work request of ``step`` and wait for it to succeed."""
        wr_id = self.journal.work_requests.get(step)
        if wr_id is not None:
            try:  # a work request remembered from an interrupted run: is it still known?
                self.api.get_work_request(wr_id)
            except CloudError as exc:
                if exc.status != 404:
                    raise
                self.journal.finish_work_request(step)
                wr_id = None
        if wr_id is None:
            wr_id = start()
            self.journal.start_work_request(step, wr_id)
        known = wr_id
        wr = self.wait_for(
            what,
            lambda: self.api.get_work_request(known),
            lambda w: w.finished,
            lambda w: w.percent,
        )
        self.journal.finish_work_request(step)
        if wr.status != "SUCCEEDED":
            errors = "; ".join(self.api.work_request_errors(wr.id)) or wr.status
            raise CloudError(
                f"{what} failed: {errors}",
                operation=wr.operation,
                hint="fix the cause, then re-run: ocmp resumes from this step",
            )
        return wr
