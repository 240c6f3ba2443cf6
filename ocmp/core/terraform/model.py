"""The normalised Terraform model: blocks by address, modules wired to their callers.

Built from the parsed files of a stack (paths relative to the stack root, POSIX form).
A :class:`ModuleConfig` is one folder of ``.tf``/``.tf.json`` files; a
:class:`ModuleInstance` is that folder as called from a place in the tree, with its own
:class:`~ocmp.core.terraform.evaluate.Scope` (module inputs bound to its variables).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ocmp.core.terraform.evaluate import UNKNOWN, Scope, evaluate
from ocmp.core.terraform.expr import Node, parse_value, references
from ocmp.core.terraform.values import number, to_string

MAX_MODULE_DEPTH = 16  # Terraform has no hard limit; a cycle of local modules must stop


@dataclass
class Block:
    """One top-level block of a file: ``resource "t" "n" {…}``, ``variable "v" {…}``…"""

    kind: str
    labels: tuple[str, ...]
    body: dict[str, Any]
    file: str
    line: int
    lines: dict[str, int]
    refs: dict[str, list[str]] | None = None  # precomputed by the reader, per attribute

    @property
    def name(self) -> str:
        """The last label (variable, output, module, resource name)."""
        return self.labels[-1] if self.labels else self.kind

    @property
    def address(self) -> str:
        """``type.name`` for resources, ``data.type.name`` for data sources."""
        if self.kind == "data":
            return "data." + ".".join(self.labels)
        if self.kind == "resource":
            return ".".join(self.labels)
        return f"{self.kind}.{self.name}"

    def line_of(self, dotted: str) -> int:
        """Line of an attribute or nested block (``source_details.source_id``), else the block's."""
        while dotted:
            if dotted in self.lines:
                return self.lines[dotted]
            dotted = dotted.rpartition(".")[0]
        return self.line

    def has(self, attr: str) -> bool:
        """Whether the attribute is set."""
        return attr in self.body

    def expr(self, attr: str) -> Node:
        """The attribute as an expression tree (parsed once)."""
        cache = self.__dict__.setdefault("_exprs", {})
        if attr not in cache:
            cache[attr] = parse_value(self.body.get(attr))
        node: Node = cache[attr]
        return node

    def attributes(self) -> list[tuple[str, Node]]:
        """Every top-level attribute (and nested block, as an object) as an expression tree."""
        return [(attr, self.expr(attr)) for attr in self.body if not attr.startswith("__")]

    def references(self) -> list[tuple[str, list[str]]]:
        """(attribute, references) for every top-level attribute, computed once."""
        cached = self.__dict__.get("_refs")
        if cached is None and self.refs is not None:
            cached = self.__dict__["_refs"] = list(self.refs.items())
        if cached is None:
            cached = [(attr, references(node)) for attr, node in self.attributes()]
            self.__dict__["_refs"] = cached
        result: list[tuple[str, list[str]]] = cached
        return result

    def nested(self, name: str) -> list[dict[str, Any]]:
        """Nested blocks called ``name`` (plain and ``dynamic`` ones' content)."""
        found = [b for b in _as_list(self.body.get(name)) if isinstance(b, dict)]
        for dyn in _as_list(self.body.get("dynamic")):
            if isinstance(dyn, dict) and name in dyn:
                for content in _as_list(dyn[name].get("content")):
                    if isinstance(content, dict):
                        found.append(content)
        return found


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class LazyNodes(Mapping[str, Node]):
    """Expressions parsed on first use: most locals of a large stack are never evaluated."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self._parsed: dict[str, Node] = {}

    def __getitem__(self, name: str) -> Node:
        if name not in self._parsed:
            self._parsed[name] = parse_value(self.raw[name])
        return self._parsed[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)

    def __contains__(self, name: object) -> bool:
        return name in self.raw


@dataclass
class ModuleConfig:
    """All blocks of one folder, indexed; duplicates kept aside for STK021."""

    dir: str  # "" for the stack root
    blocks: list[Block] = field(default_factory=list)
    variables: dict[str, Block] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Block] = field(default_factory=dict)  # name → its `locals` block
    local_exprs: LazyNodes = field(default_factory=lambda: LazyNodes({}))
    resources: dict[str, Block] = field(default_factory=dict)  # address → block (incl. data.)
    modules: dict[str, Block] = field(default_factory=dict)
    providers: list[Block] = field(default_factory=list)
    terraform: list[Block] = field(default_factory=list)
    duplicates: list[tuple[str, Block]] = field(default_factory=list)

    def add(self, block: Block) -> None:
        """Index one block."""
        self.blocks.append(block)
        kind = block.kind
        if kind == "locals":
            for name in block.body:
                if name in self.locals:
                    self.duplicates.append((f"local.{name}", block))
                else:
                    self.locals[name] = block
                    self.local_exprs.raw[name] = block.body[name]
            return
        if kind == "provider":
            self.providers.append(block)
            return
        if kind == "terraform":
            self.terraform.append(block)
            return
        index: dict[str, Block] | None = {
            "variable": self.variables, "output": self.outputs, "module": self.modules,
        }.get(kind)
        if kind in ("resource", "data") and len(block.labels) == 2:
            index, key = self.resources, block.address
        elif index is not None and len(block.labels) == 1:
            key = block.name
        else:
            return
        if key in index:
            self.duplicates.append((block.address, block))
        else:
            index[key] = block


@dataclass
class ModuleInstance:
    """A module folder as called from one place, with its evaluation scope."""

    address: str  # "" for the root, "module.net", "module.net.module.sub"
    config: ModuleConfig
    scope: Scope
    call: Block | None = None  # the `module` block in the parent
    children: list[ModuleInstance] = field(default_factory=list)

    def prefix(self, local: str) -> str:
        """A resource address inside this instance, as Terraform prints it."""
        return f"{self.address}.{local}" if self.address else local

    def value(self, node: Node) -> Any:
        """Evaluate an expression in this instance's scope."""
        return evaluate(node, self.scope)


