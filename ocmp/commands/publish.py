"""`ocmp publish [PATH]` and `ocmp plan [PATH]`: apply listing.yaml to the Marketplace.

Thin: parse options, open the project and a cloud session, hand over to
:mod:`ocmp.core.publish`, print the outcome. ``plan`` is ``publish --dry-run``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ocmp.commands._cloud import CloudOptions, cloud_options
from ocmp.commands._options import (
    OnlyOption,
    OutputFileOption,
    ProjectArgument,
    RunFormatOption,
    at_least,
)

if TYPE_CHECKING:
    from ocmp.core.publish.run import Target

TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        help="Give up waiting (review, work requests) after this many seconds (at least 1); "
        "a re-run continues.",
        callback=at_least(1),
    ),
]


@cloud_options
def publish(
    path: ProjectArgument = Path(),
    submit: Annotated[
        bool, typer.Option("--submit", help="Also submit for Oracle's review.")
    ] = False,
    private: Annotated[
        bool, typer.Option("--private", help="Submit, wait for approval, publish privately.")
    ] = False,
    allow_tenancy: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-tenancy",
            help="Tenancy OCID allowed to see a private listing "
            "(repeatable; adds to publish.private.allowed_tenancies).",
        ),
    ] = None,
    public: Annotated[
        bool, typer.Option("--public", help="Submit, wait for approval, publish to everyone.")
    ] = False,
    confirm_public: Annotated[
        bool, typer.Option("--confirm-public", help="Required with --public.")
    ] = False,
    no_wait: Annotated[
        bool, typer.Option("--no-wait", help="Return after submitting; a later run continues.")
    ] = False,
    verify: Annotated[
        bool | None,
        typer.Option(
            "--verify/--no-verify",
            help="Stack listings: run a Resource Manager PLAN job of the stack before its "
            "artifact (default: when the run submits).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only show the plan (same as `ocmp plan`).")
    ] = False,
    resubmit: Annotated[
        bool,
        typer.Option(
            "--resubmit",
            help="Submit a rejected revision again even though this run changed nothing in it.",
        ),
    ] = False,
    timeout: TimeoutOption = 3600.0,
    only: OnlyOption = None,
    output: RunFormatOption = None,
    output_file: OutputFileOption = None,
    *,
    cloud: CloudOptions,
) -> None:
    """Create or update the listing so it matches listing.yaml; optionally submit and publish.

    PATH may be a repository holding several listing projects: image listings are published
    first, then each stack is subscribed to them (`ocmp stack subscribe`) and published.
    Nothing is uploaded while `ocmp validate` finds errors.
    """
    from ocmp.core.publish.run import Target

    if public and private:
        raise typer.BadParameter("choose --private or --public, not both")
    if public and not confirm_public:
        raise typer.BadParameter("--public publishes to every OCI customer; add --confirm-public")
    if allow_tenancy and not private:
        raise typer.BadParameter("--allow-tenancy only makes sense with --private")
    if resubmit and not (submit or private or public):
        raise typer.BadParameter("--resubmit only makes sense with --submit, --private or --public")
    target = (
        Target.PUBLIC
        if public
        else Target.PRIVATE
        if private
        else Target.SUBMIT
        if submit
        else Target.DRAFT
    )
    _run(
        path,
        target,
        dry_run=dry_run,
        wait=not no_wait,
        verify=verify,
        allow=allow_tenancy or [],
        timeout=timeout,
        cloud=cloud,
        resubmit=resubmit,
        only=only,
    )


@cloud_options
def plan(
    path: ProjectArgument = Path(),
    only: OnlyOption = None,
    output: RunFormatOption = None,
    output_file: OutputFileOption = None,
    *,
    cloud: CloudOptions,
) -> None:
    """Show what `ocmp publish` would change, compared with the live listing."""
    from ocmp.core.publish.run import Target

    _run(
        path,
        Target.DRAFT,
        dry_run=True,
        wait=True,
        verify=False,
        allow=[],
        timeout=3600.0,
        cloud=cloud,
        only=only,
    )


def _run(
    path: Path,
    target: Target,
    *,
    dry_run: bool,
    wait: bool,
    verify: bool | None,
    allow: list[str],
    timeout: float,
    cloud: CloudOptions,
    resubmit: bool = False,
    only: list[str] | None = None,
) -> None:
    from ocmp import console
    from ocmp.commands._cloud import cloud_session, sandbox_hint, targets_sandbox
    from ocmp.console_progress import CliObserver, print_release, print_single, release_result
    from ocmp.core.repository import open_repository
    from ocmp.release.gate import ValidationFailed, refuse_placeholders
    from ocmp.release.runner import ReleaseOptions, run_release, validate_release

    # Where a Ctrl-C outside the listings' step loops lands (each loop names its own step).
    phase = "checking the projects, before the first step; nothing was written"
    try:
        repo = open_repository(path)
        if only:
            repo = repo.only([n.strip() for item in only for n in item.split(",") if n.strip()])
        single = len(repo.members) == 1 and not only and (path.is_file() or (
            path / "listing.yaml").is_file())
        human = console.current_format().value == "human"

        def refused(exc: ValidationFailed) -> ValidationFailed:
            if human:
                console.print_report(exc.report, title="checked before publishing")
            from ocmp.formats import RunResult

            console.partial({"validation": exc.report.to_dict()},
                            RunResult("publish", report=exc.report,
                                      summary=console.report_summary(exc.report)))
            return exc

        try:
            validate_release(repo)  # nothing is uploaded, nor asked, while validation refuses
        except ValidationFailed as exc:
            raise refused(exc) from None
        options = ReleaseOptions(
            target=target,
            dry_run=dry_run,
            wait=wait,
            verify=verify,
            allow_tenancies=allow,
            timeout=timeout,
            resubmit=resubmit,
        )
        observer = CliObserver(console.err, human=console.shows_progress())
        phase = "connecting to the service, before the first step; nothing was written"
        with cloud_session(cloud) as clients:
            if not targets_sandbox(cloud):  # demo texts and OCIDs are for the sandbox only
                _ = clients.credentials  # a broken config is told first (no request is made)
                try:
                    refuse_placeholders([m.project for m in repo.members])
                except ValidationFailed as exc:
                    raise refused(exc) from None
            release = run_release(clients, repo, options, observer)
        phase = "printing the outcome; every listing had finished"
        command = "plan" if dry_run else "publish"
        if not dry_run:
            sandbox_hint(cloud, "what this run published lived in this command's sandbox only")
        elif any(r.outcome is not None and "listing" in r.outcome.would_create
                 for r in release.results):
            sandbox_hint(cloud, "the listing is not in this fresh sandbox")
        if single:
            print_single(command, release.results[0], human=human)
            return
        # A repository run: ONE document for the run, with a result per listing.
        console.emit(
            release.to_dict(),
            exit_code=release.exit_code,
            result=release_result(command, release),
            human=lambda: print_release(console.out, release),
        )
    except KeyboardInterrupt:
        from ocmp.errors import WorkflowInterrupted

        raise WorkflowInterrupted(f"interrupted while {phase}",
                                  hint="run the same command again") from None
