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


FORMAT_META_KEY = "ocmp.format"


def _remember_format(ctx: typer.Context, value: OutputFormat) -> OutputFormat:
    # The root group reads this to keep stdout one JSON document even when the
    # command fails before it could print its own (see ocmp.cli.OcmpGroup).
    ctx.meta[FORMAT_META_KEY] = value
    return value


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="human (Rich, on stderr/stdout) or json (one document on stdout).",
        callback=_remember_format,
    ),
]

ProjectArgument = Annotated[
    Path,
    typer.Argument(
        help="Listing project directory or its listing.yaml, or a repository holding several.",
        metavar="PATH",
    ),
]

OnlyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--only",
        help="In a repository: only these listings (name or folder; repeatable or "
        "comma-separated) and the image listings they need.",
        metavar="NAME",
        show_default=False,
    ),
]
