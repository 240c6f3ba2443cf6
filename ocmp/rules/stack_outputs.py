"""STK060–STK065: schema outputs against Terraform outputs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.rm_schema import OUTPUT_TYPES, ref_name
from ocmp.core.terraform.evaluate import Scope as EvalScope
from ocmp.core.terraform.evaluate import evaluate
from ocmp.core.terraform.expr import parse_value
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
    for name, block in tf.items():
        if not _SECRET_NAME.search(name):
            continue
        if evaluate(parse_value(block.body.get("sensitive")), EvalScope()) is not True:
            yield Problem(f"output {name!r} looks secret but is not sensitive = true",
                          stack.at(block), hint="add sensitive = true")
        spec = schema.outputs.get(name) if schema else None
        if isinstance(spec, dict) and spec.get("sensitive") is not True and schema:
            yield Problem(f"schema output {name!r} is not sensitive: true", stack.where(
                schema.file, schema.line_of("outputs", name)), hint="add sensitive: true")
