"""Drawing the publishing progress (the CLI side of :mod:`ocmp.core.progress`).

On a terminal: a live step list — done ✓, doing (spinner, elapsed time, work request
percentage), to do · — on stderr. Elsewhere (CI logs, pipes, ``NO_COLOR``): one plain
line per finished step, so logs stay readable. Log lines (a PLAN job's output) are
printed above the live list.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.markup import escape
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from ocmp.core.progress import NullReporter, Reporter, StepState
from ocmp.core.publish.engine import Outcome
from ocmp.core.publish.status import ListingStatus
from ocmp.core.reports import Rows
from ocmp.core.repository import Member
from ocmp.core.stack_verify import VerifyResult
from ocmp.core.subscribe import SubscribePlan
from ocmp.errors import ReviewRejected
from ocmp.formats import RunResult, StepResult
from ocmp.release.runner import ListingResult, Observer, ReleaseOutcome

_MARK = {
    StepState.TODO: "[dim]·[/]",
    StepState.DONE: "[green]✓[/]",
    StepState.PLANNED: "[cyan]→[/]",
    StepState.SKIPPED: "[dim]✓[/]",
    StepState.FAILED: "[red]✗[/]",
}


class RichReporter:
    """A :class:`~ocmp.core.progress.Reporter` drawing on a Rich console (stderr)."""

    def __init__(self, console: Console, prefix: str = "") -> None:
        self.console = console
        # Several listings at once share the terminal: one line per step, each prefixed.
        self.prefix = prefix
        self.live_mode = console.is_terminal and not console.no_color and not prefix
        self.title = ""
        self.steps: dict[str, StepState] = {}
        self.details: dict[str, str] = {}
        self.waiting: tuple[str, float, float | None] | None = None
        self.started = time.monotonic()
        self._live: Live | None = None
        self._spinner = Spinner("dots")
        # Off a terminal, a long wait prints one line this often (seconds), per step.
        self.wait_every = float(os.environ.get("OCMP_PROGRESS_INTERVAL", "30"))
        self._last_wait_line = 0.0

    def begin(self, title: str, steps: Sequence[str]) -> None:
        """Show the step list."""
        self.title = title
        self.steps = dict.fromkeys(steps, StepState.TODO)
        self.started = time.monotonic()
        if self.live_mode:
            self._live = Live(
                self._render(), console=self.console, refresh_per_second=8, transient=False
            )
            self._live.start()
        else:
            self.console.print(f"{_stamp(self.console)}{escape(self.prefix + title)}: "
                               f"{len(steps)} step{'' if len(steps) == 1 else 's'}",
                               highlight=False)

    def step(self, name: str, state: StepState, detail: str = "") -> None:
        """Move a step along."""
        self.steps[name] = state
        if detail:
            self.details[name] = detail
        if state is not StepState.DOING:
            self.waiting = None
        else:
            self._last_wait_line = time.monotonic()
        if self._live is not None:
            self._live.update(self._render(), refresh=True)
        elif state is not StepState.DOING:
            text = f"{self.prefix}  {state.value:<7} {name}"
            if detail:
                text += f": {detail}"
            self.console.print(_stamp(self.console) + escape(text), highlight=False)

    def wait(self, what: str, elapsed: float, percent: float | None = None) -> None:
        """Show what is being waited for."""
        self.waiting = (what, elapsed, percent)
        if self._live is not None:
            self._live.update(self._render(), refresh=True)
            return
        now = time.monotonic()
        if now - self._last_wait_line >= self.wait_every:
            # A CI log shows it is alive: one line per interval, not a spinner.
            self._last_wait_line = now
            pct = f" ({percent:.0f}%)" if percent is not None else ""
            self.console.print(
                f"{_stamp(self.console)}  waiting for {escape(what)}: {elapsed:.0f}s{pct}",
                highlight=False,
            )

    def log(self, line: str) -> None:
        """Print a log line above the step list."""
        self.console.print(f"{escape(self.prefix)}[dim]│[/] {escape(line)}", highlight=False)

    def end(self) -> None:
        """Stop drawing."""
        if self._live is not None:
            self._live.update(self._render(), refresh=True)
            self._live.stop()
            self._live = None

    def _render(self) -> RenderableType:
        table = Table.grid(padding=(0, 1))
        for name, state in self.steps.items():
            detail = escape(self.details.get(name, ""))
            if state is StepState.DOING:
                label = Text.from_markup(f"[bold]{escape(name)}[/]")
                if self.waiting:
                    what, elapsed, percent = self.waiting
                    pct = f" {percent:.0f}%" if percent is not None else ""
                    label.append(f"  waiting for {what}… {elapsed:.0f}s{pct}", style="dim")
                table.add_row(self._spinner, label)
            else:
                table.add_row(
                    Text.from_markup(_MARK.get(state, "·")),
                    Text.from_markup(f"{escape(name)} [dim]{detail}[/]"),
                )
        elapsed = time.monotonic() - self.started
        head = Text.from_markup(f"[bold]{escape(self.title)}[/] [dim]{elapsed:.0f}s[/]")
        return Group(head, table)


def _stamp(console: Console) -> str:
    return "" if console.is_terminal else time.strftime("%Y-%m-%dT%H:%M:%SZ ", time.gmtime())


# -- results -----------------------------------------------------------------------------

_ACTION = {
    "create": "[green]+[/]",
    "delete": "[red]-[/]",
    "update": "[yellow]~[/]",
    "clone": "[cyan]⧉[/]",
}


def _short(value: object, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, str) else value.replace("\n", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def print_outcome(console: Console, outcome: Outcome) -> None:
    """The plan (dry run) or what a publish run did, with the ids and statuses it ended on."""
    verb = "planned" if outcome.dry_run else "made"
    if outcome.up_to_date:
        console.print(
            f"[green]{escape(outcome.listing)}: up to date[/] — nothing to change", highlight=False
        )
    else:
        console.print(
            f"[bold]{escape(outcome.listing)}[/] ({outcome.kind}, target "
            f"{outcome.target}): {len(outcome.changes)} change"
            f"{'s' if len(outcome.changes) != 1 else ''} {verb}",
            highlight=False,
        )
    for change in outcome.changes:
        mark = _ACTION.get(change.action, "[cyan]→[/]")
        detail = f" [dim]({escape(change.detail)})[/]" if change.detail else ""
        console.print(
            f"  {mark} {change.action:<8} {escape(change.target)}{detail}", highlight=False
        )
        for f in change.fields:
            console.print(
                f"      [dim]{escape(f.field)}:[/] {escape(_short(f.live))} → "
                f"{escape(_short(f.desired))}",
                highlight=False,
            )
    for role in ("listing", "revision", "package", "artifact", "term", "stack"):
        if role in outcome.ids:
            status = outcome.statuses.get(role)
            suffix = f" [dim]{status}[/]" if status else ""
            console.print(f"  {role:<9} {escape(outcome.ids[role])}{suffix}", highlight=False)
        elif role in outcome.would_create:
            made = "created" if role != "revision" or "live_revision" not in outcome.ids else (
                "cloned from the live revision")
            console.print(f"  {role:<9} [dim]none yet: it would be {made}[/]", highlight=False)
    if "live_revision" in outcome.ids:
        status = outcome.statuses.get("live_revision") or ""
        console.print(
            f"  live      {escape(outcome.ids['live_revision'])} [dim]{status} (stays live "
            "until the new draft is published)[/]",
            highlight=False,
        )
    if outcome.target_status:
        console.print(
            f"  [dim]target: the revision ends {outcome.target_status} once `ocmp publish` "
            f"makes these changes (target {outcome.target})[/]",
            highlight=False,
        )
    compared = outcome.compared_with
    if compared:
        console.print(
            f"  [dim]compared with revision {escape(str(compared['revision']))} "
            f"({compared['status']})[/]",
            highlight=False,
        )
        if compared.get("draft"):
            console.print(
                f"  [dim]a draft revision {escape(str(compared['draft']))} "
                f"({compared['draft_status']}) exists beside it, not yet published: "
                "`ocmp plan` shows what publish would change in it[/]",
                highlight=False,
            )
    console.print(
        f"[dim]{outcome.requests} requests ({outcome.writes} writes, "
        f"{outcome.retries} retried) in {outcome.seconds:.1f}s[/]",
        highlight=False,
    )


def run_result(command: str, outcomes: Sequence[Outcome]) -> RunResult:
    """What the CI formats need from publishing runs (one per listing): the steps and the
    changes made or planned."""
    steps = [
        StepResult(o.listing, name, state)
        for o in outcomes
        for name, state in o.steps.items()
    ]
    verb = "planned" if command == "plan" or any(o.dry_run for o in outcomes) else "made"
    notices = [
        f"{o.listing}: {c.action} {c.target}" + (f" ({c.detail})" if c.detail else "")
        for o in outcomes
        for c in o.changes
    ]
    changes = sum(len(o.changes) for o in outcomes)
    summary = "; ".join(
        f"{o.listing}: up to date" if o.up_to_date else f"{o.listing}: {len(o.changes)} change"
        f"{'s' if len(o.changes) != 1 else ''} {verb}"
        for o in outcomes
    ) or f"{changes} changes {verb}"
    return RunResult(command, steps=steps, notices=notices, summary=summary)


def print_rejection(console: Console, display: str, exc: ReviewRejected) -> None:
    """The reviewer's notes, each next to the listing.yaml field it concerns."""
    console.print(f"[bold red]rejected:[/] revision {escape(exc.revision_id)}", highlight=False)
    for note in exc.notes:
        where = f"{display}:{note.line}" if note.line else display
        field = f" [dim]{escape(note.field)}[/]" if note.field else ""
        console.print(f"  {escape(where)}{field}: {escape(note.text)}", highlight=False)
        for other, line in note.also:
            at = f"{display}:{line}" if line else display
            console.print(f"    [dim]also {escape(at)} {escape(other)}[/]", highlight=False)


