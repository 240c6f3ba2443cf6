"""STK028–STK031: provider requirements, provisioners, files the configuration reads."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.terraform.evaluate import Scope as EvalScope
from ocmp.core.terraform.evaluate import evaluate
from ocmp.core.terraform.expr import Call, Node, children, parse_value
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


_FILE_FUNCTIONS = {"file", "templatefile", "filebase64", "filemd5", "filesha256", "fileexists"}


def _file_calls(node: Node) -> Iterator[Call]:
    if isinstance(node, Call) and node.name in _FILE_FUNCTIONS:
        yield node
    for child in children(node):
        yield from _file_calls(child)


def _path_value(node: Node, folder: str) -> str | None:
    # path.module / path.root are the config folder and the stack root.
    scope = EvalScope(variables={})
    text = _render_path(node, folder)
    if text is not None:
        return text
    value = evaluate(node, scope)
    return value if isinstance(value, str) else None


def _render_path(node: Node, folder: str) -> str | None:
    from ocmp.core.terraform.expr import Lit, Ref, Template

    if isinstance(node, Lit) and isinstance(node.value, str):
        return node.value
    if isinstance(node, Template):
        out = []
        for part in node.parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, Ref) and part.root == "path" and part.steps in (("module",),
                                                                                   ("root",)):
                out.append((folder or ".") if part.steps == ("module",) else ".")
            else:
                return None
        return "".join(out)
    return None


@rule("STK031", name="stack.read-files-exist", severity=Severity.WARNING, scope=Scope.STACK,
      summary="Files read with file() or templatefile() exist inside the zip")
def read_files_exist(project: Project) -> Iterator[Problem]:
    """STK031."""
    stack = stack_of(project)
    for inst in stack.model.instances():
        folder = inst.config.dir
        for block in inst.config.blocks:
            for attr in block.body:
                if "file" not in str(block.body[attr]):
                    continue  # cheap pre-filter: most attributes call no file function
                for call in _file_calls(block.expr(attr)):
                    if not call.args:
                        continue
                    rel = _path_value(call.args[0], folder)
                    if rel is None:
                        continue
                    # Terraform resolves relative paths from the root module's folder.
                    target = posixpath.normpath(rel)
                    if target not in stack.files.files:
                        yield Problem(f"{call.name}({rel!r}) reads a file that is not in the zip",
                                      stack.at(block, attr),
                                      hint="put the file inside the stack folder, referenced "
                                      "from path.module")
