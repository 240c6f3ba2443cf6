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
from typing import Any, Final

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


class _Unknown:
    """The value of anything we cannot compute offline."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()


def is_known(value: Any) -> bool:
    """True when ``value`` holds no unknown part."""
    if value is UNKNOWN:
        return False
    if isinstance(value, list):
        return all(is_known(v) for v in value)
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    return True


@dataclass
class Scope:
    """What names mean while evaluating: variables, locals (lazily), count/each."""

    variables: Mapping[str, Any] = field(default_factory=dict)
    locals: Mapping[str, Node] = field(default_factory=dict)
    count_index: Any = UNKNOWN
    each: Any = UNKNOWN
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
            return "".join(_to_string(p) for p in parts)
        case Ref():
            return _ref(node, scope)
        case Cond():
            cond = _eval(node.cond, scope)
            if cond is UNKNOWN:
                then, other = _eval(node.then, scope), _eval(node.other, scope)
                return then if is_known(then) and then == other else UNKNOWN
            return _eval(node.then if _truthy(cond) else node.other, scope)
        case BinOp():
            return _binary(node.op, _eval(node.left, scope), _eval(node.right, scope))
        case Unary():
            value = _eval(node.operand, scope)
            if value is UNKNOWN:
                return UNKNOWN
            return (not _truthy(value)) if node.op == "!" else -value
        case ListExpr():
            return [_eval(item, scope) for item in node.items]
        case ObjExpr():
            result: dict[str, Any] = {}
            for key, value in node.pairs:
                k = _eval(key, scope)
                if k is UNKNOWN:
                    return UNKNOWN
                result[_to_string(k)] = _eval(value, scope)
            return result
        case Call():
            args = [_eval(a, scope) for a in node.args]
            if node.name == "try":
                return next((a for a in args if is_known(a)), UNKNOWN)
            fn = _FUNCTIONS.get(node.name)
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
        value = _index(value, key)
    return value


def _index(value: Any, key: Any) -> Any:
    if value is UNKNOWN or key is UNKNOWN:
        return UNKNOWN
    if isinstance(value, dict):
        return value.get(_to_string(key), UNKNOWN)
    if isinstance(value, list) and isinstance(key, int | float) and not isinstance(key, bool):
        return value[int(key)] if 0 <= int(key) < len(value) else UNKNOWN
    return UNKNOWN


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        if value not in ("true", "false"):
            raise ValueError("not a bool")
        return value == "true"
    return bool(value)


def _to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return ""
    return str(value)


def _number(value: Any) -> float | int:
    if isinstance(value, bool):
        raise TypeError("bool is not a number")
    if isinstance(value, str):
        return float(value) if "." in value else int(value)
    if isinstance(value, int | float):
        return value
    raise TypeError("not a number")


def _binary(op: str, left: Any, right: Any) -> Any:
    if op in ("&&", "||"):
        # Short-circuit only on a decided side, as Terraform's result would be the same.
        if op == "&&" and ((left is not UNKNOWN and not _truthy(left)) or
                           (right is not UNKNOWN and not _truthy(right))):
            return False
        if op == "||" and ((left is not UNKNOWN and _truthy(left)) or
                           (right is not UNKNOWN and _truthy(right))):
            return True
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        return _truthy(left) and _truthy(right) if op == "&&" else _truthy(left) or _truthy(right)
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    a, b = _number(left), _number(right)
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


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if not isinstance(mapping, dict):
        return UNKNOWN
    value = mapping.get(_to_string(key), UNKNOWN)
    if value is UNKNOWN and default:
        return default[0]
    return value


def _element(items: Any, index: Any) -> Any:
    if not isinstance(items, list) or not items:
        return UNKNOWN
    return items[int(_number(index)) % len(items)]


def _length(value: Any) -> Any:
    if isinstance(value, list | dict | str):
        return len(value)
    return UNKNOWN


def _merge(*maps: Any) -> Any:
    result: dict[str, Any] = {}
    for m in maps:
        if not isinstance(m, dict):
            return UNKNOWN
        result.update(m)
    return result


def _concat(*lists: Any) -> Any:
    result: list[Any] = []
    for items in lists:
        if not isinstance(items, list):
            return UNKNOWN
        result.extend(items)
    return result


def _coalesce(*values: Any) -> Any:
    return next((v for v in values if v not in (None, "")), UNKNOWN)


def _contains(items: Any, value: Any) -> Any:
    return value in items if isinstance(items, list) else UNKNOWN


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "lookup": _lookup,
    "element": _element,
    "length": _length,
    "merge": _merge,
    "concat": _concat,
    "coalesce": _coalesce,
    "contains": _contains,
    "keys": lambda m: sorted(m) if isinstance(m, dict) else UNKNOWN,
    "values": lambda m: [m[k] for k in sorted(m)] if isinstance(m, dict) else UNKNOWN,
    "tostring": lambda v: _to_string(v) if not isinstance(v, list | dict) else UNKNOWN,
    "tonumber": _number,
    "tobool": lambda v: _truthy(v),
    "tolist": lambda v: list(v) if isinstance(v, list) else UNKNOWN,
    "toset": lambda v: list(dict.fromkeys(v)) if isinstance(v, list) else UNKNOWN,
    "tomap": lambda v: v if isinstance(v, dict) else UNKNOWN,
    "upper": lambda s: s.upper() if isinstance(s, str) else UNKNOWN,
    "lower": lambda s: s.lower() if isinstance(s, str) else UNKNOWN,
    "trimspace": lambda s: s.strip() if isinstance(s, str) else UNKNOWN,
    "min": lambda *a: min(_number(x) for x in a),
    "max": lambda *a: max(_number(x) for x in a),
    "__index__": _index,
}
