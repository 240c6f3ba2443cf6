"""`ocmp validate [PATH…]`: check listing projects offline; exit 1 on errors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ocmp.commands._cloud import CloudOptions, cloud_options
from ocmp.commands._options import FormatOption, OutputFormat


@cloud_options
def validate(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="listing.yaml files or project directories (default: .).", show_default=False
        ),
    ] = None,
    output: FormatOption = OutputFormat.human,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Only these rules (id, prefix like LST, or name)."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="Skip these rules (id, prefix or name)."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Warnings fail the run too (exit 1).")
    ] = False,
    online: Annotated[
        bool,
        typer.Option("--online", help="Also run the live tenancy checks of `ocmp doctor`."),
    ] = False,
    *,
    cloud: CloudOptions,
) -> None:
    """Check listing.yaml, its texts and assets (and the stack) against the rule catalogue."""
    from contextlib import ExitStack

    from ocmp import console
    from ocmp.core.findings import Report, Scope
    from ocmp.core.project import open_projects
    from ocmp.core.repository import is_repository, open_repository
    from ocmp.rules import run, select_rules

    select_rules(select or (), ignore or ())  # an unknown --select fails before any work
    projects = []
    for given in paths or ["."]:
        if is_repository(Path(given)):  # a release: its references are checked too
            projects += [m.project for m in open_repository(Path(given)).members]
        else:
            projects += open_projects([given])
    report = Report()
    with ExitStack() as session:
        scopes: tuple[Scope, ...] = (Scope.LISTING, Scope.STACK)
        if online:  # live tenancy checks (owner: doctor); one cloud session for all projects
            from ocmp.commands._cloud import cloud_session
            from ocmp.core.tenancy import attach

            clients = session.enter_context(cloud_session(cloud))
            scopes = (*scopes, Scope.TENANCY)
        for project in projects:
            if online:
                attach(project, clients)
            report.files.append(
                project.display(project.listing_path or project.stack_path or project.root)
            )
            report.extend(run(project, select=select or (), ignore=ignore or (), scopes=scopes))
    if output is OutputFormat.json:
        console.print_json(report.to_dict())
    else:
        console.print_report(report)
    if report.failed(strict=strict):
        raise typer.Exit(1)
