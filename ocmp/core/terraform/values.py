"""Values of Terraform expressions: :data:`UNKNOWN` and the conversions Terraform applies.

Shared by the evaluator (:mod:`ocmp.core.terraform.evaluate`) and its built-in functions
(:mod:`ocmp.core.terraform.functions`).
"""

from __future__ import annotations

from typing import Any, Final


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


def index(value: Any, key: Any) -> Any:
    """``value[key]`` the way Terraform indexes maps and lists; UNKNOWN when it cannot."""
    if value is UNKNOWN or key is UNKNOWN:
        return UNKNOWN
    if isinstance(value, dict):
        return value.get(to_string(key), UNKNOWN)
    if isinstance(value, list) and isinstance(key, int | float) and not isinstance(key, bool):
        return value[int(key)] if 0 <= int(key) < len(value) else UNKNOWN
    return UNKNOWN


def truthy(value: Any) -> bool:
    """A condition's truth (``"true"``/``"false"`` strings convert; others raise)."""
    if isinstance(value, str):
        if value not in ("true", "false"):
            raise ValueError("not a bool")
        return value == "true"
    return bool(value)


def to_string(value: Any) -> str:
    """Terraform's string form (``true``, ``3`` for ``3.0``, empty for null)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return ""
    return str(value)


def number(value: Any) -> float | int:
    """Terraform's number conversion (numeric strings convert; bools raise)."""
    if isinstance(value, bool):
        raise TypeError("bool is not a number")
    if isinstance(value, str):
        return float(value) if "." in value else int(value)
    if isinstance(value, int | float):
        return value
    raise TypeError("not a number")


def hcl_text(value: Any) -> str:
    """A value written the way Terraform writes it (``true``, ``"a"``, ``{admin = 1}``), for
    messages: never Python's ``True`` or ``{'admin': 1}``."""
    if value is UNKNOWN:
        return "(unknown)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        import json

        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple | set):
        return "[" + ", ".join(hcl_text(v) for v in value) + "]"
    if isinstance(value, dict):
        import re

        def key(k: Any) -> str:
            text = str(k)
            return text if re.fullmatch(r"[A-Za-z_][\w-]*", text) else hcl_text(text)

        return "{" + ", ".join(f"{key(k)} = {hcl_text(v)}" for k, v in value.items()) + "}"
    return str(value)
