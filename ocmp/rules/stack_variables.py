"""STK040–STK049: Terraform root variables against the schema's variables and groups."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.rm_schema import AUTO_FILLED, DYNAMIC_TYPES, SchemaDoc, ref_name
from ocmp.core.terraform.evaluate import UNKNOWN, evaluate
from ocmp.core.terraform.evaluate import Scope as EvalScope
from ocmp.core.terraform.expr import parse_value
from ocmp.core.terraform.values import hcl_text
from ocmp.rules.base import rule
from ocmp.rules.stack_common import (
    needs_root_configuration,
    stack_of,
    unparsed_folders,
)

if TYPE_CHECKING:
    from ocmp.core.project import Project
    from ocmp.core.stack import Stack
    from ocmp.core.terraform.model import Block


def _pair(project: Project) -> tuple[Stack, SchemaDoc, dict[str, Block]] | None:
    stack = stack_of(project)
    schema = stack.schema
    if schema is None or schema.error:
        return None
    return stack, schema, stack.model.root.config.variables


@rule("STK040", name="stack.schema-variables-exist", severity=Severity.ERROR, scope=Scope.STACK,
      summary="Every variable the schema names is declared in Terraform")
@needs_root_configuration
def schema_variables_exist(project: Project) -> Iterator[Problem]:
    """STK040."""
    pair = _pair(project)
    if pair is None:
        return
    stack, schema, tf = pair
    for name in schema.variables:
        if name not in tf:
            yield Problem(f"schema variable {name!r} has no `variable \"{name}\"` in Terraform",
                          stack.where(schema.file, schema.line_of("variables", name)),
                          hint="declare it in variables.tf or remove it from the schema")
    for name, places in schema.grouped().items():
        if name not in tf and name not in schema.variables:
            key, index, pos = places[0]
            yield Problem(f"group member {name!r} is not a Terraform variable",
                          stack.where(schema.file, schema.line_of(key, index, "variables", pos)),
                          hint="fix the name or remove it from the group")


@rule("STK041", name="stack.variables-in-schema", severity=Severity.WARNING, scope=Scope.STACK,
      summary="Every Terraform root variable appears in the schema")
def variables_in_schema(project: Project) -> Iterator[Problem]:
    """STK041."""
    pair = _pair(project)
    if pair is None:
        return
    stack, schema, tf = pair
    grouped = schema.grouped()
    for name, block in tf.items():
        if name not in schema.variables and name not in grouped:
            yield Problem(f"variable {name!r} is in no schema group: Resource Manager shows it "
                          "at the bottom of the form", stack.at(block),
                          hint="add it to a group (a `visible: false` group for internal ones)")


@rule("STK042", name="stack.auto-variables-hidden", severity=Severity.ERROR, scope=Scope.STACK,
      summary="tenancy_ocid and region are in the schema and hidden")
def auto_hidden(project: Project) -> Iterator[Problem]:
    """STK042."""
    pair = _pair(project)
    if pair is None:
        return
    stack, schema, tf = pair
    for name in ("tenancy_ocid", "region"):
        if name not in tf:
            continue
        if name not in schema.grouped() and name not in schema.variables:
            yield Problem(f"{name} is not in the schema", stack.where(schema.file, 1),
                          hint=f"list {name} in a group with visible: false")
        elif not schema.hidden(name):
            yield Problem(f"{name} is visible to customers", stack.where(
                schema.file, schema.line_of("variables", name)),
                hint=f"move {name} into a group with visible: false")


_TF_TYPE_FOR = {"boolean": "bool", "integer": "number", "number": "number", "array": "list",
                "list": "list", "map": "map", "object": "object"}


def tf_type(block: Block) -> str:
    """The Terraform type's head: string, number, bool, list, map, object (untyped = string)."""
    raw = block.body.get("type")
    if raw is None:
        return "any"
    text = str(raw).removeprefix("${").removesuffix("}").strip().strip('"')
    head = re.match(r"[a-z]+", text)
    name = head.group() if head else "any"
    return {"set": "list", "tuple": "list"}.get(name, name)


def schema_type_head(schema_type: Any) -> str:
    """What Terraform type a schema type needs."""
    if not isinstance(schema_type, str):
        return "string"
    if schema_type in DYNAMIC_TYPES or schema_type.startswith("oci:"):
        return "string"
    return _TF_TYPE_FOR.get(schema_type, "string")


@rule("STK043", name="stack.variable-types-match", severity=Severity.ERROR, scope=Scope.STACK,
      summary="Schema variable types agree with the Terraform variable types")
