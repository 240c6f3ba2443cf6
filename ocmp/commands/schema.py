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
) -> None:
    """Print the JSON Schema of listing.yaml, for editors and CI."""
    from ocmp.core.files import write_file_atomic
    from ocmp.schemas import schema_text

    text = schema_text()
    if output is None:
        sys.stdout.write(text)
        return
    write_file_atomic(output, text)
