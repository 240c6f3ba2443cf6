"""SCH006–SCH008: what the schema's entries name — dependsOn keys, references to variables,
groups and outputs, and the visibility expressions."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.rm_schema import (
    AUTO_FILLED,
    DYNAMIC_TYPES,
    OPTIONAL_DEPENDS_ON,
    ref_name,
)
from ocmp.rules.base import rule
from ocmp.rules.stack_common import schema_of

if TYPE_CHECKING:
    from ocmp.core.project import Project


@rule("SCH006", name="schema.depends-on", severity=Severity.ERROR, scope=Scope.STACK,
      summary="dependsOn has the keys its type requires and no others")
def depends_on(project: Project) -> Iterator[Problem]:
    """SCH006."""
    pair = schema_of(project)
    if pair is None:
        return
    stack, doc = pair
    for name, spec in doc.variables.items():
        if not isinstance(spec, dict) or spec.get("type") not in DYNAMIC_TYPES:
            continue
        kind, keys = spec["type"], DYNAMIC_TYPES[spec["type"]]
        given = spec.get("dependsOn")
        where = stack.where(doc.file, doc.line_of("variables", name, "dependsOn"))
        if keys is None:
            if given is not None:
                yield Problem(f"{name}: type {kind} takes no dependsOn", where,
                              hint="remove dependsOn")
            continue
        if not isinstance(given, dict):
            if kind not in OPTIONAL_DEPENDS_ON:
                yield Problem(f"{name}: type {kind} needs dependsOn", where,
                              hint=f"dependsOn: {{{keys[0].rstrip('?')}: compartment_ocid}}")
            continue
        required = {k for k in keys if not k.endswith("?")}
        allowed = {k.rstrip("?") for k in keys}
        for key in sorted(required - set(given)):
            yield Problem(f"{name}: dependsOn lacks {key}", where, hint=f"add {key}: <variable>")
        for key in sorted(set(given) - allowed):
            yield Problem(f"{name}: dependsOn.{key} is not allowed for {kind}", stack.where(
                doc.file, doc.line_of("variables", name, "dependsOn", key)),
                hint="allowed: " + ", ".join(sorted(allowed)))


_CONSTANT_KEYS = {"dbWorkload", "taskType", "protectionMode", "algorithm", "length", "curveId",
                  "operatingSystem", "operatingSystemVersion", "shape", "name",
                  "hidePublicSubnet", "hidePrivateSubnet", "hideRegionalSubnet", "hideAdSubnet"}


def _expression_refs(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield ref_name(value)
    elif isinstance(value, dict):
        for op, args in value.items():
            for arg in args if isinstance(args, list) else [args]:
                if op in ("eq", "ge", "gt", "le", "lt"):
                    if isinstance(arg, str) and arg.startswith("${"):
                        yield ref_name(arg)
                else:
                    yield from _expression_refs(arg)


@rule("SCH007", name="schema.references-resolve", severity=Severity.ERROR, scope=Scope.STACK,
      summary="dependsOn, visible, required, groups and outputs name existing entries")
def references_resolve(project: Project) -> Iterator[Problem]:
    """SCH007."""
    pair = schema_of(project)
    if pair is None:
        return
    stack, doc = pair
    tf_variables = set(stack.model.root.config.variables)
    names = set(doc.variables) | tf_variables
    # name → (first line, what refers to it): one finding per schema and name.
    unknown: dict[str, tuple[int, str]] = {}

    def note(ref: str, line: int, what: str) -> None:
        if ref not in names and ref not in unknown:
            unknown[ref] = (line, what)

    for name, spec in doc.variables.items():
        if not isinstance(spec, dict):
            continue
        for key, value in (spec.get("dependsOn") or {}).items() if isinstance(
                spec.get("dependsOn"), dict) else []:
            if key not in _CONSTANT_KEYS and isinstance(value, str) and \
                    not value.startswith("ocid1."):
                note(ref_name(value), doc.line_of("variables", name, "dependsOn", key),
                     f"{name}: dependsOn.{key}")
        for attr in ("visible", "required"):
            if isinstance(spec.get(attr), dict | str):
                for ref in _expression_refs(spec[attr]):
                    note(ref, doc.line_of("variables", name, attr), f"{name}: {attr}")
    for name, spec in doc.outputs.items():
        if isinstance(spec, dict) and isinstance(spec.get("visible"), dict | str):
            for ref in _expression_refs(spec["visible"]):
                note(ref, doc.line_of("outputs", name, "visible"), f"output {name}: visible")
    for ref, (line, what) in sorted(unknown.items(), key=lambda kv: kv[1][0]):
        where = stack.where(doc.file, line)
        if ref in AUTO_FILLED:
            # Resource Manager pre-fills its context variables only for variables the
            # configuration declares (its schema documentation), so the reference is not
            # broken, but it stays empty until Terraform declares the variable.
            yield Problem(f"{what} refers to {ref!r}, one of Resource Manager's context "
                          "variables, which Terraform does not declare: Resource Manager fills "
                          "it only when the configuration declares it", where,
                          severity=Severity.WARNING,
                          hint=f'declare variable "{ref}" {{}} in Terraform (and list it in a '
                          "hidden group)")
        else:
            close = _did_you_mean(ref, names)
            yield Problem(f"{what} refers to {ref!r}, which is neither a schema nor a Terraform "
                          f"variable{'; ' + close if close else ''}", where,
                          hint=close or "fix the name, or declare the variable in Terraform")
    button = doc.data.get("primaryOutputButton")
    if isinstance(button, str) and ref_name(button) not in doc.outputs and \
            ref_name(button) not in stack.model.root.config.outputs:
        yield Problem(f"primaryOutputButton names {button!r}, no such output", stack.where(
            doc.file, doc.line_of("primaryOutputButton")), hint="fix the name")


def _did_you_mean(name: str, names: set[str]) -> str:

    close = difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""


@rule("SCH008", name="schema.expressions", severity=Severity.ERROR, scope=Scope.STACK,
      summary="Visibility expressions use and/or/not/eq… with the right operands")
def expressions(project: Project) -> Iterator[Problem]:
    """SCH008."""
    pair = schema_of(project)
    if pair is None:
        return
    stack, doc = pair
    for name, spec in doc.variables.items():
        for attr in ("visible", "required"):
            value = spec.get(attr) if isinstance(spec, dict) else None
            why = _bad_expression(value) if isinstance(value, dict) else None
            if why:
                yield Problem(f"{name}.{attr}: {why}", stack.where(doc.file, doc.line_of(
                    "variables", name, attr)), hint="and/or take two operands (nest for more); "
                    "not takes one; comparisons take two strings or numbers")


def _bad_expression(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None if isinstance(value, str | bool) else f"{value!r} is not an expression"
    if len(value) != 1:
        return "an expression object has exactly one operator"
    op, args = next(iter(value.items()))
    arity = {"and": 2, "or": 2, "not": 1, "eq": 2, "ge": 2, "gt": 2, "le": 2, "lt": 2}.get(op)
    if arity is None:
        return f"unknown operator {op!r}"
    if not isinstance(args, list) or len(args) != arity:
        return f"{op} takes exactly {arity} operand{'s' if arity > 1 else ''}"
    if op in ("and", "or", "not"):
        return next((w for w in map(_bad_expression, args) if w), None)
    if any(isinstance(a, bool) or not isinstance(a, str | int | float) for a in args):
        return f"{op} compares strings or numbers only (quote booleans: \"true\")"
    return None
