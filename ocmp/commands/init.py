"""`ocmp init DIR --kind image|stack`: scaffold a complete listing project that validates clean."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ocmp.commands._options import choice_of


class Kind(StrEnum):
    """The kind of listing to create."""

    image = "image"
    stack = "stack"


class PricingChoice(StrEnum):
    """Pricing models the Publisher API accepts."""

    FREE = "FREE"
    BYOL = "BYOL"
    PAYGO = "PAYGO"


# (option name, prompt text) in the order they are asked on a terminal.
QUESTIONS = (
    ("name", "Listing name"),
    ("headline", "Headline"),
    ("tagline", "Tagline"),
    ("company", "Company"),
    ("website", "Company website"),
    ("contact_name", "Support contact name"),
    ("contact_email", "Support contact e-mail"),
    ("image_ocid", "Source image OCID (image listings)"),
    ("pricing", "Pricing (FREE, BYOL, PAYGO)"),
    ("version", "Version"),
)


def _is_tty() -> bool:
    return sys.stdin.isatty()


def _opt(help_text: str) -> Any:
    return typer.Option(help=help_text)


def _checked(key: str, kind: str) -> Callable[[str], str]:
    """A prompt's value check: the validation the flags get, so a bad answer is re-asked."""

    def check(value: str) -> str:
        from ocmp.core.scaffold import answers_from
        from ocmp.errors import InputError

        value = value.strip()
        try:  # the answer in the spelling the flags and listing.yaml take (any case for codes)
            value = str(getattr(answers_from({"kind": kind, key: value}), key, value))
        except InputError as exc:
            # Click prints "Error: …" and asks the same question again.
            raise typer.BadParameter(exc.detail) from None
        return value

    return check


def init(
    directory: Annotated[Path, typer.Argument(help="The new project directory.")],
    kind: Annotated[
        Kind, typer.Option("--kind", "-k", help="image or stack listing.", metavar="image|stack",
                           parser=choice_of(Kind))
    ] = Kind.image,
    non_interactive: Annotated[
        bool, typer.Option("--non-interactive", help="Never prompt; use flags and defaults (CI).")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Write into a non-empty directory, replacing files.")
    ] = False,
    name: Annotated[str | None, _opt("Listing name (at most 80 characters).")] = None,
    headline: Annotated[str | None, _opt("Headline shown under the name.")] = None,
    tagline: Annotated[str | None, _opt("One-sentence tagline.")] = None,
    short_description: Annotated[str | None, _opt("Short description.")] = None,
    company: Annotated[str | None, _opt("Publisher company name.")] = None,
    website: Annotated[str | None, _opt("Publisher website (https://…).")] = None,
    contact_name: Annotated[str | None, _opt("Support contact name.")] = None,
    contact_email: Annotated[str | None, _opt("Support contact e-mail.")] = None,
    image_ocid: Annotated[str | None, _opt("Source image OCID (image listings).")] = None,
    pricing: Annotated[
        PricingChoice | None,
        typer.Option(help="FREE, BYOL or PAYGO.", metavar="FREE|BYOL|PAYGO",
                     parser=choice_of(PricingChoice, note="PAYGO is the paid model")),
    ] = None,
    version: Annotated[str | None, _opt("Version of the first release, e.g. 1.0.0.")] = None,
    release_date: Annotated[str | None, _opt("Release date, YYYY-MM-DD (default today).")] = None,
    product: Annotated[str | None, _opt("Product code, e.g. applications.")] = None,
    category: Annotated[str | None, _opt("Category code, e.g. DEVELOPER_TOOLS.")] = None,
    shape: Annotated[str | None, _opt("Compute shape, e.g. VM.Standard.E4.Flex.")] = None,
    image_listing: Annotated[
        list[str] | None,
        typer.Option(
            "--image-listing",
            help="Stack listings: an image listing the stack launches (its name in this "
            "repository, or a listing OCID; repeatable). `ocmp publish` of the repository "
            "subscribes the stack to it.",
            metavar="NAME|OCID",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create a complete image or stack listing project that passes `ocmp validate`."""
    from ocmp import console
    from ocmp.core.scaffold import InitAnswers, answers_from, create_project, free_name
    from ocmp.errors import InputError

    given: dict[str, Any] = {
        "kind": kind.value,
        "name": name,
        "headline": headline,
        "tagline": tagline,
        "short_description": short_description,
        "company": company,
        "website": website,
        "contact_name": contact_name,
        "contact_email": contact_email,
        "image_ocid": image_ocid,
        "pricing": pricing.value if pricing else None,
        "version": version,
        "release_date": release_date,
        "product": product,
        "category": category,
        "shape": shape,
        "image_listings": image_listing or None,
    }
    if image_listing and kind is not Kind.stack:
        raise typer.BadParameter("only stack listings launch image listings",
                                 param_hint="--image-listing")
    # the template's name, unless a listing beside it already has that name
    default_name = free_name(InitAnswers(kind=kind.value).name, kind.value, directory)
    if not non_interactive and _is_tty():
        defaults = InitAnswers(kind=kind.value, name=default_name)
        for key, text in QUESTIONS:
            if given[key] is None and not (key == "image_ocid" and kind is Kind.stack):
                given[key] = typer.prompt(
                    text,
                    default=str(getattr(defaults, key)),
                    value_proc=_checked(key, kind.value),
                )
    if given["name"] is None:
        given["name"] = default_name
    try:
        answers = answers_from(given)
    except InputError as exc:  # a flag's value: a usage error (exit 2), like Click's own
        raise typer.BadParameter(exc.detail, param_hint=exc.path) from None
    files = create_project(answers, directory, force=force)
    article = "an" if kind is Kind.image else "a"
    console.err.print(
        f"Created {article} {kind.value} listing project in {directory} ({len(files)} files). "
        f"Next: ocmp validate {directory}",
        highlight=False,
    )
