"""SCH009–SCH016: schema hygiene — deprecated keys, typos, locale, logo, enums, bounds."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.rm_schema import GROUP_KEYS, OUTPUT_KEYS, TOP_KEYS, VARIABLE_KEYS
from ocmp.rules.base import rule
from ocmp.rules.rm_schema import schema_of

if TYPE_CHECKING:
    from ocmp.core.project import Project


@rule("SCH009", name="schema.no-groupings", severity=Severity.WARNING, scope=Scope.STACK,
      summary="variableGroups is used, not the deprecated groupings")
def no_groupings(project: Project) -> Iterator[Problem]:
    """SCH009."""
    pair = schema_of(project)
    if pair and "groupings" in pair[1].data:
        stack, doc = pair
        yield Problem("groupings is deprecated", stack.where(doc.file, doc.line_of("groupings")),
                      hint="rename it variableGroups")


def _typos(keys: Any, allowed: set[str]) -> Iterator[tuple[str, str | None]]:
    for key in keys if isinstance(keys, dict) else {}:
        if key in allowed or str(key).startswith("x-"):
            continue
        near = difflib.get_close_matches(str(key), sorted(allowed), n=1, cutoff=0.75)
        yield str(key), near[0] if near else None


@rule("SCH010", name="schema.unknown-attributes", severity=Severity.WARNING, scope=Scope.STACK,
      summary="No unknown attribute names (Resource Manager ignores typos silently)")
def unknown_attributes(project: Project) -> Iterator[Problem]:
    """SCH010."""
    pair = schema_of(project)
    if pair is None:
        return
    stack, doc = pair
    places: list[tuple[tuple[str | int, ...], Any, set[str]]] = [((), doc.data, TOP_KEYS)]
    places += [(("variables", n), v, VARIABLE_KEYS) for n, v in doc.variables.items()]
    places += [(("outputs", n), v, OUTPUT_KEYS) for n, v in doc.outputs.items()]
    places += [((k, i), g, GROUP_KEYS) for k, i, g in doc.groups()]
    for path, mapping, allowed in places:
        for key, near in _typos(mapping, allowed):
            at = f" at {'.'.join(map(str, path))}" if path else ""
            guess = f" (did you mean {near!r}?)" if near else ""
            yield Problem(f"unknown attribute {key!r}{at}{guess}",
                          stack.where(doc.file, doc.line_of(*path, key)),
                          hint=f"did you mean {near!r}?" if near else
                          "prefix deliberate extensions with x-")


@rule("SCH011", name="schema.locale-and-source", severity=Severity.WARNING, scope=Scope.STACK,
      summary="locale is en and source names a Marketplace listing")
def locale_source(project: Project) -> Iterator[Problem]:
    """SCH011."""
    pair = schema_of(project)
    if pair is None:
        return
    stack, doc = pair
    if "locale" in doc.data and doc.data["locale"] != "en":
        yield Problem(f"locale is {doc.data['locale']!r}", stack.where(doc.file, doc.line_of(
            "locale")), hint="Resource Manager supports locale: en only")
    source = doc.data.get("source")
    if isinstance(source, dict):
        if source.get("type") not in ("marketplace", "quickstart", "web"):
            yield Problem(f"source.type is {source.get('type')!r}", stack.where(
                doc.file, doc.line_of("source", "type")), hint="use type: marketplace")
        elif source.get("type") != "marketplace":
            yield Problem(f"source.type is {source['type']!r} in a Marketplace stack",
                          stack.where(doc.file, doc.line_of("source", "type")),
                          hint="type: marketplace with the listing id as reference")


_URL = re.compile(r"^(https?://[^\s]+|data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+)$")


@rule("SCH012", name="schema.logo-url", severity=Severity.WARNING, scope=Scope.STACK,
      summary="logoUrl is an http(s) or data:image URL")
def logo_url(project: Project) -> Iterator[Problem]:
    """SCH012."""
    pair = schema_of(project)
    if pair and "logoUrl" in pair[1].data:
        stack, doc = pair
        if not _URL.match(str(doc.data["logoUrl"])):
            yield Problem(f"logoUrl {doc.data['logoUrl']!r} is not an absolute URL", stack.where(
                doc.file, doc.line_of("logoUrl")), hint="an https:// URL of a 130×130 PNG")


@rule("SCH013", name="schema.application-information", severity=Severity.WARNING,
      scope=Scope.STACK, summary="title, description and outputs fill the Application "
      "Information tab")
def app_information(project: Project) -> Iterator[Problem]:
    """SCH013."""
    pair = schema_of(project)
    if pair is None:
        return
    stack, doc = pair
    missing = [k for k in ("title", "description") if not doc.data.get(k)]
    if not doc.outputs:
        missing.append("outputs")
    if missing:
        yield Problem(f"no {', '.join(missing)}: the Application Information tab stays empty",
                      stack.where(doc.file, 1), hint="add " + ", ".join(missing))


@rule("SCH014", name="schema.enum-strings", severity=Severity.ERROR, scope=Scope.STACK,
      summary="enum variables list at least one value, all strings")
def enum_strings(project: Project) -> Iterator[Problem]:
    """SCH014."""
    pair = schema_of(project)
    if pair is None:
        return
    stack, doc = pair
    for name, spec in doc.variables.items():
        if not isinstance(spec, dict) or spec.get("type") != "enum":
            continue
        values = spec.get("enum")
        where = stack.where(doc.file, doc.line_of("variables", name, "enum"))
        if not isinstance(values, list) or not values:
            yield Problem(f"{name}: enum needs a non-empty list", where, hint="enum: [a, b]")
        elif any(not isinstance(v, str) for v in values):
            yield Problem(f"{name}: enum values must be strings ({values!r})", where,
                          hint="quote them: [\"13\", \"14\"]")


@rule("SCH015", name="schema.patterns", severity=Severity.WARNING, scope=Scope.STACK,
      summary="pattern regexes compile and the default matches them")
def patterns(project: Project) -> Iterator[Problem]:
    """SCH015."""
    pair = schema_of(project)
    if pair is None:
        return
    stack, doc = pair
    for name, spec in doc.variables.items():
        pattern = spec.get("pattern") if isinstance(spec, dict) else None
        if not isinstance(pattern, str):
            continue
        where = stack.where(doc.file, doc.line_of("variables", name, "pattern"))
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            yield Problem(f"{name}: pattern does not compile: {exc}", where, hint="fix the regex")
            continue
        default = spec.get("default")
        if isinstance(default, str) and not compiled.search(default):
            yield Problem(f"{name}: default {default!r} does not match the pattern", where,
                          hint="fix the default or the pattern")


@rule("SCH016", name="schema.bounds", severity=Severity.WARNING, scope=Scope.STACK,
      summary="minimum ≤ maximum, minLength ≤ maxLength, multipleOf > 0")
def bounds(project: Project) -> Iterator[Problem]:
    """SCH016."""
    pair = schema_of(project)
    if pair is None:
        return
    stack, doc = pair
    for name, spec in doc.variables.items():
        if not isinstance(spec, dict):
            continue
        for low, high in (("minimum", "maximum"), ("minLength", "maxLength"),
                          ("minItems", "maxItems")):
            a, b = spec.get(low), spec.get(high)
            if isinstance(a, int | float) and isinstance(b, int | float) and a > b:
                yield Problem(f"{name}: {low} {a} is above {high} {b}", stack.where(
                    doc.file, doc.line_of("variables", name, low)), hint="swap or fix them")
        step = spec.get("multipleOf")
        if isinstance(step, int | float) and step <= 0:
            yield Problem(f"{name}: multipleOf {step} is not positive", stack.where(
                doc.file, doc.line_of("variables", name, "multipleOf")), hint="use a value > 0")
