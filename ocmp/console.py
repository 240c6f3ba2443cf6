"""Everything ocmp draws: Rich consoles, report renderers, and the one exit for results.

Results go to stdout (or ``--output FILE``); chatter, errors and progress to stderr. A
command hands its result to :func:`emit` once, whatever the format: ``--format json``
wraps the body in the envelope of :mod:`ocmp.core.documents`; ``sarif``, ``junit``,
``github`` and ``gitlab`` render the :class:`~ocmp.formats.RunResult` through
:mod:`ocmp.formats`; ``human`` calls the command's own renderer. When the run fails
before that, the root group calls :func:`emit_error` with the error, which produces the
same format (with whatever partial body the command left with :func:`partial`), so a CI
job always gets one document. Colour and progress are off when the stream is not a
terminal or ``NO_COLOR`` is set (Rich honours both); ``--quiet`` silences stderr but for
errors.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from typer._click import Context  # Typer 0.29 vendors Click
from typer._click.globals import get_current_context

from ocmp.core.findings import Finding, Report, Severity
from ocmp.errors import OcmpError, redact
from ocmp.formats import (
    COMMAND_META_KEY,
    FORMAT_META_KEY,
    OUTPUT_META_KEY,
    OutputFormat,
    RunResult,
)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
# Errors are shown even under --quiet: a separate console that is never silenced.
alert = Console(stderr=True, soft_wrap=True)

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}

_EMITTED = "ocmp.emitted"
_PARTIAL = "ocmp.partial"


def set_quiet(quiet: bool) -> None:
    """``--quiet``: no progress, notes, retries or summaries on stderr; errors still."""
    err.quiet = quiet


def stamp() -> str:
    """A UTC timestamp to start a log line with, when stderr is a log (not a terminal)."""
    if err.is_terminal:
        return ""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ ", time.gmtime())


class _StderrLog(logging.Handler):
    """Library log records (``ocmp.retry``'s attempts) as timestamped lines on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        err.print(stamp() + redact(record.getMessage()), markup=False, highlight=False,
                  style="yellow")


def install_log_handler() -> None:
    """Show ocmp's warnings (every retry) on stderr; once per process."""
    logger = logging.getLogger("ocmp")
    if not any(isinstance(h, _StderrLog) for h in logger.handlers):
        logger.addHandler(_StderrLog())
    logger.setLevel(logging.WARNING)
    logger.propagate = False


# -- the run's one result ----------------------------------------------------------------


def command_name(ctx: Context | None = None) -> str:
    """The running command's path without the program: ``validate``, ``terms push``."""
    ctx = ctx or get_current_context(silent=True)
    if ctx is None:
        return ""
    if COMMAND_META_KEY in ctx.meta:
        return str(ctx.meta[COMMAND_META_KEY])
    names = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


def _state() -> tuple[Any, Path | None, dict[str, Any]]:
    ctx = get_current_context(silent=True)
    meta: dict[str, Any] = ctx.meta if ctx is not None else {}
    if ctx is not None and COMMAND_META_KEY not in meta and ctx.parent is not None:
        meta[COMMAND_META_KEY] = command_name(ctx)
    return meta.get(FORMAT_META_KEY, OutputFormat.human), meta.get(OUTPUT_META_KEY), meta


def current_format() -> Any:
    """The ``--format`` of the running command (human when it has none)."""
    return _state()[0]


def shows_progress() -> bool:
    """Whether live progress and notes belong on stderr (not when stdout is a document)."""
    fmt, output, _ = _state()
    return fmt.value == "human" or output is not None or fmt.value == "github"


def partial(body: Mapping[str, Any], result: RunResult | None = None) -> None:
    """Leave the part of the result a failing run reached, for :func:`emit_error`."""
    _state()[2][_PARTIAL] = (dict(body), result)


def emit(
    body: Mapping[str, Any],
    *,
    exit_code: int = 0,
    result: RunResult | None = None,
    human: Callable[[], None] | None = None,
) -> None:
    """Hand the run's result over: write it in the chosen format, then exit ``exit_code``.

    ``body`` is the command's JSON body (its TypedDict in :mod:`ocmp.core.documents`),
    ``result`` what the CI formats need (findings, steps), ``human`` draws it for people.
    """
    _write(body, exit_code, result, None, human)
    if exit_code:
        import typer

        raise typer.Exit(exit_code)


def emit_error(error: OcmpError | Mapping[str, Any]) -> None:
    """A failed run: the error on stderr and, unless the command already wrote its
    result, the chosen format's document for the failure (with the partial body)."""
    doc = dict(error.to_dict()) if isinstance(error, OcmpError) else dict(error)
    if isinstance(error, OcmpError):
        print_error(error)
    _, _, meta = _state()
    if meta.get(_EMITTED):
        return
    body, result = meta.get(_PARTIAL, ({}, None))
    _write(body, int(doc["exit_code"]), result, doc, None)


