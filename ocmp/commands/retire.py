"""`ocmp withdraw`, `ocmp unpublish --package-version V`, `ocmp delete`: retiring a listing.

Thin: parse options, open the project and a cloud session, hand over to
:func:`ocmp.core.publish.service.retire`, hand the outcome to the console as `ocmp publish`
does (its :class:`~ocmp.core.documents.PublishDoc` under ``--format json``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ocmp.commands._cloud import CloudOptions, cloud_options
from ocmp.commands._options import FormatOption, ProjectArgument, at_least

DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Only show what would change; nothing is written.")
]
TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        help="Give up waiting after this many seconds (at least 1); a re-run continues.",
        callback=at_least(1),
    ),
]


@cloud_options
def withdraw(
    path: ProjectArgument = Path(),
    dry_run: DryRunOption = False,
    timeout: TimeoutOption = 3600.0,
    output: FormatOption = None,
    *,
    cloud: CloudOptions,
) -> None:
    """Withdraw the published revision: the listing leaves the Marketplace (kept, archived)."""
    _run(path, "withdraw", dry_run=dry_run, timeout=timeout, cloud=cloud)


@cloud_options
def unpublish(
    path: ProjectArgument = Path(),
    package_version: Annotated[
        str,
        typer.Option("--package-version", help="The package version to retire (not the default)."),
    ] = "",
    dry_run: DryRunOption = False,
    timeout: TimeoutOption = 3600.0,
    output: FormatOption = None,
    *,
    cloud: CloudOptions,
) -> None:
    """Retire one package version while the listing stays published."""
    if not package_version:
        raise typer.BadParameter("--package-version is required", param_hint="--package-version")
    _run(
        path,
        "unpublish",
        dry_run=dry_run,
        timeout=timeout,
        cloud=cloud,
        version=package_version,
    )


@cloud_options
def delete(
    path: ProjectArgument = Path(),
    confirm: Annotated[
        str | None,
        typer.Option(
            "--confirm",
            help="The listing's name, confirming the delete (for CI).",
            show_default=False,
        ),
    ] = None,
    dry_run: DryRunOption = False,
    timeout: TimeoutOption = 3600.0,
    output: FormatOption = None,
    *,
    cloud: CloudOptions,
) -> None:
    """Delete a listing that is not published, with all its revisions (asks for its name)."""
    from ocmp.core.publish.service import load_project

    if confirm is None and not dry_run:
        name = load_project(path).model.listing.name
        if sys.stdin.isatty():
            confirm = typer.prompt(f"Type the listing's name ({name}) to delete it")
        else:
            raise typer.BadParameter(
                f"deleting needs confirmation: pass --confirm {name!r}", param_hint="--confirm"
            )
    _run(
        path,
        "delete",
        dry_run=dry_run,
        timeout=timeout,
        cloud=cloud,
        confirm=confirm or "",
    )


def _run(
    path: Path,
    action: str,
    *,
    dry_run: bool,
    timeout: float,
    cloud: CloudOptions,
    version: str | None = None,
    confirm: str = "",
) -> None:
    from ocmp import console
    from ocmp.commands._cloud import cloud_session
    from ocmp.console_progress import RichReporter, print_outcome, run_result
    from ocmp.core.progress import NullReporter, Reporter
    from ocmp.core.publish.engine import Outcome
    from ocmp.core.publish.run import Target
    from ocmp.core.publish.service import load_project, prepare_run, retire
    from ocmp.errors import OcmpError

    loaded = load_project(path)
    # Live progress only where stdout is not a document.
    reporter: Reporter = RichReporter(console.err) if console.shows_progress() else NullReporter()
    with cloud_session(cloud) as clients:
        run = prepare_run(
            clients,
            loaded,
            target=Target.DRAFT,
            dry_run=dry_run,
            timeout=timeout,
            reporter=reporter,
        )
        try:
            outcome = retire(run, action, version=version, confirm=confirm)
        except OcmpError as exc:
            if isinstance(exc.outcome, Outcome):  # what the run reached: the error document
                console.partial(exc.outcome.to_dict(), run_result(action, [exc.outcome]))
            raise
    console.emit(outcome.to_dict(), result=run_result(action, [outcome]),
                 human=lambda: print_outcome(console.out, outcome))
