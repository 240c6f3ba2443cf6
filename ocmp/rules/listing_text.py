"""LST rules on the texts of a listing: versions, usage, system requirements, legibility,
descriptions and the HTML they may hold."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ocmp.core.findings import Location, Problem, Scope, Severity
from ocmp.core.project import Project
from ocmp.rules.base import rule
from ocmp.schemas.common import FileRef
from ocmp.schemas.listing import StackListingFile

VERSION_CHARS = re.compile(r"^[A-Za-z0-9 _.+-]+$")
ALLOWED_TAGS = {
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "strong",
    "b",
    "em",
    "i",
    "a",
    "code",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
}
TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)(\s[^<>]*)?/?>")
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
USAGE_HINTS = re.compile(
    r"\b(ssh|log ?in|user(name)?|https?://|url|connect|outputs?|console|"
    r"password|port)\b",
    re.IGNORECASE,
)
SHAPE = re.compile(r"\b(VM|BM)\.[A-Za-z0-9.]+|\bshapes?\b", re.IGNORECASE)


def _text_location(
    project: Project, field: str, value: str | FileRef | None, offset: int = 0, text: str = ""
) -> Location:
    # A finding inside a text kept in a file points into that file; inline, at the key.
    if isinstance(value, FileRef):
        return project.locate_file(value.file, text.count("\n", 0, offset) + 1)
    return project.locate("listing", field)


@rule(
    "LST006",
    name="listing.version-consistency",
    severity=Severity.ERROR,
    scope=Scope.LISTING,
    summary="Listing version, package version and the stack schema's packageVersion agree",
)
def version_consistency(project: Project) -> Iterator[Problem]:
    """One release carries one version number everywhere."""
    model = project.listing.model
    package = model.package.version
    if model.listing.version is not None and model.listing.version.number != package:
        yield Problem(
            f"listing version {model.listing.version.number!r} differs from package "
            f"version {package!r}",
            project.locate("listing", "version", "number"),
            hint="release one version: make both numbers equal",
        )
    if isinstance(model, StackListingFile) and project.stack_path is not None:
        if not project.stack_path.exists():
            return  # the stack rules report a missing stack
        # The stack facet parsed the schema once and never raises: an unusable schema
        # (bad YAML, an impossible date…) is the SCH rules' finding, not this one's.
        schema = project.stack.schema
        if schema is None or schema.error is not None:
            return
        found = schema.data.get("packageVersion")
        if found is not None and str(found) != package:
            yield Problem(
                f"schema.yaml packageVersion {found!r} differs from package "
                f"version {package!r}",
                project.stack.where(schema.file, schema.line_of("packageVersion")),
                hint="make packageVersion equal package.version",
            )


@rule(
    "LST007",
    name="listing.usage-information",
    severity=Severity.WARNING,
    scope=Scope.LISTING,
    summary="Usage information tells how to launch, connect and configure",
)
def usage_information(project: Project) -> Iterator[Problem]:
    """Reviewers reject listings whose usage section does not let a user get started."""
    value = project.listing.model.listing.usage_information
    text = project.listing.text(value)
    at = _text_location(project, "usage_information", value)
    if not text.strip():
        yield Problem(
            "usage information is empty",
            at if value else project.locate("listing"),
            hint="explain how to launch, connect (user, SSH, URL) and configure",
        )
    elif not USAGE_HINTS.search(text):
        yield Problem(
            "usage information does not say how to connect (no user, SSH, URL, port "
            "or outputs mentioned)",
            at,
            hint="say how a customer reaches the product",
        )


@rule(
    "LST008",
    name="listing.system-requirements",
    severity=Severity.WARNING,
    scope=Scope.LISTING,
    summary="System requirements name the OCI components and shapes needed",
)
def system_requirements(project: Project) -> Iterator[Problem]:
    """Customers must know which shapes and services the product needs."""
    value = project.listing.model.listing.system_requirements
    text = project.listing.text(value)
    if not text.strip() or text.strip().lower() in {"none", "n/a", "-"}:
        yield Problem(
            "system requirements are missing",
            project.locate("listing"),
            hint="list the shapes, OCPUs, memory and services needed",
        )
    elif not SHAPE.search(text):
        yield Problem(
            "system requirements name no compute shape",
            _text_location(project, "system_requirements", value),
            hint="name at least one shape, e.g. VM.Standard.E4.Flex",
        )


@rule(
    "LST013",
    name="listing.version-details",
    severity=Severity.WARNING,
    scope=Scope.LISTING,
    summary="Version number, ISO release date and release notes are valid",
)
def version_details(project: Project) -> Iterator[Problem]:
    """Oracle's tools strip odd characters from versions; dates must be ISO 8601."""
    version = project.listing.model.listing.version
    if version is None:
        yield Problem(
            "no version details",
            project.locate("listing"),
            hint="add version: {number: 1.0.0, description: …, release_date: …}",
        )
        return
    if not VERSION_CHARS.match(version.number):
        yield Problem(
            f"version {version.number!r} has characters other than letters, digits, "
            "space and _ . - +",
            project.locate("listing", "version", "number"),
            hint="e.g. 2.1.0 or 2.1.0-beta",
        )
    if not _is_iso_date(version.release_date):
        # An error, not the rule's warning: the API stores the text as the revision's
        # releaseDate, so a date that does not exist would be uploaded as it is.
        shaped = bool(ISO_DATE.match(version.release_date.strip()))
        yield Problem(
            f"release date {version.release_date!r} "
            + ("does not exist (no such month or day)" if shaped
               else "is not a date written YYYY-MM-DD"),
            project.locate("listing", "version", "release_date"),
            severity=Severity.ERROR,
            hint=release_date_hint(version.release_date),
        )
    if not version.description.strip():
        yield Problem(
            "the version has no release notes",
            project.locate("listing", "version"),
            hint="describe what is new in version.description",
        )


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DAY_FIRST = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
YEAR_FIRST = re.compile(r"^(\d{4})[./](\d{1,2})[./](\d{1,2})$")


