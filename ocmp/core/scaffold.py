"""Render an ``ocmp init`` template into a new project directory, all or nothing.

Templates live in ``ocmp/templates`` (shipped in the wheel, read with importlib.resources):
``common/`` then ``<kind>/`` are laid down; ``*.j2`` files are rendered with Jinja2
(StrictUndefined, trailing newline kept) and lose their suffix, everything else is copied
byte for byte. The project is rendered in a temporary directory beside the destination and
moved into place only when complete, so a failure leaves nothing half-written.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import shutil
import unicodedata
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ocmp.core.files import check_writable, write_error, write_file_atomic
from ocmp.core.kinds import kind_of
from ocmp.errors import InputError
from ocmp.schemas import schema_text
from ocmp.schemas.common import OCID_PATTERN, any_case
from ocmp.schemas.email import Email
from ocmp.schemas.listing import PRICING_TYPES

DEMO_IMAGE_OCID = "ocid1.image.oc1.iad.aaaaaaaaocmpdemoimage"
SCHEMA_FILE = "listing.schema.json"


class InitAnswers(BaseModel):
    """The answers ``ocmp init`` asks for; defaults are the demo tenancy's facts."""

    # Built when `ocmp init` asks, not when LST017 reads the defaults (model_fields).
    model_config = ConfigDict(extra="forbid", defer_build=True)

    kind: Literal["image", "stack"] = "image"
    name: str = Field("Acme Demo App", min_length=1, max_length=80)
    headline: str = Field("A ready-to-run demo application for OCI", min_length=1)
    tagline: str = Field("Deploy the demo app on OCI in minutes.", min_length=1)
    short_description: str = Field(
        "A small web application that shows how to publish on Oracle Cloud Marketplace.",
        min_length=1,
    )
    company: str = Field("Acme Corp", min_length=1)
    website: str = Field("https://acme.example", pattern=r"^https?://[^\s/]+")
    contact_name: str = Field("Acme Support", min_length=1)
    contact_email: Email = "support@acme.example"
    image_ocid: str = Field(DEMO_IMAGE_OCID, pattern=OCID_PATTERN)
    pricing: Annotated[Literal["FREE", "BYOL", "PAYGO"], any_case(PRICING_TYPES)] = "FREE"
    version: str = Field("1.0.0", pattern=r"^[A-Za-z0-9][A-Za-z0-9 _.+-]*$")
    release_date: dt.date = Field(default_factory=dt.date.today)
    product: str = Field("applications", min_length=1)
    category: str = Field("DEVELOPER_TOOLS", min_length=1)
    shape: str = Field("VM.Standard.E4.Flex", min_length=1)
    # Stack listings: the image listings the stack launches (names in the repository, OCIDs).
    image_listings: list[str] = Field(default_factory=list)

    @field_validator("*", mode="after")
    @classmethod
    def _one_line(cls, value: Any) -> Any:
        # Each answer lands on one line of listing.yaml: a newline, a carriage return or
        # a blank name would give a project that `ocmp validate` refuses.
        if isinstance(value, str):
            if any(unicodedata.category(c) in ("Cc", "Cs") for c in value):
                raise ValueError("must be one line of text, without control characters")
            if not value.strip():
                raise ValueError("must not be blank")
        return value

    def context(self) -> dict[str, Any]:
        """The variables every template file sees."""
        values = self.model_dump(mode="json")
        values["slug"] = slugify(self.name)
        values["terms_name"] = f"{self.name} Terms of Use"
        return values


# A pattern mismatch reads as a regex to the user; say what is expected instead.
EXPECTED = {
    "website": "an http:// or https:// address, e.g. https://acme.example",
    "image_ocid": f"an image OCID, e.g. {DEMO_IMAGE_OCID}",
    "version": "letters, digits, spaces and . _ + - only, starting with a letter or digit "
    "(e.g. 1.0.0)",
}


