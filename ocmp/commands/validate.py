"""`ocmp validate [PATH…]`: check listing projects offline; exit 1 on errors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ocmp.commands._cloud import CloudOptions, cloud_options
from ocmp.commands._options import (
    IgnoreOption,
    OutputFileOption,
    ReportFormatOption,
    SelectOption,
    StrictOption,
)


@cloud_options
def validate(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="listing.yaml files or project directories (default: .).", show_default=False
        ),
    ] = None,
    output: ReportFormatOption = None,
    output_file: OutputFileOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    strict: StrictOption = False,
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
    from ocmp.core.project import combined, open_projects
    from ocmp.core.repository import is_repository, open_repository
    from ocmp.errors import InputError
    from ocmp.formats import RunResult
    from ocmp.rules import run, select_rules

    # Live tenancy checks (as `ocmp doctor`) only with --online: offline, their rule groups
    # are not even imported.
    scopes: tuple[Scope, ...] = (Scope.LISTING, Scope.STACK)
    if online:
        scopes = (*scopes, Scope.TENANCY)
    rules = select_rules(select or (), ignore or (), scopes)  # an unknown --select fails first
    projects = []
    problems: list[InputError] = []
    for given in paths or ["."]:
        try:  # every path given is checked before the run stops on bad input
            if is_repository(Path(given)):  # a release: its references are checked too
                projects += [m.project for m in open_repository(Path(given)).members]
            else:
                projects += open_projects([given])
        except InputError as exc:
            problems.append(exc)
    if problems:
        raise combined(problems)
    report = Report()
    with ExitStack() as session:
        if online:  # one cloud session for all projects
            from ocmp.commands._cloud import cloud_session
            from ocmp.core.tenancy import read_facts

            clients = session.enter_context(cloud_session(cloud))
        for project in projects:
            facts = None
            if online:
                model = project.listing.model if project.listing_path is not None else None
                facts = read_facts(clients, model, project.root)
            report.files.extend(project.checked_files())
            report.extend(run(project, select=select or (), ignore=ignore or (), scopes=scopes,
                              tenancy=facts))
    console.emit(
        report.to_dict(),
        exit_code=1 if report.failed(strict=strict) else 0,
        result=RunResult("validate", report=report, rules=rules,
                         summary=console.report_summary(report)),
        human=lambda: console.print_report(report),
    )
