"""The expression tree of Terraform expressions, and what can be read off it without values.

:mod:`ocmp.core.terraform.expr` builds these nodes; :mod:`ocmp.core.terraform.evaluate`
computes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Lit:
    """A literal value: string, number, bool or null."""

    value: Any


@dataclass(frozen=True)
class Template:
    """A string template: literal text and interpolated expressions, in order."""

    parts: tuple[str | Node, ...]


@dataclass(frozen=True)
class Ref:
    """A traversal: a root name then attribute names (str) or index expressions."""

    root: str
    steps: tuple[str | Node, ...] = ()

    def dotted(self) -> str:
        """The traversal up to its first index, e.g. ``var.images`` for ``var.images["a"]``."""
        names = [self.root]
        for step in self.steps:
            if not isinstance(step, str):
                break
            names.append(step)
        return ".".join(names)


@dataclass(frozen=True)
class Call:
    """A function call."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Cond:
    """``cond ? then : other``."""

    cond: Node
    then: Node
    other: Node


@dataclass(frozen=True)
class BinOp:
    """A binary operator."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Unary:
    """``!x`` or ``-x``."""

    op: str
    operand: Node


@dataclass(frozen=True)
class ListExpr:
    """``[a, b]``."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class ObjExpr:
    """``{k = v}`` with literal or computed keys."""

    pairs: tuple[tuple[Node, Node], ...]


@dataclass(frozen=True)
class Opaque:
    """Something valid we do not evaluate (for expressions, splats, directives)."""

    text: str
    names: tuple[str, ...] = field(default=())


Node = Lit | Template | Ref | Call | Cond | BinOp | Unary | ListExpr | ObjExpr | Opaque


def references(node: Node) -> list[str]:
    """Every traversal the expression mentions, as dotted names (``var.x``, ``aws_x.y.id``)."""
    found: list[str] = []
    _collect(node, found)
    return found


def _collect(node: Node, found: list[str]) -> None:
    match node:
        case Ref():
            found.append(node.dotted())
            for step in node.steps:
                if not isinstance(step, str):
                    _collect(step, found)
        case Template():
            for part in node.parts:
                if not isinstance(part, str):
                    _collect(part, found)
        case Call():
            for arg in node.args:
                _collect(arg, found)
        case Cond():
            for sub in (node.cond, node.then, node.other):
                _collect(sub, found)
        case BinOp():
            _collect(node.left, found)
            _collect(node.right, found)
        case Unary():
            _collect(node.operand, found)
        case ListExpr():
            for item in node.items:
                _collect(item, found)
        case ObjExpr():
            for key, value in node.pairs:
                _collect(key, found)
                _collect(value, found)
        case Opaque():
            found.extend(node.names)
        case _:
            pass


def children(node: Node) -> list[Node]:
    """The direct sub-expressions of a node."""
    match node:
        case Ref():
            return [s for s in node.steps if not isinstance(s, str)]
        case Template():
            return [p for p in node.parts if not isinstance(p, str)]
        case Call():
            return list(node.args)
        case Cond():
            return [node.cond, node.then, node.other]
        case BinOp():
            return [node.left, node.right]
        case Unary():
            return [node.operand]
        case ListExpr():
            return list(node.items)
        case ObjExpr():
            return [x for pair in node.pairs for x in pair]
    return []
