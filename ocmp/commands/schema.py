"""`ocmp schema`: the JSON Schema of listing.yaml, generated from the models."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer


def schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout."),
    ] = None,
    document: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="COMMAND",
            help="Instead: the JSON Schema of `ocmp COMMAND --format json` documents "
            "(e.g. validate, 'terms push').",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of listing.yaml (or of a command's JSON output), for editors
    and CI."""
    import json

    from ocmp.core.files import write_file_atomic

    if document is not None:
        from ocmp.core.documents import BODIES, json_schema
        from ocmp.errors import InputError

        if document not in BODIES:
            raise InputError(f"--for: no JSON document for {document!r}",
                             hint="one of: " + ", ".join(BODIES))
        text = json.dumps(json_schema(document), indent=2) + "\n"
    else:
        from ocmp.schemas import schema_text

        text = schema_text()
    if output is None:
        sys.stdout.write(text)
        return
    write_file_atomic(output, text)
