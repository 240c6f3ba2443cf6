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
    from ocmp.commands._cloud import cloud_session, sandbox_hint
    from ocmp.console_progress import print_outcome, run_result
    from ocmp.core.publish.drift import drift
    from ocmp.core.publish.run import Target
    from ocmp.core.publish.service import prepare_run
    from ocmp.core.repository import open_repository

    repo = open_repository(path)
    outcomes = []
    with cloud_session(cloud) as c:
        for wave in repo.waves():
            for member in wave:
                loaded = member.project.listing
                outcomes.append(drift(prepare_run(c, loaded, target=Target.DRAFT, dry_run=True)))
    single = len(outcomes) == 1 and (path.is_file() or (path / "listing.yaml").is_file())
    if any("listing" not in o.ids for o in outcomes):  # not found: nothing to compare with
        sandbox_hint(cloud, "the listing is not in this fresh sandbox")

    def human() -> None:
        for outcome in outcomes:
            print_outcome(console.out, outcome)

    console.emit(
        outcomes[0].to_dict() if single else {
            "repository": str(repo.root), "listings": [o.to_dict() for o in outcomes]},
        exit_code=1 if any(o.changes for o in outcomes) else 0,
        result=run_result("diff", outcomes),
        human=human,
    )
