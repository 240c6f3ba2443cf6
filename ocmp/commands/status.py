"""`ocmp status [PATH]`: revision, package and artifact statuses, and the reviewer's notes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ocmp.commands._cloud import CloudOptions, cloud_options
from ocmp.commands._options import FormatOption, OutputFormat, ProjectArgument


@cloud_options
def status(
    path: ProjectArgument = Path(),
    show_all: Annotated[
        bool,
        typer.Option("--all", help="Also show withdrawn revisions and unpublished packages."),
    ] = False,
    output: FormatOption = OutputFormat.human,
    *,
    cloud: CloudOptions,
) -> None:
    """Show where the listing stands in the Marketplace; exit 1 when it does not exist yet.

    Withdrawn revisions and unpublished packages are shown with --all.
    """
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
        result = listing_status(
            api, compartment, loaded.model.listing.name, show_all=show_all
        )
    if output is OutputFormat.json:
        console.print_json(result.to_dict())
    else:
        print_status(console.out, result)
    if result.listing_id is None:
        raise typer.Exit(1)
