"""`ocmp status [PATH]`: revision, package and artifact statuses, and the reviewer's notes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ocmp.commands._cloud import CloudOptions, cloud_options
from ocmp.commands._options import FormatOption, OutputFileOption, ProjectArgument


@cloud_options
def status(
    path: ProjectArgument = Path(),
    show_all: Annotated[
        bool,
        typer.Option("--all", help="Also show withdrawn revisions and unpublished packages."),
    ] = False,
    output: FormatOption = None,
    output_file: OutputFileOption = None,
    *,
    cloud: CloudOptions,
) -> None:
    """Show where the listing (or each of a repository) stands; exit 1 if one is not live.

    Withdrawn revisions and unpublished packages are shown with --all.
    """
    from ocmp import console
    from ocmp.clients.publisher import PublisherApi
    from ocmp.commands._cloud import cloud_session, sandbox_hint
    from ocmp.console_progress import print_status
    from ocmp.core.publish.status import listing_status
    from ocmp.core.repository import open_repository

    repo = open_repository(path)
    results = []
    with cloud_session(cloud) as clients:
        api = clients.get(PublisherApi)
        for wave in repo.waves():
            for member in wave:
                model = member.project.listing.model
                compartment = model.compartment or clients.tenancy_id
                results.append(
                    listing_status(api, compartment, model.listing.name, show_all=show_all)
                )
    single = len(results) == 1 and (path.is_file() or (path / "listing.yaml").is_file())
    missing = any(r.listing_id is None for r in results)
    if missing:
        sandbox_hint(cloud, "the listing is not in this fresh sandbox")

    def human() -> None:
        for result in results:
            print_status(console.out, result)

    console.emit(
        results[0].to_dict() if single else {
            "repository": str(repo.root), "listings": [r.to_dict() for r in results]},
        exit_code=1 if missing else 0,
        human=human,
    )
