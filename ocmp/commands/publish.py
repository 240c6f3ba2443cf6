"""`ocmp publish [PATH]` and `ocmp plan [PATH]`: apply listing.yaml to the Marketplace.

Thin: parse options, open the project and a cloud session, hand over to
:mod:`ocmp.core.publish`, print the outcome. ``plan`` is ``publish --dry-run``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ocmp.commands._cloud import CloudOptions, cloud_options
from ocmp.commands._options import FormatOption, OutputFormat, ProjectArgument

if TYPE_CHECKING:
    from ocmp.core.publish.run import Target

TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        help="Give up waiting (review, work requests) after this many seconds; a re-run continues.",
        min=1,
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
        bool, typer.Option("--verify", help="Stack listings: run a Resource Manager PLAN job.")
    ] = False,
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
    output: FormatOption = OutputFormat.human,
    *,
    cloud: CloudOptions,
) -> None:
    """Create or update the listing so it matches listing.yaml; optionally submit and publish."""
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
        output=output,
        cloud=cloud,
        resubmit=resubmit,
    )


@cloud_options
def plan(
    path: ProjectArgument = Path(),
    output: FormatOption = OutputFormat.human,
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
        output=output,
        cloud=cloud,
    )


def _run(
    path: Path,
    target: Target,
    *,
    dry_run: bool,
    wait: bool,
    verify: bool,
    allow: list[str],
    timeout: float,
    output: OutputFormat,
    cloud: CloudOptions,
    resubmit: bool = False,
) -> None:
    from ocmp import console
    from ocmp.commands._cloud import cloud_session
    from ocmp.console_progress import RichReporter, print_outcome, print_rejection
    from ocmp.core.progress import NullReporter, Reporter
    from ocmp.core.publish.service import load_project, prepare_run
    from ocmp.core.publish.service import publish as run_publish
    from ocmp.core.publish.steps_review import ReviewRejected
    from ocmp.errors import OcmpError

    # Where a Ctrl-C outside the step loop lands (the loop names its own step).
    before = ", before the first step; nothing was written"
    phase = "loading the project" + before
    try:
        loaded = load_project(path)
        reporter: Reporter = (
            NullReporter() if output is OutputFormat.json else RichReporter(console.err)
        )
        phase = "connecting to the service" + before
        with cloud_session(cloud) as clients:
            phase = "reading the journal and the live listing" + before
            run = prepare_run(
                clients,
                loaded,
                target=target,
                dry_run=dry_run,
                wait=wait,
                verify=verify,
                allow_tenancies=allow,
                timeout=timeout,
                reporter=reporter,
                resubmit=resubmit,
            )
            try:
                outcome = run_publish(run, loaded)
                phase = "printing the outcome; every step had finished"
            except OcmpError as exc:
                # CI gets its one JSON document even when the run stops part-way.
                if output is OutputFormat.json:
                    doc = run.result.to_dict() if run.result is not None else {"error": exc.message}
                    if isinstance(exc, ReviewRejected):
                        doc["review"] = {
                            "status": "REJECTED",
                            "revision": exc.revision_id,
                            "notes": [vars(n) for n in exc.notes],
                        }
                    console.print_json(doc)
                elif isinstance(exc, ReviewRejected):
                    print_rejection(console.out, loaded.display, exc)
                raise
        if output is OutputFormat.json:
            console.print_json(outcome.to_dict())
        else:
            print_outcome(console.out, outcome)
    except KeyboardInterrupt:  # the step loop turns its own into WorkflowInterrupted
        from ocmp.errors import WorkflowInterrupted

        raise WorkflowInterrupted(
            f"interrupted while {phase}",
            hint="run the same command again",
        ) from None
