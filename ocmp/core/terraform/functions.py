"""The Terraform built-in functions the stack rules meet, over :mod:`.values`.

An unsupported function, or an argument of the wrong type, is :data:`UNKNOWN`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ocmp.core.terraform.values import UNKNOWN, index, number, to_string, truthy


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if not isinstance(mapping, dict):
        return UNKNOWN
    value = mapping.get(to_string(key), UNKNOWN)
    if value is UNKNOWN and default:
        return default[0]
    return value


def _element(items: Any, index: Any) -> Any:
    if not isinstance(items, list) or not items:
        return UNKNOWN
    return items[int(number(index)) % len(items)]


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


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "lookup": _lookup,
    "element": _element,
    "length": _length,
    "merge": _merge,
    "concat": _concat,
    "coalesce": _coalesce,
    "contains": _contains,
    "keys": lambda m: sorted(m) if isinstance(m, dict) else UNKNOWN,
    "values": lambda m: [m[k] for k in sorted(m)] if isinstance(m, dict) else UNKNOWN,
    "tostring": lambda v: to_string(v) if not isinstance(v, list | dict) else UNKNOWN,
    "tonumber": number,
    "tobool": lambda v: truthy(v),
    "tolist": lambda v: list(v) if isinstance(v, list) else UNKNOWN,
    "toset": lambda v: list(dict.fromkeys(v)) if isinstance(v, list) else UNKNOWN,
    "tomap": lambda v: v if isinstance(v, dict) else UNKNOWN,
    "upper": lambda s: s.upper() if isinstance(s, str) else UNKNOWN,
    "lower": lambda s: s.lower() if isinstance(s, str) else UNKNOWN,
    "trimspace": lambda s: s.strip() if isinstance(s, str) else UNKNOWN,
    "min": lambda *a: min(number(x) for x in a),
    "max": lambda *a: max(number(x) for x in a),
    "__index__": index,
}
