"""Text-level helpers shared by the expression parser and the template reader."""

from __future__ import annotations

import re


class ExprSyntaxError(ValueError):
    """Text that is not an expression this parser understands."""


_REF_IN_TEXT = re.compile(r"(?<![\w.\"])((?:var|local|module|data)\.[A-Za-z_][\w-]*"
                          r"(?:\.[A-Za-z_][\w-]*)?|[a-z][a-z0-9]*_[\w-]+\.[A-Za-z_][\w-]*)")


def scan_string(text: str, start: int) -> int:
    """Index just past the closing quote of the string starting at ``text[start] == '"'``."""
    i = start + 1
    depth = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if depth == 0 and ch == '"':
            return i + 1
        if text.startswith(("${", "%{"), i):
            depth += 1
            i += 2
            continue
        if depth and ch == "{":
            depth += 1
        elif depth and ch == "}":
            depth -= 1
        elif depth and ch == '"':
            i = scan_string(text, i)
            continue
        i += 1
    raise ExprSyntaxError("unterminated string")


def names_in(text: str) -> tuple[str, ...]:
    return tuple(m.group(1) for m in _REF_IN_TEXT.finditer(text))
