"""A parser for the subset of Terraform expressions the stack rules reason about.

python-hcl2 hands expressions back as text (``"${var.a ? 1 : 0}"``); this module turns that
text into a small tree. What it does not understand (``for`` expressions, splats, template
directives) becomes an :class:`Opaque` node: the evaluator treats it as unknown, never as
an error, and :func:`references` still finds the names it mentions.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ocmp.core.terraform.expr_nodes import (
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
    children,
    references,
)
from ocmp.core.terraform.expr_parser import Parser
from ocmp.core.terraform.expr_text import ExprSyntaxError, names_in, scan_string

__all__ = [
    "BinOp", "Call", "Cond", "ExprSyntaxError", "ListExpr", "Lit", "Node", "ObjExpr", "Opaque",
    "Ref", "Template", "Unary", "children", "parse_expression", "parse_value", "references",
]


def _unescape(text: str) -> str:
    return (
        text.replace("\\\\", "\0").replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t")
        .replace("$${", "${").replace("%%{", "%{").replace("\0", "\\")
    )


def parse_template(body: str) -> Node:
    """Parse the inside of a quoted string (without quotes) into a literal or template."""
    parts: list[str | Node] = []
    buf: list[str] = []
    i = 0
    while i < len(body):
        if body.startswith(("$${", "%%{"), i):
            buf.append(body[i + 1 : i + 3])
            i += 3
            continue
        if body.startswith(("${", "%{"), i):
            end = _matching_brace(body, i + 1)
            inner = body[i + 2 : end].strip()
            if buf:
                parts.append(_unescape("".join(buf)))
                buf = []
            if body[i] == "%":
                parts.append(Opaque(body[i : end + 1], names_in(inner)))
            else:
                parts.append(parse_expression(inner.strip("~").strip()))
            i = end + 1
            continue
        buf.append(body[i])
        i += 1
    if buf:
        parts.append(_unescape("".join(buf)))
    if not parts:
        return Lit("")
    if len(parts) == 1 and isinstance(parts[0], str):
        return Lit(parts[0])
    if len(parts) == 1 and not isinstance(parts[0], str | Opaque):
        return parts[0]  # "${x}" is x itself, not its string form
    return Template(tuple(parts))


def _matching_brace(text: str, open_at: int) -> int:
    depth = 0
    i = open_at
    while i < len(text):
        ch = text[i]
        if ch == '"':
            i = scan_string(text, i)
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ExprSyntaxError("unbalanced braces in template")


@lru_cache(maxsize=65536)
def parse_expression(text: str) -> Node:
    """Parse one expression (the inside of ``${…}``); raises :class:`ExprSyntaxError`."""
    parser = Parser(text)
    node = parser.expression()
    if parser.peek()[0] != "end":
        raise ExprSyntaxError(f"unexpected {parser.peek()[1]!r}")
    return node


def parse_value(raw: Any) -> Node:
    """Turn one python-hcl2 value (quoted string, ``${…}``, list, map, scalar) into a tree."""
    if isinstance(raw, str):
        if raw.startswith("${") and raw.endswith("}"):
            try:
                return parse_expression(raw[2:-1])
            except (ExprSyntaxError, RecursionError):
                return Opaque(raw, names_in(raw))
        if len(raw) >= 2 and raw.startswith('"') and raw.endswith('"'):
            body = raw[1:-1]
            if body.startswith("<<"):
                return _heredoc(body)
            try:
                return parse_template(body)
            except (ExprSyntaxError, RecursionError):
                return Opaque(raw, names_in(raw))
        return Opaque(raw, names_in(raw))  # a bare type keyword such as `string`
    if isinstance(raw, list):
        return ListExpr(tuple(parse_value(v) for v in raw))
    if isinstance(raw, dict):
        return ObjExpr(
            tuple(
                (_key(str(k)), parse_value(v))
                for k, v in raw.items()
                if not str(k).startswith("__")
            )
        )
    return Lit(raw)


def _key(key: str) -> Node:
    """An object key: a name or string, or an expression (``(var.x)``, ``"${var.x}"``)
    whose references count as uses."""
    if key.startswith("${") and key.endswith("}"):
        inner = key[2:-1].strip()
        if inner.startswith("(") and inner.endswith(")"):
            inner = inner[1:-1]
        try:
            return parse_expression(inner)
        except (ExprSyntaxError, RecursionError):
            return Opaque(key, names_in(key))
    return Lit(key.strip('"'))


def _heredoc(body: str) -> Node:
    lines = body.split("\n")
    header, content = lines[0], lines[1:-1]
    if header.startswith("<<-"):
        indents = [len(ln) - len(ln.lstrip()) for ln in content if ln.strip()]
        cut = min(indents, default=0)
        content = [ln[cut:] for ln in content]
    text = "\n".join(content) + ("\n" if content else "")
    try:
        return parse_template(text.replace('"', '\\"'))
    except (ExprSyntaxError, RecursionError):
        return Opaque(text, names_in(text))
