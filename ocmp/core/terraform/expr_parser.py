"""The recursive-descent parser behind :func:`ocmp.core.terraform.expr.parse_expression`.

Precedence, lowest first: ``?:``, ``||``, ``&&``, equality, comparison, ``+ -``, ``* / %``,
unary ``! -``, then postfix attribute/index steps. ``for`` expressions and splats become
:class:`Opaque` nodes.
"""

from __future__ import annotations

import re

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
    Unary,
)
from ocmp.core.terraform.expr_text import ExprSyntaxError, names_in, scan_string

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<op>==|!=|<=|>=|&&|\|\||=>|\.\.\.|[-+*/%<>!?:.,\[\](){}=])
    """,
    re.VERBOSE,
)


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    i = 0
    while i < len(text):
        if text[i] == '"':
            end = scan_string(text, i)
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


_PRECEDENCE = {"||": 0, "&&": 1, "==": 2, "!=": 2, "<": 3, ">": 3, "<=": 3, ">=": 3,
               "+": 4, "-": 4, "*": 5, "/": 5, "%": 5}


class Parser:
    """One expression's tokens and the position in them."""

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

    def binary(self, min_level: int) -> Node:
        # Precedence climbing: one call per operator met, not one per precedence level.
        left = self.unary()
        while True:
            kind, op, _ = self.tokens[self.pos]
            level = _PRECEDENCE.get(op, -1) if kind == "op" else -1
            if level < min_level:
                return left
            self.pos += 1
            left = BinOp(op, left, self.binary(level + 1))

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
        return Opaque(prefix + text, names_in(prefix + text) or ((prefix,) if prefix else ()))

    def primary(self) -> Node:
        kind, value, start = self.take()
        if kind == "num":
            return Lit(float(value) if any(c in value for c in ".eE") else int(value))
        if kind == "str":
            from ocmp.core.terraform.expr import parse_template

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
        return Opaque(text, names_in(text))

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