def answers_from(values: dict[str, Any]) -> InitAnswers:
    """Validate answers; a bad one is an input error naming its ``--option``.

    ``ocmp init`` also calls it with one answer at a time, to re-ask a bad one at once.
    """
    try:
        return InitAnswers(**{k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        key = str(error["loc"][0])
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "string_pattern_mismatch" and key in EXPECTED:
            message = f"expected {EXPECTED[key]}"
        raise InputError(f"--{key.replace('_', '-')}: {message}") from None


def slugify(name: str) -> str:
    """``Acme Firewall 2`` → ``acme-firewall-2``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "listing"


def _templates() -> Traversable:
    return resources.files("ocmp").joinpath("templates")


def _walk(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for entry in sorted(folder.iterdir(), key=lambda t: t.name):
        if entry.name in ("__pycache__", ".DS_Store"):
            continue
        relative = f"{prefix}{entry.name}"
        if entry.is_dir():
            yield from _walk(entry, relative + "/")
        else:
            yield relative, entry


def _environment() -> Any:
    import jinja2

    partials = _templates().joinpath("_partials")
    sources = {name: entry.read_text("utf-8") for name, entry in _walk(partials)}
    env = jinja2.Environment(
        loader=jinja2.DictLoader(sources),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,  # a line holding only a block tag leaves no blank line
        lstrip_blocks=True,
        autoescape=False,
    )
    # JSON strings are valid YAML double-quoted scalars: any answer is quoted safely.
    env.filters["q"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    return env


def render(answers: InitAnswers) -> dict[str, bytes]:
    """The files of the template of ``answers.kind``, by path relative to the project."""
    env = _environment()
    context = answers.context()
    written: dict[str, bytes] = {}
    for layer in ("common", kind_of(answers.kind).template):
        for relative, entry in _walk(_templates().joinpath(layer)):
            if relative.endswith(".j2"):
                text = env.from_string(entry.read_text("utf-8")).render(context)
                written[relative[:-3]] = text.encode("utf-8")
            else:
                written[relative] = entry.read_bytes()
    written[SCHEMA_FILE] = schema_text().encode("utf-8")
    return written


def free_name(name: str, kind: str, dest: Path) -> str:
    """A default listing name no listing beside ``dest`` already has.

    ``ocmp init`` without ``--name`` in a repository would otherwise give every new listing
    the template's name, and the repository would then refuse the duplicate. A stack
    becomes "NAME Stack"; anything else gets a number.
    """
    from ocmp.core.discovery import find_listing_files
    from ocmp.core.yaml_source import load_yaml

    root = dest.absolute().parent
    taken: set[str] = set()
    for path in find_listing_files(root):
        try:  # the bounded reader validate uses: no huge file, no alias bomb
            data = load_yaml(path, str(path)).data
        except InputError:
            continue  # validate says what is wrong with it; here it only cannot collide
        listing = data.get("listing")
        if isinstance(listing, dict) and isinstance(listing.get("name"), str):
            taken.add(listing["name"])
    if name not in taken:
        return name
    first = f"{name} Stack" if kind == "stack" else f"{name} 2"
    candidates = [first, *(f"{name} {n}" for n in range(2, 100))]
    return next((c for c in candidates if c not in taken and len(c) <= 80), name)


def create_project(answers: InitAnswers, dest: Path, *, force: bool = False) -> list[str]:
    """Render a new project at ``dest``; refuse a non-empty ``dest`` unless ``force``.

    A new project is rendered in a folder beside ``dest`` and renamed into place. With
    ``force`` every file is first checked (none may lead out of ``dest`` through a link,
    nor be a directory or a device), then each is written atomically.

    Returns:
        The files written, relative to ``dest``.

    Raises:
        InputError: ``dest`` is a file, or a non-empty directory without ``force``, or a
            file of the template cannot be written safely.
    """
    if dest.exists() and not dest.is_dir():
        raise InputError("exists and is not a directory", file=str(dest))
    if dest.is_dir() and any(dest.iterdir()) and not force:
        raise InputError(
            "directory is not empty", file=str(dest), hint="choose a new directory or pass --force"
        )
    files = render(answers)
    if dest.is_dir():
        for relative in files:
            check_writable(dest / relative, project_root=dest, display=str(dest / relative))
        for relative, content in files.items():
            write_file_atomic(dest / relative, content, project_root=dest,
                              display=str(dest / relative))
        return sorted(files)
    parent = dest.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create: {write_error(exc)}", file=str(dest)) from None
    # Not mkdtemp: its 0700 mode would stick to the project once renamed into place.
    staging = parent / f".{dest.name}.{secrets.token_hex(4)}.tmp"
    staging.mkdir()
    try:
        for relative, content in files.items():
            write_file_atomic(staging / relative, content, project_root=staging)
        staging.replace(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(files)
