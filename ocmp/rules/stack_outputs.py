"""STK060–STK065: schema outputs against Terraform outputs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.rm_schema import OUTPUT_TYPES, ref_name
from ocmp.core.terraform.evaluate import Scope as EvalScope
from ocmp.core.terraform.evaluate import evaluate
from ocmp.core.terraform.expr import Call, Cond, ListExpr, Node, ObjExpr, Ref, Template, parse_value
from ocmp.rules.base import rule
from ocmp.rules.stack_common import (
    needs_root_configuration,
    needs_whole_configuration,
    stack_of,
)

if TYPE_CHECKING:
    from ocmp.core.project import Project
    from ocmp.core.rm_schema import SchemaDoc
    from ocmp.core.stack import Stack


def _schema(project: Project) -> tuple[Stack, SchemaDoc] | None:
    stack = stack_of(project)
    if stack.schema is None or stack.schema.error:
        return None
    return stack, stack.schema


@rule("STK060", name="stack.schema-outputs-exist", severity=Severity.ERROR, scope=Scope.STACK,
      summary="Every output the schema names is a Terraform output")
@needs_root_configuration
def outputs_exist(project: Project) -> Iterator[Problem]:
    """STK060."""
    pair = _schema(project)
    if pair is None:
        return
    stack, schema = pair
    tf = stack.model.root.config.outputs
    for name in schema.outputs:
        if name not in tf:
            yield Problem(f"schema output {name!r} is not a Terraform output", stack.where(
                schema.file, schema.line_of("outputs", name)), hint="add `output` or remove it")
    groups = schema.data.get("outputGroups")
    for gi, group in enumerate(groups if isinstance(groups, list) else []):
        members = group.get("outputs") if isinstance(group, dict) else None
        for pos, name in enumerate(members if isinstance(members, list) else []):
            if isinstance(name, str) and ref_name(name) not in tf:
                yield Problem(f"output group member {name!r} is not a Terraform output",
                              stack.where(schema.file, schema.line_of("outputGroups", gi,
                                                                      "outputs", pos)),
                              hint="fix the name or remove it")


@rule("STK061", name="stack.output-types", severity=Severity.WARNING, scope=Scope.STACK,
      summary="Schema outputs have a valid type")
def output_types(project: Project) -> Iterator[Problem]:
    """STK061."""
    pair = _schema(project)
    if pair is None:
        return
    stack, schema = pair
    for name, spec in schema.outputs.items():
        kind = spec.get("type") if isinstance(spec, dict) else None
        if kind not in OUTPUT_TYPES:
            what = "has no type" if kind is None else f"has unknown type {kind!r}"
            yield Problem(f"output {name!r} {what}", stack.where(
                schema.file, schema.line_of("outputs", name)),
                hint="type: one of " + ", ".join(sorted(OUTPUT_TYPES)))


@rule("STK062", name="stack.primary-button-link", severity=Severity.WARNING, scope=Scope.STACK,
      summary="primaryOutputButton names an output of type link")
def primary_button(project: Project) -> Iterator[Problem]:
    """STK062."""
    pair = _schema(project)
    if pair is None:
        return
    stack, schema = pair
    button = schema.data.get("primaryOutputButton")
    if not isinstance(button, str):
        return
    spec = schema.outputs.get(ref_name(button))
    if not isinstance(spec, dict) or spec.get("type") != "link":
        yield Problem(f"primaryOutputButton {button!r} is not a schema output of type link",
                      stack.where(schema.file, schema.line_of("primaryOutputButton")),
                      hint="point it at a `type: link` output, or no button appears")


@rule("STK063", name="stack.link-text-length", severity=Severity.WARNING, scope=Scope.STACK,
      summary="Link outputs' displayText is 3 to 45 characters")
def link_text(project: Project) -> Iterator[Problem]:
    """STK063."""
    pair = _schema(project)
    if pair is None:
        return
    stack, schema = pair
    for name, spec in schema.outputs.items():
        text = spec.get("displayText") if isinstance(spec, dict) else None
        if isinstance(text, str) and not 3 <= len(text) <= 45:
            yield Problem(f"output {name!r}: displayText has {len(text)} characters",
                          stack.where(schema.file, schema.line_of("outputs", name,
                                                                  "displayText")),
                          hint="keep it between 3 and 45 characters")


@rule("STK064", name="stack.output-visible-boolean", severity=Severity.WARNING,
      scope=Scope.STACK, summary="Output visible is a plain boolean")
def output_visible(project: Project) -> Iterator[Problem]:
    """STK064."""
    pair = _schema(project)
    if pair is None:
        return
    stack, schema = pair
    for name, spec in schema.outputs.items():
        if isinstance(spec, dict) and "visible" in spec and not isinstance(spec["visible"], bool):
            yield Problem(f"output {name!r}: visible is not true/false", stack.where(
                schema.file, schema.line_of("outputs", name, "visible")),
                hint="the meta-schema allows only a boolean here")


_SECRET_NAME = re.compile(r"passw|secret|private_key|token", re.I)
_PASSWORD = re.compile(r"passw(or)?d|passwd", re.I)
# Functions that hand their argument's text on: an output of `tostring(var.pw)` prints it.
_PASSING = {"tostring", "nonsensitive", "trimspace", "trim", "format", "join", "lower", "upper",
            "coalesce", "base64encode", "jsonencode", "yamlencode", "try", "one", "tolist",
            "tomap", "concat", "merge"}


def _printed(node: Node) -> Iterator[str]:
    """The references whose value an output expression shows as it is (not a test of it,
    such as ``var.pw != ""``, nor a digest of it)."""
    if isinstance(node, Ref):
        yield node.dotted()
    elif isinstance(node, Template):
        for part in node.parts:
            if not isinstance(part, str):
                yield from _printed(part)
    elif isinstance(node, Cond):
        yield from _printed(node.then)
        yield from _printed(node.other)
    elif isinstance(node, ListExpr):
        for item in node.items:
            yield from _printed(item)
    elif isinstance(node, ObjExpr):
        for _, value in node.pairs:
            yield from _printed(value)
    elif isinstance(node, Call) and node.name in _PASSING:
        for arg in node.args:
            yield from _printed(arg)


def password_references(stack: Stack) -> set[str]:
    """``var.NAME`` of every password variable — by its name, or by the schema's
    ``type: password`` — for matching against what an output prints."""
    schema = stack.schema
    specs = schema.variables if schema is not None and not schema.error else {}
    found = set()
    for name in stack.model.root.config.variables:
        spec = specs.get(name)
        if _PASSWORD.search(name) or (isinstance(spec, dict) and spec.get("type") == "password"):
            found.add(f"var.{name}")
    return found


def _a_password(ref: str, variables: set[str]) -> bool:
    if ref in variables:
        return True
    parts = ref.split(".")
    # random_password.x.result, or a resource's password attribute (…db.admin_password)
    return (parts[0] == "random_password" and len(parts) >= 3) or (
        parts[0] not in ("var", "local", "module", "path", "count", "each", "self")
        and len(parts) >= 3 and _PASSWORD.search(parts[-1]) is not None)


@rule("STK065", name="stack.outputs-present-and-sensitive", severity=Severity.WARNING,
      scope=Scope.STACK, summary="The stack has outputs, and secret outputs are sensitive")
@needs_whole_configuration
def outputs_sensitive(project: Project) -> Iterator[Problem]:
    """STK065."""
    stack = stack_of(project)
    tf = stack.model.root.config.outputs
    if not tf and any(p.endswith(".tf") for p in stack.files.files):
        yield Problem("the stack has no output: customers see nothing after apply",
                      stack.where(), hint="output the address or URL of what was created")
    schema = stack.schema
    passwords = password_references(stack)
    for name, block in tf.items():
        sensitive = evaluate(parse_value(block.body.get("sensitive")), EvalScope()) is True
        shown = sorted({r for r in _printed(parse_value(block.body.get("value")))
                        if _a_password(r, passwords)})
        if shown and not sensitive:
            yield Problem(f"output {name!r} prints the password {shown[0]} to everyone who "
                          "can read the stack's jobs and outputs", stack.at(block, "value"),
                          severity=Severity.ERROR,
                          hint="add sensitive = true (Resource Manager then hides it), or do "
                          "not output it")
        elif _SECRET_NAME.search(name) and not sensitive:
            yield Problem(f"output {name!r} looks secret but is not sensitive = true",
                          stack.at(block), hint="add sensitive = true")
        if not (shown or _SECRET_NAME.search(name)):
            continue
        spec = schema.outputs.get(name) if schema else None
        if isinstance(spec, dict) and spec.get("sensitive") is not True and schema:
            yield Problem(f"schema output {name!r} is not sensitive: true", stack.where(
                schema.file, schema.line_of("outputs", name)), hint="add sensitive: true")
