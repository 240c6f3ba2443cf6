"""SCH001–SCH005, SCH009, SCH010: the schema file's form — YAML, the meta-schema,
required keys, type names, deprecated and unknown attributes."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ocmp.core.draft7_subset import conforms as conforms_to
from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.rm_schema import (
    DYNAMIC_TYPES,
    GROUP_KEYS,
    OUTPUT_KEYS,
    STATIC_TYPES,
    TOP_KEYS,
    VARIABLE_KEYS,
    meta_schema,
)
from ocmp.rules.base import rule
from ocmp.rules.stack_common import schema_of, stack_of

if TYPE_CHECKING:
    from ocmp.core.project import Project


@rule("SCH001", name="schema.valid-yaml", severity=Severity.ERROR, scope=Scope.STACK,
      summary="The schema is valid YAML with no duplicate keys")
def valid_yaml(project: Project) -> Iterator[Problem]:
    """SCH001."""
    stack = stack_of(project)
    for doc in stack.schema_candidates:
        if doc.error:
            line, message = doc.error
            encoding = "save it as UTF-8" in message
            yield Problem(f"{doc.file} is not valid YAML: {message}", stack.where(doc.file, line),
                          hint="re-save the file with the UTF-8 encoding" if encoding else
                          "fix the YAML (a tab or a duplicate key is the usual cause)")


@rule("SCH002", name="schema.portable-yaml", severity=Severity.WARNING, scope=Scope.STACK,
      summary="The schema has no tab characters")
def no_tabs(project: Project) -> Iterator[Problem]:
    """SCH002."""
    stack = stack_of(project)
    for doc in stack.schema_candidates:
        for number, line in enumerate(doc.text.splitlines(), 1):
            if "\t" in line:
                yield Problem(f"tab character in {doc.file}", stack.where(doc.file, number),
                              hint="replace tabs with spaces: many YAML parsers reject them")


@rule("SCH003", name="schema.meta-schema", severity=Severity.ERROR, scope=Scope.STACK,
      summary="The schema's structure conforms to the Resource Manager meta-schema")
def conforms(project: Project) -> Iterator[Problem]:
    """SCH003."""
    pair = schema_of(project)
    if pair is None:
        return
    stack, doc = pair
    if conforms_to(meta_schema(), doc.data):
        return  # no error to word: jsonschema (a tenth of a cold run to import) is not needed
    from jsonschema import Draft7Validator

    validator = Draft7Validator(meta_schema())
    for error in sorted(validator.iter_errors(doc.data), key=lambda e: list(map(str, e.path))):
        path = tuple(error.absolute_path)
        # Output visibility expressions are STK064's (a warning), as ORM accepts them.
        if len(path) >= 3 and path[0] == "outputs" and path[2] == "visible":
            continue
        # Malformed visible expressions of variables are SCH008's, with a clearer message;
        # reporting them twice would only add noise.
        if len(path) >= 3 and path[0] == "variables" and path[2] == "visible":
            continue
        where = ".".join(str(p) for p in path) or "(top level)"
        yield Problem(f"{where}: {error.message}", stack.where(doc.file, doc.line_of(*path)),
                      hint="see the attribute table in `ocmp rules explain SCH003`")


@rule("SCH004", name="schema.required-keys", severity=Severity.ERROR, scope=Scope.STACK,
      summary="schemaVersion is 1.0.0 or 1.1.0 and variables is present")
def required_keys(project: Project) -> Iterator[Problem]:
    """SCH004."""
    pair = schema_of(project)
    if pair is None:
        return
    stack, doc = pair
    version = doc.data.get("schemaVersion")
    if str(version) not in ("1.0.0", "1.1.0") or not isinstance(version, str):
        yield Problem(f"schemaVersion is {version!r}", stack.where(doc.file, doc.line_of(
            "schemaVersion")), hint="schemaVersion: 1.1.0")
    if "variables" not in doc.data:
        yield Problem("no variables: section", stack.where(doc.file, 1),
                      hint="add variables: with one entry per Terraform variable")


@rule("SCH005", name="schema.known-types", severity=Severity.ERROR, scope=Scope.STACK,
      summary="Every variable type is a known type, spelled exactly")
def known_types(project: Project) -> Iterator[Problem]:
    """SCH005."""
    pair = schema_of(project)
    if pair is None:
        return
    stack, doc = pair
    lowered = {t.lower(): t for t in (*STATIC_TYPES, *DYNAMIC_TYPES)}
    for name, spec in doc.variables.items():
        if not isinstance(spec, dict) or "type" not in spec:
            continue
        kind = spec["type"]
        if kind in STATIC_TYPES or kind in DYNAMIC_TYPES:
            continue
        near = lowered.get(str(kind).lower())
        yield Problem(f"{name}: unknown type {kind!r}", stack.where(doc.file, doc.line_of(
            "variables", name, "type")), hint=f"did you mean {near!r}?" if near else
            "see `ocmp rules explain SCH005` for the list of types")


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
