"""`ocmp status [PATH]`: revision, package and artifact statuses, and the reviewer's notes."""

from __future__ import annotations

from pathlib import Path

import typer

from ocmp.commands._cloud import CloudOptions, cloud_options
from ocmp.commands._options import FormatOption, OutputFormat, ProjectArgument


@cloud_options
def status(
    path: ProjectArgument = Path(),
    output: FormatOption = OutputFormat.human,
    *,
    cloud: CloudOptions,
) -> None:
    """Show where the listing (or each of a repository) stands; exit 1 if one is not live."""
    from ocmp import console
    from ocmp.clients.publisher import PublisherApi
    from ocmp.commands._cloud import cloud_session
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
                results.append(listing_status(api, compartment, model.listing.name))
    single = len(results) == 1 and (path.is_file() or (path / "listing.yaml").is_file())
    if output is OutputFormat.json:
        console.print_json(results[0].to_dict() if single else {
            "version": 1, "repository": str(repo.root),
            "listings": [r.to_dict() for r in results]})
    else:
        for result in results:
            print_status(console.out, result)
    if any(r.listing_id is None for r in results):
        raise typer.Exit(1)