@dataclass
class ModuleCall:
    """A `module` block and where its source leads."""

    block: Block
    caller_dir: str
    source: str
    target: str | None  # the folder in the stack, for a local source that resolves
    problem: str | None  # why it does not resolve, for local sources


@dataclass
class TerraformModel:
    """Every module folder of the stack, the instance tree, and the module calls."""

    configs: dict[str, ModuleConfig]
    root: ModuleInstance
    calls: list[ModuleCall]
    errors: dict[str, dict[str, Any]]  # file → {"line", "message"} for files that did not parse

    def instances(self) -> Iterator[ModuleInstance]:
        """The root then every module instance, depth first."""
        stack = [self.root]
        while stack:
            inst = stack.pop()
            yield inst
            stack.extend(reversed(inst.children))

    def resources(self, *types: str) -> Iterator[tuple[ModuleInstance, Block]]:
        """Resources/data sources of the given types (all when none), in every instance."""
        for inst in self.instances():
            for block in inst.config.resources.values():
                if not types or (block.labels and block.labels[0] in types):
                    yield inst, block


def _literal_default(block: Block) -> Any:
    if "default" not in block.body:
        return UNKNOWN  # the user must give a value: nothing to prove with
    return evaluate(parse_value(block.body["default"]), Scope())


def terraform_default(block: Block) -> Any:
    """A variable's own ``default`` (UNKNOWN when absent or not literal), whatever a
    caller or the schema passes instead."""
    return _literal_default(block)


def _as_declared(block: Block, value: Any) -> Any:
    """A value passed from outside (Resource Manager hands every value over as text),
    converted the way Terraform converts it to the variable's primitive type."""
    kind = block.body.get("type")
    try:
        if kind == "string" and isinstance(value, bool | int | float):
            return to_string(value)
        if kind == "number" and isinstance(value, str):
            return number(value)
        if kind == "bool" and value in ("true", "false"):
            return value == "true"
    except (TypeError, ValueError):
        return UNKNOWN  # Terraform refuses it; nothing to prove with
    return value


def build_model(parsed: Mapping[str, Any], folders: set[str],
                root_values: Mapping[str, Any] | None = None) -> TerraformModel:
    """Index the parsed files (``path → parse entry``) and wire the module tree.

    ``folders`` are the directories that exist in the stack (for module resolution).
    ``root_values`` are values given to root variables instead of their Terraform
    defaults — what a launch passes (the schema's defaults, see ``Stack.launch_values``);
    names Terraform does not declare are ignored, as Terraform ignores them.
    """
    configs: dict[str, ModuleConfig] = {}
    errors: dict[str, dict[str, Any]] = {}
    for path in sorted(parsed):
        entry = parsed[path]
        folder = posixpath.dirname(path)
        config = configs.setdefault(folder, ModuleConfig(folder))
        if entry.get("error"):
            errors[path] = entry["error"]
        for raw in entry.get("blocks", []):
            config.add(Block(raw["kind"], tuple(raw["labels"]), raw["body"], path,
                             raw["line"], raw["lines"], raw.get("refs")))
    root_config = configs.setdefault("", ModuleConfig(""))
    calls: list[ModuleCall] = []
    for folder, config in configs.items():
        for block in config.modules.values():
            calls.append(_resolve_call(block, folder, configs, folders))
    by_block = {id(c.block): c for c in calls}

    def instantiate(address: str, config: ModuleConfig, variables: dict[str, Any],
                    call: Block | None, depth: int) -> ModuleInstance:
        scope = Scope(variables=variables, locals=config.local_exprs,
                      module_path=config.dir or ".")
        inst = ModuleInstance(address, config, scope, call)
        if depth >= MAX_MODULE_DEPTH:
            return inst
        for name, block in config.modules.items():
            resolved = by_block[id(block)]
            if resolved.target is None:
                continue
            child = configs[resolved.target]
            inputs = {
                var: (inst.value(parse_value(block.body[var])) if var in block.body
                      else _literal_default(vblock))
                for var, vblock in child.variables.items()
            }
            child_address = f"{address}.module.{name}" if address else f"module.{name}"
            inst.children.append(instantiate(child_address, child, inputs, block, depth + 1))
        return inst

    given = root_values or {}
    root_vars = {n: _as_declared(b, given[n]) if n in given else _literal_default(b)
                 for n, b in root_config.variables.items()}
    root = instantiate("", root_config, root_vars, None, 0)
    return TerraformModel(configs, root, calls, errors)


def _resolve_call(block: Block, folder: str, configs: Mapping[str, ModuleConfig],
                  folders: set[str]) -> ModuleCall:
    source = evaluate(block.expr("source"), Scope())
    if not isinstance(source, str):
        return ModuleCall(block, folder, str(source), None, "the source is not a literal string")
    if not source.startswith(("./", "../")):
        return ModuleCall(block, folder, source, None, None)  # registry, git, http: remote
    target = posixpath.normpath(posixpath.join(folder, source))
    if target == ".":
        target = ""
    if target == ".." or target.startswith("../"):
        return ModuleCall(block, folder, source, None, "it leaves the stack root")
    if target not in configs:
        why = "the folder holds no .tf file" if target in folders else "no such folder in the stack"
        return ModuleCall(block, folder, source, None, why)
    return ModuleCall(block, folder, source, target, None)
