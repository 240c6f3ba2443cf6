"""Everything ocmp draws: Rich consoles, report renderers, progress.

Results go to stdout; chatter, errors and progress to stderr. With ``--format json``
stdout carries exactly one JSON document. Colour and progress are off when the stream
is not a terminal or ``NO_COLOR`` is set (Rich honours both).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from typing import Any

from rich.console import Console
from rich.markup import escape
from typer._click.globals import get_current_context  # Typer 0.29 vendors Click

from ocmp.core.findings import Finding, Report, Severity
from ocmp.errors import OcmpError

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


_JSON_PRINTED = "ocmp.json-printed"


def print_json(document: Any) -> None:
    """Write one JSON document to stdout, unwrapped and uncoloured."""
    sys.stdout.write(json.dumps(document, indent=2, sort_keys=False, default=str) + "\n")
    sys.stdout.flush()
    ctx = get_current_context(silent=True)  # remembered per command invocation
    if ctx is not None:
        ctx.meta[_JSON_PRINTED] = True


def print_json_error(exc: OcmpError) -> None:
    """Keep ``--format json`` stdout one document when a run fails before printing its own."""
    ctx = get_current_context(silent=True)
    if ctx is None or not ctx.meta.get(_JSON_PRINTED):
        print_json({"version": 1, "error": exc.to_dict()})


def print_error(exc: OcmpError) -> None:
    """One line for the error, one for the hint, on stderr."""
    err.print(f"[bold red]error:[/] {escape(exc.message)}", highlight=False)
    if exc.hint:
        err.print(f"[dim]hint:[/] {escape(exc.hint)}", highlight=False)


def print_error_for(name: str, exc: OcmpError) -> None:
    """An error of one listing of a release, named, on stderr."""
    err.print(f"[bold red]error:[/] {escape(name)}: {escape(exc.message)}", highlight=False)
    if exc.hint:
        err.print(f"[dim]hint:[/] {escape(exc.hint)}", highlight=False)


def print_internal_error(exc: Exception) -> None:
    """An unexpected exception: one line naming it, and how to get and report the details."""
    err.print(
        f"[bold red]internal error:[/] {type(exc).__name__}: {escape(str(exc))}", highlight=False
    )
    err.print(
        "[dim]hint:[/] this is a bug in ocmp; re-run with OCMP_DEBUG=1 for the traceback "
        "and report it with the command you ran",
        highlight=False,
    )


def _where(f: Finding) -> str:
    if f.line is None:
        return ""
    return f"{f.line}:{f.column}" if f.column is not None else str(f.line)


def print_report(report: Report, *, title: str = "checked") -> None:
    """Human output: findings grouped by file, each with its hint, then a summary line."""
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
    files = len(report.files)
    summary = (
        f"{files} file{'s' if files != 1 else ''} {title}: "
        f"{report.errors} error{'s' if report.errors != 1 else ''}, "
        f"{report.warnings} warning{'s' if report.warnings != 1 else ''}"
    )
    style = "red" if report.errors else ("yellow" if report.warnings else "green")
    err.print(f"[{style}]{summary}[/]", highlight=False)
