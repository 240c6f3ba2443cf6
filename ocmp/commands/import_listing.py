"""`ocmp import --listing-id OCID [DIR]`: write listing.yaml and its files from a live listing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ocmp.commands._cloud import CloudOptions, cloud_options
from ocmp.commands._options import FormatOption


@cloud_options
def import_listing(
    listing_id: Annotated[
        str, typer.Option("--listing-id", help="OCID of the Publisher listing to import.")
    ],
    directory: Annotated[
        Path | None,
        typer.Argument(
            help="New directory for the project [default: the listing's name].", show_default=False
        ),
    ] = None,
    output: FormatOption = None,
    *,
    cloud: CloudOptions,
) -> None:
    """Create a listing project (listing.yaml, texts, icon, terms, Terraform) from the live one."""
    from ocmp import console
    from ocmp.clients.publisher import PublisherApi
    from ocmp.clients.resource_manager import ResourceManagerApi
    from ocmp.commands._cloud import cloud_session
    from ocmp.core.publish.importer import import_listing as run_import

    with cloud_session(cloud) as c:
        stats = c.stats
        result = run_import(
            c.get(PublisherApi), c.get(ResourceManagerApi), listing_id, directory, c.tenancy_id
        )
    def human() -> None:
        console.out.print(
            f"imported {listing_id} into {result.directory} ({len(result.files)} files)",
            highlight=False,
        )
        for note in result.skipped:
            console.err.print(f"[yellow]note:[/] {note}", highlight=False)

    console.emit(
        {
            "directory": str(result.directory),
            "files": result.files,
            "skipped": result.skipped,
            "calls": {"requests": stats.requests},
        },
        human=human,
    )