def print_status(console: Console, status: ListingStatus) -> None:
    """``ocmp status`` for humans."""
    if status.listing_id is None:
        console.print(
            f"{escape(status.name)}: [yellow]not in the Marketplace yet[/] "
            "(ocmp publish creates it)",
            highlight=False,
        )
        return
    console.print(f"[bold]{escape(status.name)}[/] {escape(status.listing_id)}", highlight=False)
    for rev in status.revisions:
        console.print(f"  revision {escape(rev['id'])} [bold]{rev['status']}[/]", highlight=False)
    if status.revisions and status.revisions[-1].get("status_notes"):
        console.print(
            f"    [dim]{escape(str(status.revisions[-1]['status_notes']))}[/]", highlight=False
        )
    for pkg in status.packages:
        default = " (default)" if pkg["is_default"] else ""
        art = pkg["artifact"]
        console.print(
            f"  package {escape(str(pkg['version']))}{default} {pkg['status']}; "
            f"artifact {escape(str(art['name']))} {art['status']}",
            highlight=False,
        )
    for note in status.notes:
        console.print(f"  note from {note['source']}: {escape(str(note['text']))}", highlight=False)
    if status.hidden:
        console.print(
            f"  [dim]{status.hidden} older {'entry' if status.hidden == 1 else 'entries'} "
            "(withdrawn revisions, unpublished packages) not shown; --all shows them[/]",
            highlight=False,
        )


