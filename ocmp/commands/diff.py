"""`ocmp diff [PATH]`: drift between listing.yaml and the live listing; exit 1 when they differ."""

from __future__ import annotations

from pathlib import Path

from ocmp.commands._cloud import CloudOptions, cloud_options
from ocmp.commands._options import OutputFileOption, ProjectArgument, RunFormatOption


@cloud_options
def diff(
    path: ProjectArgument = Path(),
    output: RunFormatOption = None,
    output_file: OutputFileOption = None,
    *,
    cloud: CloudOptions,
) -> None:
    """Show where the live listing differs from listing.yaml (exit 1 when it does)."""
    from ocmp import console
    from ocmp.commands._cloud import cloud_session
    from ocmp.console_progress import print_outcome, run_result
    from ocmp.core.publish.drift import drift
    from ocmp.core.publish.run import Target
    from ocmp.core.publish.service import load_project, prepare_run

    loaded = load_project(path)
    with cloud_session(cloud) as c:
        outcome = drift(prepare_run(c, loaded, target=Target.DRAFT, dry_run=True))
    console.emit(
        outcome.to_dict(),
        exit_code=1 if outcome.changes else 0,
        result=run_result("diff", [outcome]),
        human=lambda: print_outcome(console.out, outcome),
    )
