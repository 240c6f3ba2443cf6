"""`ocmp leads` and `ocmp report installs|payouts`: what happens after publishing.

Thin: parse options, resolve the projects' listings, hand over to :mod:`ocmp.core.reports`,
then print a table or CSV, or hand JSON to :func:`ocmp.console.emit` (the one JSON contract:
envelope and :class:`~ocmp.core.documents.RowsDoc`). ``table`` and ``csv`` are this command's
own renderings of the rows, so ``--format`` keeps its own choices here; every file (``--output``,
``--cursor``) is written by the same safe writer as elsewhere (:mod:`ocmp.core.files`).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ocmp.commands._cloud import CloudOptions, cloud_options
from ocmp.commands._options import choice_of, command_path, remember_output
from ocmp.formats import COMMAND_META_KEY, FORMAT_META_KEY, FORMATS_META_KEY, OutputFormat

if TYPE_CHECKING:
    from ocmp.clients import Clients
    from ocmp.clients.publisher_reports import ReportsApi
    from ocmp.core.reports import Rows

app = typer.Typer(help="Reports on published listings: installs and payouts.",
                  no_args_is_help=True)


class RowFormat(StrEnum):
    """How rows are printed."""

    table = "table"
    json = "json"
    csv = "csv"


def _remember(ctx: typer.Context, value: RowFormat) -> RowFormat:
    # As format_option does: --format json is the shared contract (the console writes the
    # document, and the root group an error document when the run fails before it).
    ctx.meta[FORMAT_META_KEY] = OutputFormat.json if value is RowFormat.json else OutputFormat.human
    ctx.meta[COMMAND_META_KEY] = command_path(ctx)
    ctx.meta[FORMATS_META_KEY] = (OutputFormat.human, OutputFormat.json)
    return value


RowFormatOption = Annotated[
    RowFormat,
    typer.Option("--format", "-f", help="table, json or csv.", metavar="table|json|csv",
                 parser=choice_of(RowFormat), callback=_remember),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout; "
                 "a table format becomes CSV, or JSON for a .json file.", metavar="FILE",
                 callback=remember_output, show_default=False),
]
PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(help="Listing projects (default: every listing of the compartment).",
                   show_default=False),
]
CompartmentOption = Annotated[
    str | None,
    typer.Option("--compartment", help="Compartment OCID (default: the projects' or the "
                 "tenancy).", show_default=False),
]


@cloud_options
def leads(
    paths: PathsArgument = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only leads from this date or time (YYYY-MM-DD or ISO).",
                     show_default=False),
    ] = None,
    cursor: Annotated[
        Path | None,
        typer.Option("--cursor", help="Remember the newest lead written in this file: the next "
                     "run writes only newer ones (a nightly export without duplicates).",
                     show_default=False),
    ] = None,
    compartment: CompartmentOption = None,
    fmt: RowFormatOption = RowFormat.table,
    output: OutputOption = None,
    *,
    cloud: CloudOptions,
) -> None:
    """The leads of the listings given (or of the compartment), newest first."""
    from ocmp.core import reports

    when = reports.parse_when(since, "--since") if since else None
    saved = reports.Cursor.load(cursor) if cursor else None
    rows = _read(cloud, paths, compartment, lambda api, where, listing_ids: reports.leads(
        api, where, listing_ids, since=when, cursor=saved))
    _emit(rows, fmt, output)
    if saved is not None:  # only once the rows are out: a failed write exports them again
        saved.advance(rows.rows)
        saved.save()


@app.command("installs")
@cloud_options
def installs(
    paths: PathsArgument = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Instances launched from this date (YYYY-MM-DD or ISO).",
                     show_default=False),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", help="… up to this date.", show_default=False),
    ] = None,
    export: Annotated[
        bool | None,
        typer.Option("--export/--no-export", help="Fetch through a report export (default: "
                     "for ranges over 92 days or without --since).", show_default=False),
    ] = None,
    compartment: CompartmentOption = None,
    fmt: RowFormatOption = RowFormat.table,
    output: OutputOption = None,
    *,
    cloud: CloudOptions,
) -> None:
    """Customer instances of the listings: who runs which version, shape, region, status."""
    from ocmp import console
    from ocmp.core import reports
    from ocmp.core.publish.run import PollSettings

    start = reports.parse_when(since, "--since") if since else None
    end = reports.parse_when(until, "--until") if until else None
    if start and end and end < start:
        raise typer.BadParameter("--until is before --since", param_hint="--until")
    use_export = reports.needs_export(start, end) if export is None else export

    def progress(what: str, elapsed: float, percent: float | None) -> None:
        done = f" {percent:.0f}%" if percent is not None else ""
        console.err.print(f"[dim]waiting for {what}{done} ({elapsed:.0f} s)[/]", highlight=False)

    rows = _read(cloud, paths, compartment, lambda api, where, listing_ids: reports.installs(
        api, where, listing_ids, since=start, until=end, export=use_export,
        token=f"{where}|{since}|{until}|{_today()}", poll=PollSettings.from_env(),
        progress=progress))
    _emit(rows, fmt, output)


class Range(StrEnum):
    """The disbursement report's date ranges."""

    last_month = "last-month"
    last_three_months = "last-three-months"
    last_six_months = "last-six-months"
    last_twelve_months = "last-twelve-months"
    last_eighteen_months = "last-eighteen-months"
    all_time = "all-time"


