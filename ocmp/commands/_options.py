"""Option types shared by several commands (Annotated, Typer's recommended style).

``--format`` and ``--output`` only record what was chosen in the command's context
(:data:`FORMAT_META_KEY`, :data:`OUTPUT_META_KEY`): :func:`ocmp.console.emit` and the root
group's error handler read it there, so a command never branches on the format itself
(except to silence live progress when stdout carries a document).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import typer

# The enum and the keys live below the console, which reads them too.
from ocmp.formats import (
    COMMAND_META_KEY,
    FORMAT_META_KEY,
    FORMATS_META_KEY,
    OUTPUT_META_KEY,
    OutputFormat,
)

__all__ = ["FORMAT_META_KEY", "OUTPUT_META_KEY", "OutputFormat"]

# Which commands offer which formats ("where it makes sense"): findings go everywhere a
# CI system reads them; a publishing run has steps (JUnit test cases, GitHub notices) but no
# source locations (SARIF, GitLab Code Quality); everything else is for people or jq.
REPORT_FORMATS = tuple(OutputFormat)
RUN_FORMATS = (OutputFormat.human, OutputFormat.json, OutputFormat.junit, OutputFormat.github)
BASIC_FORMATS = (OutputFormat.human, OutputFormat.json)

_FORMAT_HELP = {
    OutputFormat.human: "human (default; plain file:line:col lines when not a terminal)",
    OutputFormat.json: "json (one document; `ocmp schema --for COMMAND` prints its JSON Schema)",
    OutputFormat.sarif: "sarif (SARIF 2.1.0)",
    OutputFormat.junit: "junit (JUnit XML)",
    OutputFormat.github: "github (workflow commands; the default when GITHUB_ACTIONS=true)",
    OutputFormat.gitlab: "gitlab (Code Quality report)",
}


E = TypeVar("E", bound=Enum)


def choice_of(choices: type[E] | Iterable[str], *, note: str = "") -> Callable[[Any], Any]:
    """A ``typer.Option(parser=…)`` for a flag taking one of ``choices``, in any case.

    Typer's own enum handling answers "Value error, 'paid' is not one of 'free', 'byol',
    'paygo'": a pydantic prefix and the choices folded to lower case. This names them as the
    help and the docs spell them ("'paid' is not one of FREE, BYOL, PAYGO"), and returns the
    choice (the enum member for an enum) in its own spelling.
    """
    members: dict[str, Any] = (
        {m.value: m for m in choices} if isinstance(choices, type) else {c: c for c in choices})

    def parse(value: Any) -> Any:
        if isinstance(value, Enum):
            return value  # a default, already a choice (a StrEnum also equals its text)
        text = str(value).strip()
        for spelling, member in members.items():
            if spelling.casefold() == text.casefold():
                return member
        raise typer.BadParameter(f"{text!r} is not one of {', '.join(members)}"
                                 + (f" ({note})" if note else ""))

    return parse


def tenancy_ocid(value: Any) -> str:
    """A ``typer.Option(parser=…)`` for a flag that takes a tenancy OCID."""
    from ocmp.schemas.common import is_tenancy_ocid

    text = str(value).strip()
    if not is_tenancy_ocid(text):
        kind = text.split(".")[1] if text.startswith("ocid1.") and "." in text[6:] else ""
        what = (f"an OCID of type {kind}, not a tenancy OCID" if kind and kind != "tenancy"
                else "not a tenancy OCID")
        raise typer.BadParameter(
            f"{text!r} is {what}: expected ocid1.tenancy.oc1..<id> (Console → Tenancy "
            "details, or the `tenancy` line of the customer's OCI config)")
    return text


def auto_format(offered: tuple[OutputFormat, ...]) -> OutputFormat:
    """The format when none is given: GitHub annotations inside GitHub Actions, else human."""
    if os.environ.get("GITHUB_ACTIONS") == "true" and OutputFormat.github in offered:
        return OutputFormat.github
    return OutputFormat.human


def command_path(ctx: Any) -> str:
    """The command's path without the program: ``validate``, ``terms push``."""
    names = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


def format_option(*offered: OutputFormat) -> Any:
    """The ``--format`` option offering ``offered`` (default: ``auto_format``)."""

    def remember(ctx: typer.Context, value: str | None) -> OutputFormat:
        # The root group reads these to keep stdout one document even when the command
        # fails before it could print its own (see ocmp.cli.OcmpGroup).
        chosen = OutputFormat(value) if value else auto_format(offered)
        ctx.meta[FORMAT_META_KEY] = chosen
        ctx.meta[COMMAND_META_KEY] = command_path(ctx)
        ctx.meta[FORMATS_META_KEY] = offered
        return chosen

    # A Literal of the offered names: Typer shows and checks them as choices.
    names: Any = Literal.__getitem__(tuple(f.value for f in offered))
    return Annotated[
        names | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="; ".join(_FORMAT_HELP[f] for f in offered) + ".",
            parser=choice_of(f.value for f in offered),
            callback=remember,
            show_default=False,
        ),
    ]


FormatOption = format_option(*BASIC_FORMATS)
ReportFormatOption = format_option(*REPORT_FORMATS)
RunFormatOption = format_option(*RUN_FORMATS)


def remember_output(ctx: typer.Context, value: Path | None) -> Path | None:
    """An ``--output`` callback: the console writes documents there (:func:`ocmp.console.emit`)."""
    ctx.meta[OUTPUT_META_KEY] = value
    return value


OutputFileOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the document (or the plain lines) to FILE, atomically; the summary "
        "stays on stderr.",
        callback=remember_output,
        show_default=False,
    ),
]


def _split_commas(value: list[str] | None) -> list[str]:
    """``--select A,B --select C`` is ``[A, B, C]``: both spellings CI configs use."""
    return [part.strip() for item in value or () for part in item.split(",") if part.strip()]


SelectOption = Annotated[
    list[str] | None,
    typer.Option(
        "--select",
        metavar="RULES",
        help="Only these rules: ids (LST001), prefixes (STK) or names; comma-separated "
        "or repeated.",
        callback=_split_commas,
        show_default=False,
    ),
]
IgnoreOption = Annotated[
    list[str] | None,
    typer.Option(
        "--ignore",
        metavar="RULES",
        help="Skip these rules (ids, prefixes or names); comma-separated or repeated.",
        callback=_split_commas,
        show_default=False,
    ),
]

StrictOption = Annotated[
    bool, typer.Option("--strict", help="Warnings fail the run too (exit 1).")
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


def at_least(minimum: float) -> Any:
    """An option callback refusing numbers below ``minimum`` (a range Typer would print as
    ``[x>=1]`` in the help, a Python-ism; the help text says it in words instead)."""

    def check(value: float) -> float:
        if value < minimum:
            raise typer.BadParameter(f"must be at least {minimum:g}")
        return value

    return check
