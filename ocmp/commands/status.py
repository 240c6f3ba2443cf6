"""`ocmp status [PATH]`: revision, package and artifact statuses, and the reviewer's notes."""

from __future__ import annotations

from pathlib import Path

from ocmp.commands._cloud import CloudOptions, cloud_options
from ocmp.commands._options import FormatOption, OutputFileOption, ProjectArgument


@cloud_options
def status(
    path: ProjectArgument = Path(),
    output: FormatOption = None,
    output_file: OutputFileOption = None,
    *,
    cloud: CloudOptions,
) -> None:
    """Show where the listing stands in the Marketplace; exit 1 when it does not exist yet."""
    from ocmp import console
    from ocmp.clients.publisher import PublisherApi
    from ocmp.commands._cloud import cloud_session
    from ocmp.console_progress import print_status
    from ocmp.core.publish.service import load_project
    from ocmp.core.publish.status import listing_status

    loaded = load_project(path)
    with cloud_session(cloud) as clients:
        api = clients.get(PublisherApi)
        compartment = loaded.model.compartment or clients.tenancy_id
        result = listing_status(api, compartment, loaded.model.listing.name)
    console.emit(
        result.to_dict(),
        exit_code=1 if result.listing_id is None else 0,
        human=lambda: print_status(console.out, result),
    )