# -- releases (several listings) ---------------------------------------------------------


class CliObserver(Observer):
    """Draws a release: each listing's steps, each stack's subscription diff."""

    def __init__(self, console: Console, *, human: bool) -> None:
        self.console = console
        self.human = human

    def reporter(self, member: Member, concurrent: bool) -> Reporter:
        """A step list per listing (prefixed lines when several run at once)."""
        if not self.human:
            return NullReporter()
        return RichReporter(self.console, prefix=f"[{member.name}] " if concurrent else "")

    def subscribed(self, member: Member, plan: SubscribePlan) -> None:
        """Show the diff of the stack files the subscription wrote."""
        if not self.human:
            return
        print_subscription(self.console, plan, member.project.display(plan.stack_dir))


def print_subscription(console: Console, plan: SubscribePlan, shown: str) -> None:
    """What ``stack subscribe`` changes (or changed), and what it could not."""
    names = ", ".join(repr(i.listing) for i in plan.images)
    if plan.up_to_date:
        console.print(f"[green]{escape(shown)}: subscribed to {escape(names)}[/] — up to date",
                      highlight=False)
    else:
        console.print(f"[bold]{escape(shown)}[/]: subscribe to {escape(names)}", highlight=False)
        prefix = shown.rstrip("/") + "/" if shown not in ("", ".") else ""
        for line in plan.diff(prefix).splitlines():
            style = ("green" if line.startswith("+") and not line.startswith("+++") else
                     "red" if line.startswith("-") and not line.startswith("---") else
                     "cyan" if line.startswith("@@") else "")
            text = escape(line)
            console.print(f"[{style}]{text}[/]" if style else text, highlight=False)
    for report in plan.reports:
        console.print(
            f"[yellow]warning:[/] {escape(prefix_path(shown, report.file))}:{report.line}: "
            f"{escape(report.message)}", highlight=False)


def prefix_path(folder: str, rel: str) -> str:
    """A stack path as the user reads it."""
    return rel if folder in ("", ".") else f"{folder.rstrip('/')}/{rel}"


