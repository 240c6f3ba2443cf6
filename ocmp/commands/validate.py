"""`ocmp validate [PATH…]`: check listing projects offline; exit 1 on errors."""

from __future__ import annotations

from typing import Annotated

import typer

from ocmp.commands._options import FormatOption, OutputFormat


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
) -> None:
    """Check listing.yaml, its texts and assets (and the stack) against the rule catalogue."""
    from ocmp import console
    from ocmp.core.findings import Report
    from ocmp.core.project import open_projects
    from ocmp.rules import run, select_rules

    select_rules(select or (), ignore or ())  # an unknown --select fails before any work
    projects = open_projects(paths or ["."])
    report = Report()
    for project in projects:
        report.files.append(
            project.display(project.listing_path or project.stack_path or project.root)
        )
        report.extend(run(project, select=select or (), ignore=ignore or ()))
    if output is OutputFormat.json:
        console.print_json(report.to_dict())
    else:
        console.print_report(report)
    if report.failed(strict=strict):
        raise typer.Exit(1)
