"""A small evaluator: what a Terraform expression is worth with the variables' defaults.

It knows literals, ``var.``/``local.`` (with module inputs bound by the caller),
``count.index``/``each.key``, ternaries, arithmetic and comparisons, string templates,
indexing, and the handful of functions the stack rules meet (``lookup``, ``element``,
``length``, ``concat``, ``merge``, ``coalesce``, ``try``…). Everything else is
:data:`UNKNOWN`: rules turn that into a "cannot prove" warning, never into an error.
"""

from __future__ import annotations

import re
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
    iterators: Mapping[str, Any] = field(default_factory=dict)  # names a `for` binds
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
            return _for(node.text, scope)
    return UNKNOWN


_FOR_HEAD = re.compile(r"^\s*([\[{])\s*for\s+([A-Za-z_]\w*)\s*(?:,\s*([A-Za-z_]\w*)\s*)?in\s",
                       re.S)


def _top_level(text: str, word: str, start: int = 0) -> int:
    """The offset of ``word`` in ``text`` outside brackets and strings, or -1."""
    depth, quote, i = 0, False, start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            quote = ch != '"'
        elif ch == '"':
            quote = True
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and text.startswith(word, i) and (
                word in (":", "=>") or ((i == 0 or not text[i - 1].isalnum())
                                        and not text[i + len(word):i + len(word) + 1].isalnum())):
            return i
        i += 1
    return -1


def _for(text: str, scope: Scope) -> Any:
    """A ``[for … : …]`` or ``{for … : k => v}`` expression (with ``if``) over a known
    collection; anything else (grouping ``...``, unknown parts) is UNKNOWN."""
    from ocmp.core.terraform.expr import parse_expression

    head = _FOR_HEAD.match(text)
    closing = {"[": "]", "{": "}"}
    if head is None or not text.rstrip().endswith(closing[head.group(1)]):
        return UNKNOWN
    body = text.rstrip()[head.end():-1]
    colon = _top_level(body, ":")
    if colon < 0 or "..." in body:
        return UNKNOWN
    collection = _eval(parse_expression(body[:colon].strip()), scope)
    rest = body[colon + 1:]
    cut = _top_level(rest, "if")
    cond_text = rest[cut + 2:] if cut >= 0 else None
    rest = rest[:cut] if cut >= 0 else rest
    is_object = head.group(1) == "{"
    arrow = _top_level(rest, "=>") if is_object else -1
    if is_object and arrow < 0:
        return UNKNOWN
    key_node = parse_expression(rest[:arrow].strip()) if is_object else None
    value_node = parse_expression((rest[arrow + 2:] if is_object else rest).strip())
    cond_node = parse_expression(cond_text.strip()) if cond_text is not None else None
    if isinstance(collection, dict):
        items = list(collection.items())
    elif isinstance(collection, list):
        items = list(enumerate(collection))
    else:
        return UNKNOWN
    first, second = head.group(2), head.group(3)
    out_list: list[Any] = []
    out_map: dict[str, Any] = {}
    for key, value in items:
        bound = {first: key, second: value} if second else {first: value}
        inner = Scope(scope.variables, scope.locals, scope.count_index, scope.each,
                      scope.module_path, {**scope.iterators, **bound}, scope._local_values,
                      scope._evaluating)
        if cond_node is not None:
            keep = _eval(cond_node, inner)
            if keep is UNKNOWN:
                return UNKNOWN
            if not truthy(keep):
                continue
        item = _eval(value_node, inner)
        if key_node is not None:
            k = _eval(key_node, inner)
            if k is UNKNOWN:
                return UNKNOWN
            out_map[to_string(k)] = item
        else:
            out_list.append(item)
    return out_map if is_object else out_list


def _ref(node: Ref, scope: Scope) -> Any:
    steps = list(node.steps)
    if node.root in scope.iterators:
        value = scope.iterators[node.root]
    elif node.root == "var" and steps and isinstance(steps[0], str):
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
