"""The publishing workflow: the ordered steps of a listing of any kind, run or planned.

:func:`execute` walks the steps of Oracle's flow (terms → artifact → listing → revision →
content → attachments → package → submit → review → publish; a kind adds or replaces
steps, a stack listing starts with its Resource Manager stack), as the one step table
(:mod:`~ocmp.core.publish.steps`) lists them, against the live state. Each step reads
first and writes only what differs, so a re-run with nothing changed makes no write call,
and a re-run after a crash, Ctrl-C or a timeout continues where the last one stopped. With
``dry_run`` nothing is written and the result is the plan. An error that stops a run
carries how far it got (:attr:`~ocmp.errors.OcmpError.outcome`).

Each step returns what it hands on (:mod:`~ocmp.core.publish.outputs`); the engine keeps
it for the steps after (:meth:`Run.hand_on <ocmp.core.publish.run.Run.hand_on>`), and
the outcome's ids and statuses are read from those outputs. A plan's outcome says what
would be created (``would_create``) and the status the run aims at (``target_status``),
never a future state as if it were the live one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ocmp.core.progress import StepState
from ocmp.core.publish import steps_base
from ocmp.core.publish.prefetch import prefetch
from ocmp.core.publish.run import Change, Locate, Run
from ocmp.core.publish.steps import StepFn, steps_for
from ocmp.errors import OcmpError, WorkflowInterrupted


@dataclass
class Outcome:
    """What a run did (or, in a dry run, would do)."""

    listing: str
    kind: str
    target: str
    dry_run: bool
    changes: list[Change]
    ids: dict[str, str]
    statuses: dict[str, str]
    requests: int
    writes: int
    retries: int
    seconds: float
    steps: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    would_create: list[str] = field(default_factory=list)  # a plan: roles it would create
    target_status: str | None = None  # a plan with changes: the revision status it aims at
    # ``ocmp diff``: the revision compared with, and the draft beside it (if any)
    compared_with: dict[str, str | None] | None = None

    @property
    def up_to_date(self) -> bool:
        """Nothing had to change (a run that failed before finding out is not up to date)."""
        return not self.changes and self.error is None

    def to_dict(self) -> dict[str, Any]:
        """The one JSON document of ``ocmp plan/publish --format json``."""
        return {
            "listing": self.listing,
            "kind": self.kind,
            "target": self.target,
            "dry_run": self.dry_run,
            "up_to_date": self.up_to_date,
            "changes": [c.to_dict() for c in self.changes],
            "ids": dict(self.ids),
            "statuses": dict(self.statuses),
            **({"would_create": list(self.would_create), "target_status": self.target_status}
               if self.dry_run else {}),
            **({"compared_with": dict(self.compared_with)} if self.compared_with else {}),
            "steps": dict(self.steps),
            "calls": {"requests": self.requests, "writes": self.writes, "retries": self.retries},
            "duration_seconds": round(self.seconds, 3),
        }


def execute(run: Run, locate: Locate | None = None) -> Outcome:
    """Run (or plan) the workflow; raises OcmpError subclasses on failure."""
    if locate is not None:
        run.locate = locate

    def start() -> None:
        prefetch(run)  # the independent lookups by name, concurrently
        steps_base.check_listing_kind(run)

    return run_steps(run, steps_for(run), start)


def run_steps(
    run: Run, steps: list[tuple[str, StepFn]], start: Callable[[], None] = lambda: None
) -> Outcome:
    """Walk ``steps`` with progress, the journal and the crash hooks; the run's outcome.

    ``ocmp publish`` and the retiring commands (withdraw, unpublish, delete) share it, so
    each has the same plan/--dry-run, resume and test hooks.
    """
    started = time.monotonic()
    verb = "plan" if run.dry_run else (run.action or "publish")
    title = f"{verb} {run.desired.name!r} ({run.action or run.target.value})"
    run.reporter.begin(title, [name for name, _ in steps])
    states: dict[str, str] = {name: StepState.TODO.value for name, _ in steps}
    run.journal.completed = []  # this run's confirmed steps (saved with the first one)
    current = ""
    try:
        start()
        for name, fn in steps:
            run.check_cancel()
            current = name
            states[name] = StepState.DOING.value
            run.reporter.step(name, StepState.DOING)
            before = len(run.changes)
            output = fn(run)
            if output is not None:
                run.hand_on(output)
            made = run.changes[before:]
            waited = output.waited if output is not None else ""  # work done without a write
            if made and run.dry_run:
                state = StepState.PLANNED  # nothing was done: it would be
            else:
                state = StepState.DONE if made or waited else StepState.SKIPPED
            states[name] = state.value
            detail = "; ".join(f"{c.action} {c.target}" for c in made) or waited or "up to date"
            if run.dry_run and made:
                detail = "would " + detail
            run.reporter.step(name, state, detail)
            run.after_step(name)
    except KeyboardInterrupt:
        _failed(run, states, current)
        where = (f"during step {current!r}" if current else
                 f"while looking up the live listing, before step {steps[0][0]!r}")
        interrupted = WorkflowInterrupted(
            f"interrupted {where}; the journal is saved",
            hint="run the same command again to continue from there",
        )
        interrupted.outcome = outcome(run, states, time.monotonic() - started, "interrupted")
        raise interrupted from None
    except OcmpError as exc:
        _failed(run, states, current)
        exc.outcome = outcome(run, states, time.monotonic() - started, exc.message)
        raise
    finally:
        run.reporter.end()
    return outcome(run, states, time.monotonic() - started)


def _failed(run: Run, states: dict[str, str], current: str) -> None:
    if current:
        states[current] = StepState.FAILED.value
        run.reporter.step(current, StepState.FAILED)


def outcome(run: Run, states: dict[str, str], seconds: float, error: str | None = None) -> Outcome:
    """Summarise a run: the ids and statuses its steps handed on (later ones win)."""
    ids: dict[str, str] = {}
    statuses: dict[str, str] = {}
    planned: dict[str, None] = {}
    for made in run.made():
        if made.id is not None:
            ids[made.role] = made.id
            planned.pop(made.role, None)
        elif made.planned:
            ids.pop(made.role, None)
            planned[made.role] = None
        if made.status is not None:
            statuses[made.role] = made.status
        elif made.planned:
            statuses.pop(made.role, None)
    aims = run.dry_run and not run.action and bool(run.changes)
    return Outcome(
        listing=run.desired.name,
        kind=run.desired.kind,
        target=run.action or run.target.value,
        dry_run=run.dry_run,
        changes=list(run.changes),
        ids=ids,
        statuses=statuses,
        requests=run.stats.requests,
        writes=run.stats.writes,
        retries=run.stats.retries,
        seconds=seconds,
        steps=states,
        error=error,
        would_create=list(planned),
        target_status=run.target.revision_status if aims else None,
    )
