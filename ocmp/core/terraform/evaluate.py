"""A small evaluator: what a Terraform expression is worth with the variables' defaults.

It knows literals, ``var.``/``local.`` (with module inputs bound by the caller),
``count.index``/``each.key``, ternaries, arithmetic and comparisons, string templates,
indexing, and the handful of functions the stack rules meet (``lookup``, ``element``,
``length``, ``concat``, ``merge``, ``coalesce``, ``try``…). Everything else is
:data:`UNKNOWN`: rules turn that into a "cannot prove" warning, never into an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ocmp.core.terraform.expr import (
    BinOp,
    Call,
    Cond,
    ListExpr,
    Lit,
    Node,
    ObjExpr,
    Opaque,
    Ref,
    Template,
    Unary,
)
from ocmp.core.terraform.functions import FUNCTIONS
from ocmp.core.terraform.values import UNKNOWN, index, is_known, number, to_string, truthy

__all__ = ["UNKNOWN", "Scope", "evaluate", "is_known"]


@dataclass
class Scope:
    """What names mean while evaluating: variables, locals (lazily), count/each."""

    variables: Mapping[str, Any] = field(default_factory=dict)
    locals: Mapping[str, Node] = field(default_factory=dict)
    count_index: Any = UNKNOWN
    each: Any = UNKNOWN
    # The module's folder relative to the stack root ("." for the root), for path.module;
    # None where no module is in view (a variable's default is evaluated on its own).
    module_path: str | None = None
    _local_values: dict[str, Any] = field(default_factory=dict)
    _evaluating: set[str] = field(default_factory=set)

    def local(self, name: str) -> Any:
        """The value of ``local.name``, computed once; a cycle is unknown."""
        if name in self._local_values:
            return self._local_values[name]
        if name not in self.locals or name in self._evaluating:
            return UNKNOWN
        self._evaluating.add(name)
        try:
            value = evaluate(self.locals[name], self)
        finally:
            self._evaluating.discard(name)
        self._local_values[name] = value
        return value


def evaluate(node: Node, scope: Scope) -> Any:
    """The value of ``node`` in ``scope``, or :data:`UNKNOWN`."""
    try:
        return _eval(node, scope)
    except (TypeError, ValueError, KeyError, IndexError, ZeroDivisionError, RecursionError):
        return UNKNOWN


def _eval(node: Node, scope: Scope) -> Any:
    match node:
        case Lit():
            return node.value
        case Template():
            parts = [p if isinstance(p, str) else _eval(p, scope) for p in node.parts]
            if any(not is_known(p) or isinstance(p, list | dict) for p in parts):
                return UNKNOWN
            return "".join(to_string(p) for p in parts)
        case Ref():
            return _ref(node, scope)
        case Cond():
            cond = _eval(node.cond, scope)
            if cond is UNKNOWN:
                then, other = _eval(node.then, scope), _eval(node.other, scope)
                return then if is_known(then) and then == other else UNKNOWN
            return _eval(node.then if truthy(cond) else node.other, scope)
        case BinOp():
            return _binary(node.op, _eval(node.left, scope), _eval(node.right, scope))
        case Unary():
            value = _eval(node.operand, scope)
            if value is UNKNOWN:
                return UNKNOWN
            return (not truthy(value)) if node.op == "!" else -value
        case ListExpr():
            return [_eval(item, scope) for item in node.items]
        case ObjExpr():
            result: dict[str, Any] = {}
            for key, value in node.pairs:
                k = _eval(key, scope)
                if k is UNKNOWN:
                    return UNKNOWN
                result[to_string(k)] = _eval(value, scope)
            return result
        case Call():
            args = [_eval(a, scope) for a in node.args]
            if node.name == "try":
                return next((a for a in args if is_known(a)), UNKNOWN)
            fn = FUNCTIONS.get(node.name)
            if fn is None or any(a is UNKNOWN for a in args):
                return UNKNOWN
            return fn(*args)
        case Opaque():
            return UNKNOWN
    return UNKNOWN


def _ref(node: Ref, scope: Scope) -> Any:
    steps = list(node.steps)
    if node.root == "var" and steps and isinstance(steps[0], str):
        value = scope.variables.get(steps[0], UNKNOWN)
        steps = steps[1:]
    elif node.root == "local" and steps and isinstance(steps[0], str):
        value = scope.local(steps[0])
        steps = steps[1:]
    elif node.root == "path" and steps in (["module"], ["root"], ["cwd"]):
        if scope.module_path is None:
            return UNKNOWN
        return scope.module_path if steps == ["module"] else "."
    elif node.root == "count" and steps == ["index"]:
        return scope.count_index
    elif node.root == "each" and steps and steps[0] in ("key", "value"):
        each = scope.each
        if each is UNKNOWN:
            return UNKNOWN
        value = each[0] if steps[0] == "key" else each[1]
        steps = steps[1:]
    else:
        return UNKNOWN  # resources, data sources, modules: known only after apply
    for step in steps:
        if value is UNKNOWN:
            return UNKNOWN
        key = step if isinstance(step, str) else _eval(step, scope)
        value = index(value, key)
    return value


def _binary(op: str, left: Any, right: Any) -> Any:
    if op in ("&&", "||"):
        # Short-circuit only on a decided side, as Terraform's result would be the same.
        if op == "&&" and ((left is not UNKNOWN and not truthy(left)) or
                           (right is not UNKNOWN and not truthy(right))):
            return False
        if op == "||" and ((left is not UNKNOWN and truthy(left)) or
                           (right is not UNKNOWN and truthy(right))):
            return True
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        return truthy(left) and truthy(right) if op == "&&" else truthy(left) or truthy(right)
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    a, b = number(left), number(right)
    ops: dict[str, Callable[[Any, Any], Any]] = {
        "+": lambda x, y: x + y,
        "-": lambda x, y: x - y,
        "*": lambda x, y: x * y,
        "/": lambda x, y: x / y,
        "%": lambda x, y: x % y,
        "<": lambda x, y: x < y,
        ">": lambda x, y: x > y,
        "<=": lambda x, y: x <= y,
        ">=": lambda x, y: x >= y,
    }
    return ops[op](a, b)
