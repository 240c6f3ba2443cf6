"""Which files of the stack the Terraform configuration reads, and from where.

Terraform reads a file through ``file()``/``templatefile()``/``filebase64()``… (the path
may be built in a local or a variable's default: it is evaluated, not matched as text)
and a ``file`` provisioner copies its ``source`` to the instance. The stack rules that
look inside scripts (STK100/STK101), the image-id scan (STK085) and ``ocmp package``
(which ships only what is read) all start from this one list.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass

from ocmp.core.terraform.evaluate import evaluate
from ocmp.core.terraform.expr import Call, Cond, Node, children
from ocmp.core.terraform.model import Block, ModuleInstance, TerraformModel

FILE_FUNCTIONS = frozenset({"file", "templatefile", "filebase64", "filesha256", "filemd5",
                            "filesha1", "filesha512", "filebase64sha256", "filebase64sha512"})


@dataclass(frozen=True)
class FileRead:
    """One place where the configuration reads (or copies) a file."""

    inst: ModuleInstance
    block: Block
    attr: str  # the top-level attribute holding the call (for the line)
    how: str  # "templatefile()", "file()", … or "file provisioner"
    path: str | None  # stack-relative POSIX path; None when not computable from defaults
    raw: str  # the path as written/evaluated, for messages
    # Whether a default launch may not read it: under a conditional or try()/can(), or in
    # a resource with count/for_each (Terraform evaluates neither an untaken branch nor
    # the arguments of a resource it does not create).
    guarded: bool = False

    @property
    def outside(self) -> bool:
        """Whether the path leaves the stack root (``terraform plan`` cannot read it)."""
        return self.path is not None and (self.path == ".." or self.path.startswith("../")
                                          or self.path.startswith("/"))


def file_calls(node: Node) -> Iterator[Call]:
    """Every file-reading function call inside an expression."""
    for call, _ in _file_calls(node, False):
        yield call


def _file_calls(node: Node, guarded: bool) -> Iterator[tuple[Call, bool]]:
    """(call, guarded) for every file-reading call: guarded under a conditional or a
    try()/can(), where Terraform may never make the call."""
    if isinstance(node, Call) and node.name in FILE_FUNCTIONS:
        yield node, guarded
    inner = guarded or isinstance(node, Cond) or (
        isinstance(node, Call) and node.name in ("try", "can"))
    for child in children(node):
        yield from _file_calls(child, inner)


def _normalise(value: str) -> str:
    # Terraform resolves a relative path from the working directory: the stack root.
    if value.startswith("/"):
        return value
    return posixpath.normpath(value)


def reads(model: TerraformModel) -> list[FileRead]:
    """Every file read of every module instance, in model order."""
    found: list[FileRead] = []
    for inst in model.instances():
        for block in inst.config.blocks:
            counted = block.has("count") or block.has("for_each")
            for attr in block.body:
                if attr.startswith("__") or "file" not in str(block.body[attr]):
                    continue  # cheap pre-filter: most attributes call no file function
                for call, guarded in _file_calls(block.expr(attr), counted):
                    if not call.args:
                        continue
                    value = evaluate(call.args[0], inst.scope)
                    text = value if isinstance(value, str) else None
                    found.append(FileRead(inst, block, attr, f"{call.name}()",
                                          _normalise(text) if text else None,
                                          text or "<computed>", guarded))
            for prov in _provisioners(block, "file"):
                from ocmp.core.terraform.expr import parse_value

                if "source" not in prov:
                    continue
                value = evaluate(parse_value(prov["source"]), inst.scope)
                text = value if isinstance(value, str) else None
                found.append(FileRead(inst, block, "provisioner", "file provisioner",
                                      _normalise(text) if text else None, text or "<computed>",
                                      counted))
    return found


def _provisioners(block: Block, kind: str) -> Iterator[dict[str, object]]:
    for prov in block.nested("provisioner"):
        body = prov.get(kind) if isinstance(prov, dict) else None
        for item in body if isinstance(body, list) else [body]:
            if isinstance(item, dict):
                yield item
