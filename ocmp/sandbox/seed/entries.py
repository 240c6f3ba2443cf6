"""Reading one entry of a seed section: allowed values, lists of strings."""

from __future__ import annotations

from typing import Any


def one_of(value: Any, allowed: tuple[str, ...], what: str) -> str:
    """``value`` as text when it is one of ``allowed`` (ValueError naming ``what`` if not)."""
    text = str(value)
    if text not in allowed:
        raise ValueError(f"{what} {text!r} is not one of {', '.join(allowed)}")
    return text


def strings(value: Any) -> list[str] | None:
    """A list of strings, or ``None`` when the entry leaves it out."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {value!r}")
    return [str(v) for v in value]
