"""LST017: what ``ocmp init`` wrote for the user to replace — its demo texts, addresses on the
reserved ``.example`` domains, and the sandbox's demo OCIDs — still in the project.

The demo values are right while the project is rehearsed against the sandbox, so the rule runs
only on request (``ocmp validate --select LST017``: information) and in ``ocmp publish`` and
``ocmp plan`` against any other endpoint, where its findings are errors
(:func:`ocmp.release.gate.refuse_placeholders`), so no demo text reaches Oracle's review.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ocmp.core.findings import Location, Problem, Scope, Severity
from ocmp.core.limits import MAX_TEXT_BYTES
from ocmp.core.project import Project
from ocmp.core.scaffold import InitAnswers
from ocmp.rules.base import rule
from ocmp.schemas.common import FileRef

# The sandbox's demo seed names its resources ocid1.<kind>.oc1..aaaaaaaaocmpdemo… and
# …ocmpsandbox…; no OCI resource has such an id.
_DEMO_OCID = re.compile(r"ocid1\.[a-z0-9]+\.oc\d+\.[a-z0-9-]*\.[a-z0-9]*ocmp(?:demo|sandbox)"
                        r"[a-z0-9]*")
# Addresses on the domains RFC 2606 reserves for examples: they reach nobody.
_EXAMPLE_ADDRESS = re.compile(r"(?i)(?:https?://|@)(?:[a-z0-9-]+\.)*(?:example(?:\.(?:com|net|"
                              r"org))?|test|invalid)(?![a-z0-9.-]*[a-z0-9])")
_TEMPLATE_SENTENCES = ("Replace this text with your own terms before you publish.",)
_PLACEHOLDER_FIELDS = ("name", "headline", "tagline", "short_description")
_TEXT_SUFFIXES = (".md", ".txt", ".html", ".htm", ".yaml", ".yml", ".tf", ".json")


def _template_texts() -> tuple[str, ...]:
    """The demo answers ``ocmp init`` writes when it is not told otherwise."""
    defaults = InitAnswers.model_fields
    return tuple(str(defaults[f].default) for f in _PLACEHOLDER_FIELDS) + _TEMPLATE_SENTENCES


def placeholders(text: str) -> Iterator[tuple[int, str]]:
    """(line, what) for every line holding a placeholder, first kind found per line."""
    texts = _template_texts()
    for number, line in enumerate(text.splitlines(), 1):
        if _DEMO_OCID.search(line):
            yield number, "the sandbox's demo OCID " + _DEMO_OCID.findall(line)[0]
        elif m := _EXAMPLE_ADDRESS.search(line):
            yield number, f"the example address {m.group(0).lstrip('@')!r}"
        elif found := next((t for t in texts if t in line), None):
            yield number, f"the template's text {found!r}"


def _files(project: Project) -> Iterator[tuple[str, Path]]:
    """(display, path) of listing.yaml, the text files it names, and a stack's own files."""
    assert project.listing_path is not None  # LISTING rules run on listing projects only
    yield project.display(project.listing_path), project.listing_path
    model = project.listing.model
    names = [v.file for v in (model.listing.short_description, model.listing.long_description,
                              model.listing.usage_information, model.listing.system_requirements)
             if isinstance(v, FileRef)]
    if model.terms is not None:
        names.append(model.terms.document)
    for name in names:
        if name.lower().endswith(_TEXT_SUFFIXES):
            yield project.display(project.root / name), project.root / name
    if project.stack_path is not None and project.stack_path.is_dir():
        for path in sorted(project.stack_path.rglob("*")):
            if path.suffix in (".tf", ".yaml", ".yml", ".json") and path.is_file() \
                    and ".terraform" not in path.parts:
                yield project.display(path), path


def _read(path: Path) -> str:
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_TEXT_BYTES:
            return ""  # links, huge or odd files: the rules of those files say so
        return path.read_text("utf-8", errors="replace")
    except OSError:
        return ""


@rule(
    "LST017",
    name="listing.placeholders",
    severity=Severity.INFO,
    scope=Scope.LISTING,
    summary="No demo texts, example addresses or sandbox demo OCIDs left from `ocmp init` "
    "(checked when publishing outside the sandbox)",
    on_request=True,
)
def left_placeholders(project: Project) -> Iterator[Problem]:
    """One finding per file: where the first placeholder is, and how many lines hold one."""
    for shown, path in _files(project):
        found = list(placeholders(_read(path)))
        if not found:
            continue
        line, what = found[0]
        more = f" and {len(found) - 1} more line{'s' if len(found) > 2 else ''}" \
            if len(found) > 1 else ""
        yield Problem(
            f"{shown} still holds {what}{more} from `ocmp init`",
            Location(shown, line),
            hint="replace them with your product's own texts, addresses and OCIDs before "
            "publishing outside the sandbox (Oracle's review rejects demo texts; demo OCIDs "
            "exist only in the sandbox; `ocmp stack subscribe` writes real image OCIDs)",
        )