def types_match(project: Project) -> Iterator[Problem]:
    """STK043."""
    pair = _pair(project)
    if pair is None:
        return
    stack, schema, tf = pair
    for name, spec in schema.variables.items():
        if name not in tf or not isinstance(spec, dict) or "type" not in spec:
            continue
        want, have = schema_type_head(spec["type"]), tf_type(tf[name])
        if have == "any" or want == have:
            continue
        multi = spec.get("allowMultiple") or (spec.get("additionalProps") or {}).get(
            "allowMultiple") if isinstance(spec.get("additionalProps", {}), dict) else False
        severity = Severity.WARNING if multi and have == "list" else None
        yield Problem(f"{name}: schema type {spec['type']!r} needs a Terraform {want}, "
                      f"Terraform declares {have}", stack.where(
                          schema.file, schema.line_of("variables", name, "type")),
                      severity=severity, hint="make the two types agree")


def tf_default(block: Block) -> Any:
    """A Terraform variable's default value (UNKNOWN when absent or not literal)."""
    if "default" not in block.body:
        return UNKNOWN
    return evaluate(parse_value(block.body["default"]), EvalScope())


@rule("STK044", name="stack.defaults-valid", severity=Severity.ERROR, scope=Scope.STACK,
      summary="Schema defaults satisfy their type and constraints, and match Terraform's")
def defaults_valid(project: Project) -> Iterator[Problem]:
    """STK044."""
    pair = _pair(project)
    if pair is None:
        return
    stack, schema, tf = pair
    for name, spec in schema.variables.items():
        if not isinstance(spec, dict) or "default" not in spec:
            continue
        default = spec["default"]
        where = stack.where(schema.file, schema.line_of("variables", name, "default"))
        why = _default_problem(spec, default)
        if why:
            yield Problem(f"{name}: default {yaml_text(default)} {why}", where,
                          hint="fix the default")
        elif name in tf:
            other = tf_default(tf[name])
            if other is not UNKNOWN and other is not None and str(other) != str(default) and not (
                    isinstance(default, bool) and str(default).lower() == str(other).lower()):
                yield Problem(f"{name}: schema default {yaml_text(default)} differs from "
                              f"Terraform's {hcl_text(other)}", where, severity=Severity.WARNING,
                              hint="keep one default, or make them equal")


