"""A parser for the subset of Terraform expressions the stack rules reason about.

python-hcl2 hands expressions back as text (``"${var.a ? 1 : 0}"``); this module turns that
text into a small tree. What it does not understand (``for`` expressions, splats, template
directives) becomes an :class:`Opaque` node: the evaluator treats it as unknown, never as
an error, and :func:`references` still finds the names it mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<op>==|!=|<=|>=|&&|\|\||=>|\.\.\.|[-+*/%<>!?:.,\[\](){}=])
    """,
    re.VERBOSE,
)


class ExprSyntaxError(ValueError):
    """Text that is not an expression this parser understands."""


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

_REF_IN_TEXT = re.compile(r"(?<![\w.\"])((?:var|local|module|data)\.[A-Za-z_][\w-]*"
                          r"(?:\.[A-Za-z_][\w-]*)?|[a-z][a-z0-9]*_[\w-]+\.[A-Za-z_][\w-]*)")


def _scan_string(text: str, start: int) -> int:
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
            i = _scan_string(text, i)
            continue
        i += 1
    raise ExprSyntaxError("unterminated string")


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
                parts.append(Opaque(body[i : end + 1], _names(inner)))
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
            i = _scan_string(text, i)
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ExprSyntaxError("unbalanced braces in template")


def _names(text: str) -> tuple[str, ...]:
    return tuple(m.group(1) for m in _REF_IN_TEXT.finditer(text))


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    i = 0
    while i < len(text):
        if text[i] == '"':
            end = _scan_string(text, i)
            tokens.append(("str", text[i + 1 : end - 1], i))
            i = end
            continue
        if text.startswith("<<", i):
            raise ExprSyntaxError("heredoc inside an expression")
        m = _TOKEN.match(text, i)
        if not m:
            raise ExprSyntaxError(f"unexpected character {text[i]!r}")
        kind = m.lastgroup or ""
        if kind != "ws":
            tokens.append((kind, m.group(), i))
        i = m.end()
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0

    def peek(self, offset: int = 0) -> tuple[str, str, int]:
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def take(self, value: str | None = None) -> tuple[str, str, int]:
        tok = self.peek()
        if value is not None and tok[1] != value:
            raise ExprSyntaxError(f"expected {value!r}, found {tok[1] or 'end'!r}")
        self.pos += 1
        return tok

    def accept(self, value: str) -> bool:
        if self.peek()[0] in ("op", "name") and self.peek()[1] == value:
            self.pos += 1
            return True
        return False

    def expression(self) -> Node:
        cond = self.binary(0)
        if self.accept("?"):
            then = self.expression()
            self.take(":")
            return Cond(cond, then, self.expression())
        return cond

    _LEVELS = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%"))

    def binary(self, level: int) -> Node:
        if level == len(self._LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek()[0] == "op" and self.peek()[1] in self._LEVELS[level]:
            op = self.take()[1]
            left = BinOp(op, left, self.binary(level + 1))
        return left

    def unary(self) -> Node:
        if self.peek()[0] == "op" and self.peek()[1] in ("!", "-"):
            op = self.take()[1]
            return Unary(op, self.unary())
        return self.postfix(self.primary())

    def postfix(self, node: Node) -> Node:
        while True:
            kind, value, start = self.peek()
            if value == "." and self.peek(1)[0] in ("name", "num"):
                self.pos += 1
                step: str | Node = self.take()[1]
                if isinstance(step, str) and step.isdigit():
                    step = Lit(int(step))  # legacy `.0.` indexing
                node = self._step(node, step)
            elif value == "[" and kind == "op" and self.peek(1)[1] != "*":
                self.pos += 1
                index = self.expression()
                self.take("]")
                node = self._step(node, index)
            elif value in (".", "[") and kind == "op":
                return self.opaque_rest(start, node)  # splat
            else:
                return node

    def _step(self, node: Node, step: str | Node) -> Node:
        if isinstance(node, Ref):
            return Ref(node.root, (*node.steps, step))
        index = step if not isinstance(step, str) else Lit(step)
        return Call("__index__", (node, index))

    def opaque_rest(self, start: int, node: Node) -> Node:
        # Consume the rest of the postfix chain as text: unknown but its names still count.
        depth = 0
        while self.peek()[0] != "end":
            value = self.peek()[1]
            if value in ("(", "[", "{"):
                depth += 1
            elif value in (")", "]", "}"):
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and value in (",", "?", ":", "==", "!=", "&&", "||", "+", "-"):
                break
            self.pos += 1
        prefix = node.dotted() if isinstance(node, Ref) else ""
        text = self.text[start : self.peek()[2]]
        return Opaque(prefix + text, _names(prefix + text) or ((prefix,) if prefix else ()))

    def primary(self) -> Node:
        kind, value, start = self.take()
        if kind == "num":
            return Lit(float(value) if any(c in value for c in ".eE") else int(value))
        if kind == "str":
            return parse_template(value)
        if kind == "name":
            if value in ("true", "false"):
                return Lit(value == "true")
            if value == "null":
                return Lit(None)
            if self.accept("("):
                args: list[Node] = []
                while not self.accept(")"):
                    args.append(self.expression())
                    self.accept("...")
                    if not self.accept(","):
                        self.take(")")
                        break
                return Call(value, tuple(args))
            return Ref(value)
        if value == "(":
            inner = self.expression()
            self.take(")")
            return inner
        if value in ("[", "{"):
            if self.peek()[1] == "for":
                return self.opaque_group(start, value)
            return self.collection(value)
        raise ExprSyntaxError(f"unexpected {value or 'end of expression'!r}")

    def opaque_group(self, start: int, opener: str) -> Node:
        closer = {"[": "]", "{": "}"}[opener]
        depth = 1
        while depth:
            kind, value, _ = self.take()
            if kind == "end":
                raise ExprSyntaxError(f"missing {closer!r}")
            if kind == "op" and value in "[{(":
                depth += 1
            elif kind == "op" and value in "]})":
                depth -= 1
        text = self.text[start : self.tokens[self.pos - 1][2] + 1]
        return Opaque(text, _names(text))

    def collection(self, opener: str) -> Node:
        if opener == "[":
            items: list[Node] = []
            while not self.accept("]"):
                items.append(self.expression())
                if not self.accept(","):
                    self.take("]")
                    break
            return ListExpr(tuple(items))
        pairs: list[tuple[Node, Node]] = []
        while not self.accept("}"):
            key_tok = self.peek()
            key: Node = Lit(self.take()[1]) if key_tok[0] == "name" else self.expression()
            if not (self.accept("=") or self.accept(":")):
                raise ExprSyntaxError("expected '=' in object")
            pairs.append((key, self.expression()))
            self.accept(",")
        return ObjExpr(tuple(pairs))


@lru_cache(maxsize=65536)
def parse_expression(text: str) -> Node:
    """Parse one expression (the inside of ``${…}``); raises :class:`ExprSyntaxError`."""
    parser = _Parser(text)
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
                return Opaque(raw, _names(raw))
        if len(raw) >= 2 and raw.startswith('"') and raw.endswith('"'):
            body = raw[1:-1]
            if body.startswith("<<"):
                return _heredoc(body)
            try:
                return parse_template(body)
            except (ExprSyntaxError, RecursionError):
                return Opaque(raw, _names(raw))
        return Opaque(raw, _names(raw))  # a bare type keyword such as `string`
    if isinstance(raw, list):
        return ListExpr(tuple(parse_value(v) for v in raw))
    if isinstance(raw, dict):
        return ObjExpr(
            tuple(
                (Lit(str(k).strip('"')), parse_value(v))
                for k, v in raw.items()
                if not str(k).startswith("__")
            )
        )
    return Lit(raw)


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
        return Opaque(text, _names(text))


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