@app.command("payouts")
@cloud_options
def payouts(
    paths: PathsArgument = None,
    range_: Annotated[Range, typer.Option(
        "--range", help="The period to report.", parser=choice_of(Range),
        metavar="|".join(r.value for r in Range))] = (
        Range.last_month
    ),
    compartment: CompartmentOption = None,
    fmt: RowFormatOption = RowFormat.table,
    output: OutputOption = None,
    *,
    cloud: CloudOptions,
) -> None:
    """Disbursements (what Oracle pays out) of the listings for a period."""
    from ocmp.clients.publisher_reports import ReportsApi
    from ocmp.commands._cloud import cloud_session
    from ocmp.core import reports

    names = [_project(p).model.listing.name for p in paths or []] or None
    with cloud_session(cloud) as clients:
        where = _compartment(clients, paths or [], compartment)
        rows = reports.payouts(clients.get(ReportsApi), where,
                               range_.value.upper().replace("-", "_"), names)
    _emit(rows, fmt, output)


def _today() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y-%m-%d")


def _project(path: Path):  # type: ignore[no-untyped-def]
    from ocmp.core.publish.service import load_project

    return load_project(path)


def _compartment(clients: Clients, paths: list[Path], given: str | None) -> str:
    if given:
        return given
    for path in paths:
        found = _project(path).model.compartment
        if found:
            return str(found)
    return clients.tenancy_id


def _read(cloud: CloudOptions, paths: list[Path] | None, compartment: str | None,
          fetch: Callable[[ReportsApi, str, list[str] | None], Rows]) -> Rows:
    """``fetch(api, compartment, listing ids)`` in one cloud session, for the given projects."""
    from ocmp.clients.publisher_reports import ReportsApi
    from ocmp.commands._cloud import cloud_session

    with cloud_session(cloud) as clients:
        where, listing_ids = _scope(clients, paths or [], compartment)
        return fetch(clients.get(ReportsApi), where, listing_ids)


def _scope(clients: Clients, paths: list[Path], given: str | None) -> tuple[str, list[str] | None]:
    """The compartment, and the listing ids of ``paths`` (None: the whole compartment)."""
    from ocmp.clients.publisher import PublisherApi
    from ocmp.errors import CloudError

    where = _compartment(clients, paths, given)
    if not paths:
        return where, None
    api = clients.get(PublisherApi)
    ids: list[str] = []
    for path in paths:
        name = _project(path).model.listing.name
        found = api.find_listings(where, name)
        if not found:
            raise CloudError(f"there is no listing named {name!r} in the compartment",
                             status=404, hint="publish it first (ocmp publish), or check "
                             "the compartment")
        ids.append(found[0].id)
    return where, ids


def _emit(rows: Rows, fmt: RowFormat, output: Path | None) -> None:
    from ocmp import console
    from ocmp.formats import RunResult

    written = f"{len(rows.rows)} {rows.report} written to {output}"
    if output is not None and fmt is RowFormat.table:
        fmt = RowFormat.json if output.suffix.lower() == ".json" else RowFormat.csv
    if fmt is RowFormat.json:
        from typer._click.globals import get_current_context

        get_current_context().meta[FORMAT_META_KEY] = OutputFormat.json  # also a table → .json
        console.emit(rows.to_dict(), result=RunResult(rows.report,
                                                      summary=written if output else ""))
    elif output is not None:
        from ocmp.core.files import write_file_atomic

        write_file_atomic(output, rows.to_csv())
        console.err.print(written, highlight=False, markup=False)
    elif fmt is RowFormat.csv:
        import sys

        sys.stdout.write(rows.to_csv())
    else:
        from ocmp.console_progress import print_rows

        print_rows(console.out, rows)