def print_single(command: str, result: ListingResult, *, human: bool) -> None:
    """One listing project's publish: its outcome, or its error (raised, after the output;
    the root group writes the document with what the run reached)."""
    from ocmp import console

    error = result.error
    outcomes = [result.outcome] if result.outcome is not None else []
    if error is None:
        assert result.outcome is not None
        outcome = result.outcome
        console.emit(outcome.to_dict(), result=run_result(command, outcomes),
                     human=lambda: print_outcome(console.out, outcome))
        return
    body: dict[str, object] = result.outcome.to_dict() if result.outcome is not None else {}
    if isinstance(error, ReviewRejected):
        body["review"] = {"status": "REJECTED", "revision": error.revision_id,
                          "notes": [vars(n) for n in error.notes]}
        if human:
            print_rejection(console.out, result.display, error)
    console.partial(body, run_result(command, outcomes))
    _print_partial_report(error, human=human)
    raise error


def release_result(command: str, release: ReleaseOutcome) -> RunResult:
    """The CI formats' view of a repository run: every listing's steps and changes, and the
    validation findings of the whole release."""
    outcomes = [r.outcome for r in release.results if r.outcome is not None]
    result = run_result(command, outcomes)
    result.report = release.validation
    failed = [r for r in release.results if r.error is not None]
    result.notices = [*result.notices,
                      *(f"{r.name}: {r.error}" for r in failed)]
    return result


def _print_partial_report(error: Exception, *, human: bool) -> None:
    from ocmp import console
    from ocmp.release.gate import ValidationFailed

    if human and isinstance(error, ValidationFailed):
        console.print_report(error.report, title="checked before uploading the stack")


def print_release(console: Console, release: ReleaseOutcome) -> None:
    """One report for a repository run: each listing's outcome, then a summary line."""
    from ocmp import console as consoles
    from ocmp.release.gate import ValidationFailed

    for result in release.results:
        if result.outcome is not None:
            print_outcome(console, result.outcome)
        if result.error is not None:
            if isinstance(result.error, ValidationFailed):
                consoles.print_report(result.error.report,
                                      title="checked before uploading the stack")
            if isinstance(result.error, ReviewRejected):
                print_rejection(console, result.display, result.error)
            consoles.print_error_for(result.name, result.error)
    ok = sum(1 for r in release.results if r.exit_code == 0)
    style = "green" if release.exit_code == 0 else "red"
    verb = "planned" if release.dry_run else "published" if release.target in (
        "private", "public") else "done"
    console.print(
        f"[{style}]{ok} of {len(release.results)} listings {verb}[/] "
        f"[dim]({release.target}; {release.requests} requests, {release.writes} writes, "
        f"{release.seconds:.1f}s)[/]",
        highlight=False,
    )


def print_verify(console: Console, result: VerifyResult) -> None:
    """``ocmp stack verify`` for humans: the stack, then each job with how it ended."""
    how = "created" if result.created else "variables updated" if result.updated else "found"
    console.print(f"[bold]{escape(result.stack_name)}[/] {escape(result.stack_id)} "
                  f"[dim]({how})[/]", highlight=False)
    for job in result.jobs:
        colour = "green" if job.ok else "red"
        console.print(f"  {job.operation:<8} {escape(job.job_id)} [{colour}]{job.state}[/]",
                      highlight=False)
        if not job.ok:
            if job.failure_code or job.failure_message:
                console.print(f"    {escape(job.failure_code or '')}: "
                              f"{escape(job.failure_message or '')}", highlight=False)
            for line in job.errors:
                for part in line.splitlines():
                    console.print(f"    [red]│[/] {escape(part)}", highlight=False)


def print_rows(console: Console, rows: Rows) -> None:
    """A report (leads, installs, payouts) as a table; empty reports say so."""
    if not rows.rows:
        console.print(f"[dim]no {rows.report}[/]", highlight=False)
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in rows.shown:
        table.add_column(column, overflow="fold")
    for row in rows.rows:
        table.add_row(*(escape("" if row.get(c) is None else str(row.get(c))) for c in rows.shown))
    if console.is_terminal:
        console.print(table)
    else:
        # Off a terminal (a pipe, a file, CI logs) each record stays on one line, so that
        # grep, sort and cut see whole rows; folding to 80 columns would split timestamps.
        # ``print(width=)`` is capped at the console's width, hence the console is widened.
        wide = console.options.update_width(1 << 16)
        natural = console.measure(table, options=wide).maximum
        before = console.width
        console.width = max(before, natural)
        try:
            console.print(table)
        finally:
            console.width = before
    console.print(f"[dim]{len(rows.rows)} {rows.report}[/]", highlight=False)