def yaml_text(value: Any) -> str:
    """A schema value as YAML writes it (``true``, ``"a b"``, ``{admin: 1}``), for messages."""
    import json

    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {yaml_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(yaml_text(v) for v in value) + "]"
    return hcl_text(value)  # true/false/null and numbers are written alike


def _default_problem(spec: dict[str, Any], default: Any) -> str | None:
    kind = spec.get("type")
    if kind == "boolean" and not isinstance(default, bool):
        return "is not a boolean"
    if kind in ("integer", "number"):
        if isinstance(default, bool) or not isinstance(default, int | float):
            return "is not a number"
        if kind == "integer" and isinstance(default, float) and not default.is_integer():
            return "is not an integer"
        if isinstance(spec.get("minimum"), int | float) and default < spec["minimum"]:
            return f"is below minimum {spec['minimum']}"
        if isinstance(spec.get("maximum"), int | float) and default > spec["maximum"]:
            return f"is above maximum {spec['maximum']}"
    if kind == "enum" and isinstance(spec.get("enum"), list) and default not in spec["enum"]:
        return "is not one of the enum values"
    if isinstance(default, str) and isinstance(spec.get("pattern"), str):
        try:
            if not re.search(spec["pattern"], default):
                return f"does not match its pattern {spec['pattern']!r}"
        except re.error:
            return None
    if isinstance(default, str) and isinstance(spec.get("maxLength"), int) and len(
            default) > spec["maxLength"]:
        return f"is longer than maxLength {spec['maxLength']}"
    return None


@rule("STK045", name="stack.hidden-required-have-values", severity=Severity.ERROR,
      scope=Scope.STACK, summary="Hidden required variables have a default")
@needs_root_configuration
def hidden_required(project: Project) -> Iterator[Problem]:
    """STK045."""
    pair = _pair(project)
    if pair is None:
        return
    stack, schema, tf = pair
    for name, spec in schema.variables.items():
        if not isinstance(spec, dict) or spec.get("required") is not True or name in AUTO_FILLED:
            continue
        if not schema.hidden(name) or spec.get("default") not in (None, ""):
            continue
        value = tf_default(tf[name]) if name in tf else UNKNOWN
        if value is UNKNOWN or value in (None, ""):
            yield Problem(f"{name} is required and hidden but has no default: customers cannot "
                          "give it", stack.where(schema.file, schema.line_of("variables", name)),
                          hint="give it a default in variables.tf or schema.yaml")


@rule("STK046", name="stack.one-group-per-variable", severity=Severity.WARNING,
      scope=Scope.STACK, summary="A variable sits in at most one group")
def one_group(project: Project) -> Iterator[Problem]:
    """STK046."""
    pair = _pair(project)
    if pair is None:
        return
    stack, schema, _ = pair
    for name, places in schema.grouped().items():
        if len(places) > 1:
            key, index, pos = places[1]
            yield Problem(f"{name} is in {len(places)} groups", stack.where(
                schema.file, schema.line_of(key, index, "variables", pos)),
                hint="keep it in one group")


@rule("STK047", name="stack.unused-variables", severity=Severity.WARNING, scope=Scope.STACK,
      summary="Every declared variable is used")
def unused(project: Project) -> Iterator[Problem]:
    """STK047."""
    stack = stack_of(project)
    broken = unparsed_folders(project)
    for inst in stack.model.instances():
        cfg = inst.config
        if cfg.dir in broken:
            continue  # a use may sit in the file that does not parse
        used = {r.split(".")[1] for b in cfg.blocks if b.kind != "variable"
                for _, refs in b.references() for r in refs if r.startswith("var.")}
        if inst.address == "":
            used |= _schema_uses(stack)
        for name, block in cfg.variables.items():
            if name not in used and name not in AUTO_FILLED and not name.startswith("mp_") \
                    and name != "marketplace_source_images":
                yield Problem(f"variable {name!r} is never used", stack.at(block),
                              hint="remove it, or use it")


def _schema_uses(stack: Stack) -> set[str]:
    """Root variables the schema's own expressions read: ``visible``/``required`` of
    variables, groups and outputs, and ``dependsOn`` values. Removing such a variable would
    break the form (and trigger STK040), so it is used."""
    schema = stack.schema
    if schema is None or schema.error:
        return set()
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.add(ref_name(value))
        elif isinstance(value, dict):
            for args in value.values():
                for arg in args if isinstance(args, list) else [args]:
                    walk(arg)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    entries = [*schema.variables.values(), *schema.outputs.values(),
               *(g for _, _, g in schema.groups())]
    for spec in entries:
        if not isinstance(spec, dict):
            continue
        for attr in ("visible", "required"):
            if isinstance(spec.get(attr), dict | str):
                walk(spec[attr])
        if isinstance(spec.get("dependsOn"), dict):
            walk(list(spec["dependsOn"].values()))
    return found


@rule("STK048", name="stack.ssh-key-control", severity=Severity.WARNING, scope=Scope.STACK,
      summary="SSH key variables use the oci:core:ssh:publickey control")
def ssh_control(project: Project) -> Iterator[Problem]:
    """STK048."""
    pair = _pair(project)
    if pair is None:
        return
    stack, schema, _ = pair
    for name, spec in schema.variables.items():
        if re.search(r"ssh.*key", name, re.I) and isinstance(spec, dict) and spec.get(
                "type") in ("string", "text"):
            yield Problem(f"{name} is a plain {spec['type']}", stack.where(
                schema.file, schema.line_of("variables", name, "type")),
                hint="use type: oci:core:ssh:publickey (key upload or paste)")


@rule("STK049", name="stack.passwords-protected", severity=Severity.WARNING, scope=Scope.STACK,
      summary="Password variables are type password, sensitive, with no default")
def passwords(project: Project) -> Iterator[Problem]:
    """STK049."""
    pair = _pair(project)
    if pair is None:
        return
    stack, schema, tf = pair
    for name, block in tf.items():
        spec = schema.variables.get(name)
        # A password by its name, or by the schema's own say-so (`type: password`).
        typed = isinstance(spec, dict) and spec.get("type") == "password"
        if not (typed or re.search(r"passw(or)?d", name, re.I)):
            continue
        if isinstance(spec, dict) and spec.get("type") != "password":
            yield Problem(f"{name} is not `type: password` in the schema", stack.where(
                schema.file, schema.line_of("variables", name)), hint="use type: password")
        if evaluate(parse_value(block.body.get("sensitive")), EvalScope()) is not True:
            yield Problem(f"variable {name!r} is not `sensitive = true`", stack.at(block),
                          hint="mark it sensitive so plans and logs hide it")
        if tf_default(block) not in (UNKNOWN, None, ""):
            yield Problem(f"variable {name!r} has a default password", stack.at(block, "default"),
                          hint="remove the default: each customer sets their own")

