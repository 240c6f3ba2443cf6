"""The state one publish run carries from step to step, and its plumbing.

A :class:`Run` holds what the run was asked for (the clients, the desired state, the
target and options), the journal, the reporter, the finds by name sent at the start
(:class:`Prefetched`), the :class:`Change` list, and what each step handed on: a step
returns a small typed :class:`StepOutput` (the terms it found, the draft it chose, …) and
the next step reads it with :meth:`Run.output` — steps never talk through string keys. The
run's ids and statuses are read from those outputs (:meth:`Run.made`).

Every write a step makes goes through :meth:`Run.write` (:meth:`Run.write_all` for
independent writes sent together): it records the change and, unless this is a dry run,
makes it — so ``ocmp plan`` and ``ocmp publish --dry-run`` walk the very same code as a
real run and stop there. The crash-test hook of every write sits on the run's request
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

from ocmp.clients.publisher import (
    Artifact,
    Listing,
    PublisherApi,
    RevisionStatus,
    Term,
    WorkRequest,
)
from ocmp.clients.retry import CallStats
from ocmp.core.progress import NullReporter, Reporter
from ocmp.core.publish.desired import Desired
from ocmp.core.publish.journal import Journal
from ocmp.errors import CloudError, WorkflowInterrupted

if TYPE_CHECKING:
    from ocmp.clients.resource_manager import ResourceManagerApi, Stack

T = TypeVar("T")
# Where a listing.yaml path is (its line), to point reviewer notes at what they concern.
Locate = Callable[[tuple[str | int, ...]], int | None]
# In a plan, what stands for the OCID of an image listing a release would create first
# (a stack artifact names its image listings; the plan sends nothing).
PENDING = "(new)"

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

    @property
    def revision_status(self) -> str:
        """The revision status a run with this target ends on."""
        return {
            Target.DRAFT: RevisionStatus.NEW,
            Target.SUBMIT: "PENDING_REVIEW",
            Target.PRIVATE: RevisionStatus.PUBLISHED_AS_PRIVATE,
            Target.PUBLIC: RevisionStatus.PUBLISHED,
        }[self]


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


R = TypeVar("R")
Found = list[R] | CloudError


@dataclass
class Prefetched:
    """Finds by name sent at the start of the run (:mod:`~ocmp.core.publish.prefetch`),
    each the result or its error; a step takes its own with :meth:`take`."""

    listings: Found[Listing] | None = None  # kept for the whole run (two steps read it)
    terms: Found[Term] | None = None
    artifacts: dict[str, Found[Artifact]] = field(default_factory=dict)  # by display name
    stacks: dict[str, Found[Stack]] = field(default_factory=dict)  # by display name

    @staticmethod
    def take(found: Found[R] | None, find: Callable[[], list[R]]) -> list[R]:
        """The prefetched result (its error raised here, in the step that needs it), or
        ``find()`` when nothing was prefetched."""
        if isinstance(found, CloudError):
            raise found
        return find() if found is None else found


@dataclass(frozen=True)
class Made:
    """A resource a step found or created, and its status — or, in a plan, one it would
    create (``planned``: it has no id yet). ``id`` None and not planned: a status only."""

    role: str  # listing | revision | package | artifact | term | term_version | stack …
    id: str | None = None
    status: str | None = None
    planned: bool = False

    @classmethod
    def of(cls, role: str, ocid: str | None, status: str | None = None) -> Made:
        """``ocid`` found or created; None: a plan would create it."""
        return cls(role, ocid, status, planned=ocid is None)


class StepOutput:
    """What a step hands on to the steps after it (each step's own frozen dataclass).

    :meth:`made` names the resources it found or created, for the journal and the outcome;
    :attr:`waited` says what it waited for and got (work done without a write).
    """

    def made(self) -> tuple[Made, ...]:
        """The resources this output stands for."""
        return ()

    @property
    def waited(self) -> str:
        """What the step waited for and got ("" when it did not wait)."""
        return ""


Out = TypeVar("Out", bound=StepOutput)


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
    # ``ocmp diff``: the revision step takes the published revision as its basis even when
    # a draft exists beside it (a plan compares with what the draft will carry).
    live_basis: bool = False
    changes: list[Change] = field(default_factory=list)
    found: Prefetched = field(default_factory=lambda: Prefetched())
    # A release (ocmp.release) runs a stack listing beside the image listings it launches:
    # its independent steps first, then this step, which waits for them and subscribes the
    # stack, then the stack itself.
    before_stack: Callable[[Run], StepOutput | None] | None = None
    locate: Locate = lambda _: None
    # Set by whoever runs this in a worker thread: Ctrl-C reaches only the main thread.
    cancel: threading.Event | None = None
    # What each step handed on, by its type, in the order the steps ran.
    outputs: dict[type[StepOutput], StepOutput] = field(default_factory=dict)
    # The stack zip, built once from the folder (a release's subscription rebuilds it).
    zip_cache: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.stats.after_each_write(WriteHook(self.stats))

    # -- what steps hand on ------------------------------------------------------------

    def hand_on(self, output: StepOutput) -> None:
        """Keep a step's output for the steps after it; journal the real ids it names."""
        self.outputs[type(output)] = output
        if self.dry_run:
            return
        for made in output.made():
            if made.id is not None and self.journal.ids.get(made.role) != made.id:
                self.journal.remember(made.role, made.id)

    def output(self, kind: type[Out]) -> Out:
        """The output of type ``kind`` an earlier step handed on (it must have run)."""
        found = self.outputs.get(kind)
        assert isinstance(found, kind), f"{kind.__name__}: its step runs before this one"
        return found

    def maybe_output(self, kind: type[Out]) -> Out | None:
        """The output of type ``kind``, or None when no step of this run made one."""
        found = self.outputs.get(kind)
        return found if isinstance(found, kind) else None

    def made(self) -> list[Made]:
        """Every resource the steps so far found or created, in order (later ones win)."""
        return [m for output in self.outputs.values() for m in output.made()]

    @property
    def rm(self) -> ResourceManagerApi:
        """The Resource Manager client (built for kinds that use it, see prepare_run)."""
        assert self.resource_manager is not None, "this kind does not use Resource Manager"
        return self.resource_manager

    def check_cancel(self) -> None:
        """Stop as Ctrl-C would (journal saved, exit 5) when the release was interrupted."""
        if self.cancel is not None and self.cancel.is_set():
            raise KeyboardInterrupt

    def write(self, change: Change, make: Callable[[], T]) -> T | None:
        """Record ``change`` and make it: what ``make()`` returns; a dry run only records it
        (None). The one fork between ``plan`` and ``publish``: both walk the same steps."""
        self.changes.append(change)
        return None if self.dry_run else make()

    def write_all(self, writes: Sequence[tuple[Change, Callable[[], object]]]) -> None:
        """:meth:`write` for independent writes: recorded here, in order, then sent
        concurrently (:func:`in_parallel`); a dry run only records them."""
        self.changes.extend(change for change, _ in writes)
        if not self.dry_run:
            in_parallel([make for _, make in writes])

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
