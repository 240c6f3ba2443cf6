"""Option types shared by several commands (Annotated, Typer's recommended style)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class OutputFormat(StrEnum):
    """How results are printed."""

    human = "human"
    json = "json"


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format", "-f", help="human (Rich, on stderr/stdout) or json (one document on stdout)."
    ),
]

ProjectArgument = Annotated[
    Path, typer.Argument(help="Listing project directory or its listing.yaml.")
]
