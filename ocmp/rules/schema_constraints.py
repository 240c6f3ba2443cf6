"""SCH014–SCH016: constraints on variable values — enum lists, patterns, bounds."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.rules.base import rule
from ocmp.rules.stack_common import schema_of

if TYPE_CHECKING:
    from ocmp.core.project import Project


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
