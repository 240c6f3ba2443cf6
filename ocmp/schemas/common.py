"""Reusable pieces of the listing.yaml models: strict base model, text-or-file, versions.

Values that a validation rule judges (lengths, enum-like codes, URLs) are typed loosely
on purpose (``str``): a wrong value then becomes a located *finding* with a hint, not a
load error. Structure (unknown keys, wrong types, malformed e-mail addresses) is the
models' business and fails loading with ``file:line: dotted.path: message``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

OCID_PATTERN = r"^ocid1\.[a-z0-9_-]+\.[a-z0-9_-]+\.[a-z0-9_-]*\.[A-Za-z0-9._-]+$"


class Strict(BaseModel):
    """Base of every listing.yaml section: unknown keys are errors, models are immutable."""

    # Built on first use: LISTING_ADAPTER builds what listing.yaml needs in one go, a
    # model's own validator only when it is used alone (a fifth less CPU to import them).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class FileRef(Strict):
    """A reference to a file of the project, relative to the directory of listing.yaml."""

    file: str = Field(description="Path relative to listing.yaml, e.g. docs/usage.md.")


def any_case(choices: Iterable[str]) -> BeforeValidator:
    """An enum value accepted in any case and kept in the API's spelling (``free`` → ``FREE``).

    listing.yaml, ``ocmp init``'s flags and its prompts all go through this, so a value one of
    them takes is taken by the others. An unknown value is left as it is, for the rule that
    judges it to name the choices.
    """
    by_fold = {choice.casefold(): choice for choice in choices}

    def canonical(value: Any) -> Any:
        if isinstance(value, str):
            return by_fold.get(value.strip().casefold(), value)
        return value

    return BeforeValidator(canonical)


def _no_numbers(value: Any) -> Any:
    # YAML reads `2.1` as a float and `2` as an int; a version must keep its exact spelling.
    if isinstance(value, bool | int | float):
        raise ValueError(f'{value!r} is a number; quote it so YAML keeps it as text: "{value}"')
    return value


def _date_to_text(value: Any) -> Any:
    # YAML turns 2026-11-24 into a date; the API takes the string form.
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


Text = Annotated[
    str | FileRef,
    Field(description="Inline text, or {file: docs/x.md} to read Markdown/HTML from a file."),
]
"""Inline text or a file whose content is the text (Markdown or simple HTML)."""

VersionText = Annotated[str, BeforeValidator(_no_numbers)]
"""A version string such as ``2.1.0``; bare YAML numbers are refused (they lose digits)."""

DateText = Annotated[
    str,
    BeforeValidator(_date_to_text),
    Field(description="ISO 8601 date, YYYY-MM-DD."),
]
"""A calendar date as the API takes it (``2026-11-24``)."""

Ocid = Annotated[str, Field(pattern=OCID_PATTERN, description="An Oracle Cloud ID (OCID).")]
"""An OCID: ``ocid1.<type>.<realm>.[region].<unique>``."""


def is_ocid(value: str) -> bool:
    """Whether ``value`` looks like an OCID (rather than, say, a listing name)."""
    import re

    return re.match(OCID_PATTERN, value) is not None
