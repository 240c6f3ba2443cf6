"""`ocmp doctor [PATH]`: check the publisher tenancy (and the listing's live prerequisites)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ocmp.commands._cloud import CloudOptions, cloud_options
from ocmp.commands._options import (
    IgnoreOption,
    OutputFileOption,
    ReportFormatOption,
    SelectOption,
    StrictOption,
)

if TYPE_CHECKING:
    from ocmp.core.findings import Report


@cloud_options
def doctor(
    path: Annotated[
        str | None,
        typer.Argument(
            help="A listing project or its listing.yaml (default: . when it holds a "
            "listing.yaml; otherwise only the tenancy is checked).",
            show_default=False,
        ),
    ] = None,
    output: ReportFormatOption = None,
    output_file: OutputFileOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    strict: StrictOption = False,
    *,
    cloud: CloudOptions,
) -> None:
    """Check the tenancy: publisher account, Ashburn, the marketplace IAM policy, the
    listing's image and shapes, terms, open revisions. Exit 1 when a check fails."""
    from ocmp import console
    from ocmp.commands._cloud import cloud_session
    from ocmp.core.findings import Report, Scope
    from ocmp.core.project import LISTING_FILE, Project, open_projects
    from ocmp.core.tenancy import read_facts
    from ocmp.formats import RunResult
    from ocmp.rules import run, select_rules

    rules = select_rules(select or (), ignore or (), scopes=(Scope.TENANCY,))
    if path is None and (Path.cwd() / LISTING_FILE).is_file():
        path = "."
    project = open_projects([path])[0] if path is not None else Project(root=Path.cwd())
    report = Report()
    with cloud_session(cloud) as clients:
        model = project.listing.model if project.listing_path is not None else None
        facts = read_facts(clients, model, project.root)
        subject = f"tenancy {clients.tenancy_id}"
        if project.listing_path is not None:
            subject += f" for {project.display(project.listing_path)}"
        if console.shows_progress():
            console.err.print(
                f"[dim]checking {subject} ({clients.credentials.source})[/]", highlight=False
            )
        report.files.extend(project.checked_files() if project.listing_path else [subject])
        report.extend(run(project, select=select or (), ignore=ignore or (),
                          scopes=(Scope.TENANCY,), tenancy=facts))
        missing = facts.missing_image()  # read once more from the cache, inside the session

    def human() -> None:
        _print_checklist([(r.id, r.summary) for r in rules], report, facts.kind, missing)
        console.print_report(report, title="checked")

    console.emit(
        report.to_dict(),
        exit_code=1 if report.failed(strict=strict) else 0,
        result=RunResult("doctor", report=report, rules=rules,
                         summary=console.report_summary(report)),
        human=human,
    )


def _print_checklist(
    checks: list[tuple[str, str]], report: Report, kind: str | None, missing_image: str | None
) -> None:
    """One line per check: ✓ passed, ✗ error, ! warning, i info, – does not apply or was not
    checked (stderr). A check that needs the listing's image is never ✓ when the image does
    not exist: it could not look at anything."""
    from ocmp import console
    from ocmp.core.findings import Severity
    from ocmp.rules.tenancy_common import LISTING_KINDS, NEEDS_IMAGE

    worst: dict[str, Severity] = {}
    for f in report.findings:
        if f.rule not in worst or f.severity.rank < worst[f.rule].rank:
            worst[f.rule] = f.severity
    marks = {
        Severity.ERROR: "[red]✗[/]",
        Severity.WARNING: "[yellow]![/]",
        Severity.INFO: "[cyan]i[/]",
    }
    for rule_id, summary in checks:
        kinds = LISTING_KINDS.get(rule_id)
        if rule_id not in worst and kinds is not None and kind not in kinds:
            needs = " or ".join(sorted(kinds))
            article = "an" if needs[0] in "aeiou" else "a"
            console.err.print(
                f" [dim]– {rule_id} {summary} (needs {article} {needs} listing)[/]",
                highlight=False,
            )
            continue
        if rule_id not in worst and rule_id in NEEDS_IMAGE and missing_image is not None:
            console.err.print(
                f" [dim]– {rule_id} {summary} (not checked: image {missing_image} does not "
                "exist)[/]",
                highlight=False,
            )
            continue
        mark = marks[worst[rule_id]] if rule_id in worst else "[green]✓[/]"
        console.err.print(f" {mark} [dim]{rule_id}[/] {summary}", highlight=False)