def _is_iso_date(text: str) -> bool:
    # fromisoformat alone also takes 20261124 and 2026-W48-2, which the API does not
    if not ISO_DATE.match(text.strip()):
        return False
    try:
        dt.date.fromisoformat(text.strip())
    except ValueError:
        return False
    return True


def release_date_hint(text: str) -> str:
    """The date in the form the API takes when ``text`` says it unambiguously (14/04/2026
    is 2026-04-14), else today's date as the example of the form."""
    text = text.strip()
    candidates: list[tuple[int, int, int]] = []
    if match := YEAR_FIRST.match(text):
        candidates = [(int(match[1]), int(match[2]), int(match[3]))]
    elif match := DAY_FIRST.match(text):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        candidates = [(year, second, first), (year, first, second)]  # day first, month first
    dates = set()
    for year, month, day in candidates:
        try:
            dates.add(dt.date(year, month, day))
        except ValueError:
            continue
    if len(dates) == 1:
        return f"write it as {dates.pop().isoformat()} (YYYY-MM-DD)"
    return f"write it as YYYY-MM-DD, e.g. {dt.date.today().isoformat()} for today"


LEGIBILITY = (
    (re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE), "repeated word"),
    (re.compile(r"[!?]{2,}"), "repeated punctuation"),
    (re.compile(r"\b[A-Z]{4,}(\s+[A-Z]{4,}){2,}\b"), "text in capitals"),
    (re.compile(r"\S {2,}\S"), "double space"),
)


@rule(
    "LST014",
    name="listing.legibility",
    severity=Severity.INFO,
    scope=Scope.LISTING,
    summary="Short texts have no repeated words, shouting capitals or doubled punctuation",
)
def legibility(project: Project) -> Iterator[Problem]:
    """A mechanical part of Oracle's spelling and legibility checklist."""
    listing = project.listing.model.listing
    for field in ("name", "headline", "tagline", "short_description"):
        value = getattr(listing, field)
        text = project.listing.text(value)
        for pattern, what in LEGIBILITY:
            match = pattern.search(text)
            if match:
                yield Problem(
                    f"{field}: {what} {match.group(0)!r}",
                    _text_location(project, field, value, match.start(), text),
                    hint="proofread the text (Oracle reviews spelling and legibility)",
                )


@rule(
    "LST015",
    name="listing.descriptions",
    severity=Severity.WARNING,
    scope=Scope.LISTING,
    summary="Tagline and descriptions are present and use only simple HTML",
)
def descriptions(project: Project) -> Iterator[Problem]:
    """Empty descriptions look unfinished; complex HTML is stripped or rejected."""
    listing = project.listing.model.listing
    for field in ("tagline", "short_description", "long_description", "usage_information"):
        value = getattr(listing, field)
        text = project.listing.text(value)
        if not text.strip():
            if field != "usage_information":  # LST007 owns an empty usage section
                yield Problem(
                    f"{field} is empty",
                    project.locate("listing", field)
                    if value is not None
                    else project.locate("listing"),
                    hint=f"write the listing's {field.replace('_', ' ')}",
                )
            continue
        # Code spans and blocks may show markup; blank them, keeping offsets for line numbers.
        prose = CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
        for match in TAG.finditer(prose):
            if match.group(1).lower() not in ALLOWED_TAGS:
                yield Problem(
                    f"{field}: HTML tag <{match.group(1)}> is not allowed",
                    _text_location(project, field, value, match.start(), text),
                    hint="use p, ul/ol/li, strong/em, a, code, h1–h4 (or Markdown)",
                )