def _write(
    body: Mapping[str, Any],
    exit_code: int,
    result: RunResult | None,
    error: Mapping[str, Any] | None,
    human: Callable[[], None] | None,
) -> None:
    from ocmp import formats
    from ocmp.core.files import write_file_atomic

    fmt, output, meta = _state()
    command = command_name()
    result = result or RunResult(command)
    result.command = command
    result.error = error
    name = fmt.value
    if name == "human":
        if error is not None:
            return  # print_error said it on stderr
        if output is not None:
            lines = formats.plain_lines(result.report) if result.report else []
            write_file_atomic(output, "".join(line + "\n" for line in lines))
            meta[_EMITTED] = True
            _summary(result)
        elif human is not None:
            meta[_EMITTED] = True
            human()
        return
    text: str
    if name == "json":
        # Here, not above: its TypedDicts (every command's document) cost a human run ~5 ms.
        from ocmp.core.documents import envelope

        text = formats.dumps(envelope(command, exit_code, body, error))  # type: ignore[arg-type]
    elif name == "sarif":
        text = formats.dumps(formats.sarif(result, cwd=Path.cwd()))
    elif name == "junit":
        text = formats.junit(result)
    elif name == "gitlab":
        text = formats.dumps(formats.gitlab(result, cwd=Path.cwd()))
    else:  # github
        text = "".join(line + "\n" for line in formats.github(result))
        _append_step_summary(formats.github_summary(result))
    if output is not None:
        try:
            write_file_atomic(output, text)
            text = ""
        except OcmpError:
            if error is None:
                raise
            # --output itself is what failed: the error document goes to stdout instead.
    if text:
        sys.stdout.write(text)
        sys.stdout.flush()
    meta[_EMITTED] = True
    if error is None:
        _summary(result)


def _summary(result: RunResult) -> None:
    if result.summary:
        err.print(result.summary, highlight=False, markup=False)


def _append_step_summary(markdown: str) -> None:
    """Append to ``$GITHUB_STEP_SUMMARY`` when set: a regular file only, never a link."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        mode = os.lstat(target).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        err.print(f"warning: GITHUB_STEP_SUMMARY {target} is not a regular file; "
                  "no summary written", highlight=False, markup=False)
        return
    try:
        fd = os.open(target, flags, 0o644)
    except OSError as exc:
        err.print(f"warning: GITHUB_STEP_SUMMARY {target}: {exc.strerror}; no summary written",
                  highlight=False, markup=False)
        return
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            err.print(f"warning: GITHUB_STEP_SUMMARY {target} is not a regular file; "
                      "no summary written", highlight=False, markup=False)
            return
        os.write(fd, markdown.encode("utf-8"))
    finally:
        os.close(fd)


# -- errors ------------------------------------------------------------------------------


def print_error(exc: OcmpError) -> None:
    """One line for the error, one for the hint, on stderr (even under --quiet)."""
    alert.print(f"[bold red]error:[/] {escape(exc.message)}", highlight=False)
    if exc.hint:
        alert.print(f"[dim]hint:[/] {escape(exc.hint)}", highlight=False)


def print_error_for(name: str, exc: OcmpError) -> None:
    """An error of one listing of a release, named, on stderr."""
    err.print(f"[bold red]error:[/] {escape(name)}: {escape(exc.message)}", highlight=False)
    if exc.hint:
        err.print(f"[dim]hint:[/] {escape(exc.hint)}", highlight=False)


def print_internal_error(exc: Exception) -> None:
    """An unexpected exception: one line naming it, and how to get and report the details."""
    alert.print(
        f"[bold red]internal error:[/] {type(exc).__name__}: {escape(str(exc))}", highlight=False
    )
    alert.print(
        "[dim]hint:[/] this is a bug in ocmp; re-run with OCMP_DEBUG=1 for the traceback "
        "and report it with the command you ran",
        highlight=False,
    )


# -- findings for people -----------------------------------------------------------------


def _where(f: Finding) -> str:
    if f.line is None:
        return ""
    return f"{f.line}:{f.column}" if f.column is not None else str(f.line)


def report_summary(report: Report, title: str = "checked") -> str:
    """``2 files checked: 1 error, 0 warnings``."""
    files = len(report.files)
    return (
        f"{files} file{'s' if files != 1 else ''} {title}: "
        f"{report.errors} error{'s' if report.errors != 1 else ''}, "
        f"{report.warnings} warning{'s' if report.warnings != 1 else ''}"
    )


def print_report(report: Report, *, title: str = "checked") -> None:
    """Human output: on a terminal, findings grouped by file, each with its hint; elsewhere
    one ``file:line:col: severity RULE message`` line per finding. Then a summary line."""
    from ocmp.formats import plain_lines

    if not out.is_terminal:
        out.file.write("".join(line + "\n" for line in plain_lines(report)))
        out.file.flush()
    else:
        by_file: dict[str, list[Finding]] = defaultdict(list)
        for f in report.findings:
            by_file[f.file or "(no file)"].append(f)
        for file, findings in by_file.items():
            out.print(f"[bold]{escape(file)}[/]", highlight=False)
            for f in findings:
                where = _where(f)
                loc = f"  {where:>7} " if where else "          "
                style = _STYLE[f.severity]
                out.print(
                    f"{loc}[{style}]{f.severity.value:<7}[/] [dim]{f.rule}[/] {escape(f.message)}",
                    highlight=False,
                )
                if f.hint:
                    out.print(f"                  [dim]↳ {escape(f.hint)}[/]", highlight=False)
    style = "red" if report.errors else ("yellow" if report.warnings else "green")
    err.print(f"[{style}]{report_summary(report, title)}[/]", highlight=False)
