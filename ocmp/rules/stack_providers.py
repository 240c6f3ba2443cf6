"""STK028–STK032: provider requirements and configurations, provisioners, files the
configuration reads."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.terraform.evaluate import Scope as EvalScope
from ocmp.core.terraform.evaluate import evaluate
from ocmp.core.terraform.expr import parse_value
from ocmp.rules.base import rule
from ocmp.rules.stack_common import stack_of

if TYPE_CHECKING:
    from ocmp.core.project import Project
    from ocmp.core.terraform.model import Block


def _requirements(project: Project) -> Iterator[tuple[Block, str, dict[str, Any]]]:
    for inst in stack_of(project).model.instances():
        for block in inst.config.terraform:
            for req in block.nested("required_providers"):
                for name, spec in req.items():
                    if name.startswith("__"):
                        continue
                    value = evaluate(parse_value(spec), EvalScope())
                    if isinstance(value, str):
                        value = {"version": value}  # legacy `oci = "~> 4"` form
                    if isinstance(value, dict):
                        yield block, name, value


@rule("STK028", name="stack.oci-provider-requirement", severity=Severity.WARNING,
      scope=Scope.STACK, summary="The oci provider comes from oracle/oci without a pin or cap")
def oci_requirement(project: Project) -> Iterator[Problem]:
    """STK028."""
    stack = stack_of(project)
    for block, name, spec in _requirements(project):
        source = str(spec.get("source", ""))
        if name != "oci" and not source.endswith("/oci"):
            continue
        where = stack.at(block, f"required_providers.{name}")
        if source and source.lower() not in ("oracle/oci", "hashicorp/oci",
                                             "registry.terraform.io/oracle/oci"):
            yield Problem(f"the oci provider source is {source!r}", where,
                          hint="use source = \"oracle/oci\"")
        version = str(spec.get("version", ""))
        if re.search(r"(^|,)\s*(=|<|<=|~>)?\s*\d", version) and re.search(
                r"(^\s*=?\s*\d)|<|~>", version):
            yield Problem(f"the oci provider version {version!r} pins or caps the provider; "
                          "Resource Manager serves the latest one", where,
                          hint="state a floor only, e.g. \">= 6.30.0\"")


@rule("STK029", name="stack.providers-public", severity=Severity.WARNING, scope=Scope.STACK,
      summary="Third-party providers come from the public Terraform registry")
def providers_public(project: Project) -> Iterator[Problem]:
    """STK029."""
    stack = stack_of(project)
    for block, name, spec in _requirements(project):
        source = str(spec.get("source", ""))
        if source.count("/") >= 2 and not source.startswith("registry.terraform.io/"):
            yield Problem(f"provider {name} comes from {source!r}, a private host",
                          stack.at(block, f"required_providers.{name}"),
                          hint="Resource Manager fetches providers from the public registry")


def _alias(block: Block) -> str | None:
    """The provider configuration's ``alias`` (None: the default configuration)."""
    if "alias" not in block.body:
        return None
    value = evaluate(parse_value(block.body["alias"]), EvalScope())
    return value if isinstance(value, str) else str(block.body["alias"])


@rule("STK032", name="stack.provider-configured-once", severity=Severity.ERROR,
      scope=Scope.STACK, summary="Each provider has one default configuration per module; "
      "others carry distinct aliases")
def provider_configured_once(project: Project) -> Iterator[Problem]:
    """STK032: Terraform stops on "Duplicate provider configuration"."""
    stack = stack_of(project)
    for inst in stack.model.instances():
        first: dict[tuple[str, str | None], Block] = {}
        for block in inst.config.providers:
            key = (block.name, _alias(block))
            seen = first.setdefault(key, block)
            if seen is block:
                continue
            where = stack.at(seen)
            which = (f'provider "{block.name}" with alias {key[1]!r}' if key[1] is not None
                     else f'a second default provider "{block.name}" (no alias)')
            yield Problem(
                f"{which}: Terraform refuses it as a duplicate provider configuration "
                f"(first at {where.file}:{where.line})", stack.at(block),
                hint="keep one default configuration and merge the settings into it, or give "
                "the extra one its own alias = \"…\" and select it with provider = "
                f"{block.name}.ALIAS")


def provisioners(project: Project) -> Iterator[tuple[Block, str, dict[str, Any]]]:
    """Every provisioner block: (resource, kind, body)."""
    for _, block in stack_of(project).model.resources():
        for prov in block.body.get("provisioner", []) or []:
            if isinstance(prov, dict):
                for kind, body in prov.items():
                    if not kind.startswith("__") and isinstance(body, dict):
                        yield block, kind, body


@rule("STK030", name="stack.no-provisioners", severity=Severity.WARNING, scope=Scope.STACK,
      summary="No local-exec or remote-exec provisioners")
def no_provisioners(project: Project) -> Iterator[Problem]:
    """STK030."""
    stack = stack_of(project)
    for block, kind, _ in provisioners(project):
        if kind in ("local-exec", "remote-exec"):
            yield Problem(f"{block.address} runs a {kind} provisioner", stack.at(
                block, "provisioner"), hint="configure instances with cloud-init user_data")


@rule("STK031", name="stack.read-files-exist", severity=Severity.ERROR, scope=Scope.STACK,
      summary="Files read with file() or templatefile() exist inside the zip")
def read_files_exist(project: Project) -> Iterator[Problem]:
    """STK031: an error when the path is known (a literal or computed from defaults) and a
    default launch makes the call; a warning where it may not (a conditional, try(), a
    counted resource)."""
    stack = stack_of(project)
    for read in stack.reads:
        if read.path is None or read.path in stack.files.files:
            continue
        if read.outside:
            yield Problem(f"{read.how} reads {read.raw!r}, outside the stack: `terraform plan` "
                          "fails on it in Resource Manager", stack.at(read.block, read.attr),
                          severity=Severity.ERROR,
                          hint="copy the file into the stack folder and read it from "
                          "\"${path.module}/...\"")
        elif read.guarded:
            yield Problem(f"{read.how} reads {read.raw!r}, which is not in the stack, where "
                          "a launch may make the call", stack.at(read.block, read.attr),
                          severity=Severity.WARNING,
                          hint="add the file to the stack folder, or fix the path")
        else:
            yield Problem(f"{read.how} reads {read.raw!r}, which is not in the stack: "
                          "`terraform plan` fails on it", stack.at(read.block, read.attr),
                          hint="add the file to the stack folder, or fix the path")
