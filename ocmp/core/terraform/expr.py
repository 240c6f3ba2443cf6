"""Terraform expressions as small trees, read off the syntax tree of tree-sitter-hcl.

The readers (:mod:`.hcl_reader`) hand expressions over in python-hcl2's value shape:
``"${…}"`` for an expression, a quoted string (or heredoc) for a template, lists and dicts
for literal collections. :func:`parse_value` turns such a value into the nodes of
:mod:`.expr_nodes`. The structure — precedence, postfix chains, templates, heredocs — is
tree-sitter-hcl's (HCL's grammar compiled to C, parsing in microseconds); this module only
maps its node types onto ours. What the evaluator does not compute (``for`` expressions,
splats, template directives) becomes an :class:`Opaque` node carrying the references it
makes, read from the same tree: the evaluator treats it as unknown, never as an error.

A value the grammar does not accept (only python-hcl2's fallback output or a test can hand
one over: Terraform's own parser has accepted every file first) is Opaque too, its names
found by a pattern.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from tree_sitter import Node as TSNode
    from tree_sitter import Parser

__all__ = [
    "BinOp", "Call", "Cond", "ListExpr", "Lit", "Node", "ObjExpr", "Opaque", "Ref",
    "Template", "Unary", "children", "parse_expression", "parse_value", "references",
]

_BINARY = frozenset(("||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%"))
_PIECES = frozenset(("template_interpolation", "template_if_intro", "template_else_intro",
                     "template_if_end", "template_for_start", "template_for_end"))
# Roots whose traversals are references the rules care about: Terraform's named values and
# resource types (``oci_core_instance.x``); ``each``, ``count``, ``path`` and for-variables
# are not.
_NAMED_ROOTS = frozenset(("var", "local", "module", "data"))
_RESOURCE_ROOT = re.compile(r"[a-z][a-z0-9]*_[\w-]+")
_REF_IN_TEXT = re.compile(r"(?<![\w.\"])((?:var|local|module|data)\.[A-Za-z_][\w-]*"
                          r"(?:\.[A-Za-z_][\w-]*)?|[a-z][a-z0-9]*_[\w-]+\.[A-Za-z_][\w-]*)")
_QUOTED_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)|\$\$\{|%%\{", re.S)
_EXPONENT = re.compile(r'"(?:[^"\\\n]|\\.)*"|(?<![\w.])(\d+)(?=[eE][+-]?\d)')
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def names_in(text: str) -> tuple[str, ...]:
    """References in text no tree is had for (the fallback for unreadable values)."""
    return tuple(m.group(1) for m in _REF_IN_TEXT.finditer(text))


@lru_cache(maxsize=1)
def _parser() -> Parser:
    # Imported on first use: a validation without Terraform never loads the grammar.
    import tree_sitter
    import tree_sitter_hcl

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))


def _attribute_value(source: str) -> tuple[TSNode, bytes] | None:
    """The tree of ``source`` read as the value of one attribute, None if it is not one."""
    data = ("_ = " + source + "\n").encode("utf-8", "surrogatepass")
    root = _parser().parse(data).root_node
    if root.has_error and _EXPONENT.search(source):
        # tree-sitter-hcl 1.2 wants a fraction before an exponent (`1e3`); HCL does not.
        data = ("_ = " + _EXPONENT.sub(_with_fraction, source) + "\n").encode(
            "utf-8", "surrogatepass")
        root = _parser().parse(data).root_node
    if root.has_error or root.named_child_count != 1:
        return None
    body = root.named_children[0]
    if body.named_child_count != 1:
        return None
    attribute = body.named_children[0]
    if attribute.type != "attribute" or attribute.end_byte < len(data) - 1:
        return None
    return attribute.named_children[-1], data


class _Reader:
    """Maps one tree-sitter tree onto expression nodes; ``src`` is the parsed bytes."""

    def __init__(self, src: bytes) -> None:
        self.src = src

    def text(self, n: TSNode) -> str:
        return self.src[n.start_byte:n.end_byte].decode("utf-8", "surrogatepass")

    def opaque(self, kids: list[TSNode]) -> Opaque:
        text = self.src[kids[0].start_byte:kids[-1].end_byte].decode("utf-8", "surrogatepass")
        return Opaque(text, tuple(_names(self, kids)))

    def expr(self, n: TSNode) -> Node:
        if n.type == "expression":
            return self.terms(n.children)
        return self.head(n)

    def terms(self, kids: list[TSNode]) -> Node:
        """A head and its postfix steps (tree-sitter-hcl keeps them side by side)."""
        if kids[0].type == "(":
            node, rest = self.expr(kids[1]), kids[3:]
        else:
            node, rest = self.head(kids[0]), kids[1:]
        for step in rest:
            if step.type == "get_attr":
                node = _step(node, self.text(step.named_children[0]))
            elif step.type == "index" and step.children[0].type == "new_index":
                node = _step(node, self.expr(step.children[0].named_children[0]))
            elif step.type == "index":  # legacy `.0` indexing
                node = _step(node, Lit(int(self.text(step.children[0])[1:])))
            else:  # a splat: the rest of the chain is unknown, its names still count
                found = self.opaque(kids)
                prefix = node.dotted() if isinstance(node, Ref) else ""
                return Opaque(found.text, found.names or ((prefix,) if prefix else ()))
        return node

    def head(self, n: TSNode) -> Node:
        kind = n.type
        if kind == "variable_expr":
            return Ref(self.text(n))
        if kind == "literal_value":
            return self.literal(n.children[0])
        if kind in ("template_expr", "operation"):
            return self.head(n.children[0])
        if kind in ("quoted_template", "heredoc_template", "string_lit"):
            return self.template(n)
        if kind == "collection_value":
            return self.collection(n.children[0])
        if kind == "function_call":
            args = next((c for c in n.named_children if c.type == "function_arguments"), None)
            values = [] if args is None else [self.expr(a) for a in args.named_children
                                              if a.type == "expression"]
            return Call(self.text(n.children[0]), tuple(values))
        if kind == "conditional":
            cond, then, other = (self.expr(c) for c in n.named_children)
            return Cond(cond, then, other)
        if kind == "binary_operation":
            kids = n.children
            at = next(i for i, c in enumerate(kids) if not c.is_named and c.type in _BINARY)
            return BinOp(kids[at].type, self.terms(kids[:at]), self.terms(kids[at + 1:]))
        if kind == "unary_operation":
            return Unary(n.children[0].type, self.terms(n.children[1:]))
        if kind == "expression":
            return self.expr(n)
        return self.opaque([n])  # for expressions and anything else not evaluated

    def literal(self, n: TSNode) -> Node:
        if n.type == "numeric_lit":
            text = self.text(n)
            return Lit(float(text) if any(c in text for c in ".eE") else int(text))
        if n.type == "bool_lit":
            return Lit(self.text(n) == "true")
        if n.type == "null_lit":
            return Lit(None)
        return self.template(n)

    def collection(self, n: TSNode) -> Node:
        if n.type == "tuple":
            return ListExpr(tuple(self.expr(c) for c in n.named_children
                                  if c.type == "expression"))
        pairs = []
        for elem in n.named_children:
            if elem.type != "object_elem":
                continue
            key, value = (c for c in elem.named_children if c.type == "expression")
            bare = key.children
            name: Node = (Lit(self.text(bare[0])) if len(bare) == 1 and
                          bare[0].type == "variable_expr" else self.expr(key))
            pairs.append((name, self.expr(value)))
        return ObjExpr(tuple(pairs))

    def template(self, n: TSNode) -> Node:
        """A quoted string or heredoc: literal text between its interpolations."""
        kids = n.children
        cut = 0
        if n.type == "heredoc_template":
            start = self.src.index(b"\n", kids[1].end_byte) + 1
            end = self.src.rfind(b"\n", 0, kids[-1].start_byte) + 1
            if self.text(kids[0]) == "<<-":
                lines = self.src[start:end].decode("utf-8", "surrogatepass").split("\n")
                cut = min((len(ln) - len(ln.lstrip()) for ln in lines if ln.strip()), default=0)
        else:
            start, end = kids[0].end_byte, kids[-1].start_byte
        parts: list[str | Node] = []
        pos = start
        for piece in _pieces(kids):
            self._literal(parts, pos, piece.start_byte, n.type, cut)
            if piece.type == "template_interpolation":
                inner = next(c for c in piece.named_children if c.type == "expression")
                parts.append(self.expr(inner))
            else:  # %{ if }, %{ else }, %{ endif }, %{ for }…: the text between stays literal
                parts.append(self.opaque([piece]))
            pos = piece.end_byte
        self._literal(parts, pos, end, n.type, cut)
        if not parts:
            return Lit("")
        if len(parts) == 1:
            only = parts[0]
            if isinstance(only, str):
                return Lit(only)
            if not isinstance(only, Opaque):
                return only  # "${x}" is x itself, not its string form
        return Template(tuple(parts))

    def _literal(self, parts: list[str | Node], start: int, end: int, kind: str,
                 cut: int) -> None:
        if end <= start:
            return
        text = self.src[start:end].decode("utf-8", "surrogatepass")
        if cut:  # <<- heredoc: the smallest indentation comes off every line
            lines = text.split("\n")
            at_line_start = start == 0 or self.src[start - 1:start] == b"\n"
            text = "\n".join(ln[cut:] if i or at_line_start else ln
                             for i, ln in enumerate(lines))
        if kind == "heredoc_template":  # no backslash escapes in a heredoc
            text = text.replace("$${", "${").replace("%%{", "%{")
        else:
            text = _QUOTED_ESCAPE.sub(_unescape, text)
        if text:
            if parts and isinstance(parts[-1], str):
                parts[-1] += text
            else:
                parts.append(text)


def _with_fraction(m: re.Match[str]) -> str:
    return m.group() if m.group(1) is None else m.group(1) + ".0"


def _unescape(m: re.Match[str]) -> str:
    whole = m.group()
    if whole in ("$${", "%%{"):
        return whole[1:]
    code = m.group(1)
    if code[0] in "uU" and len(code) > 1:
        return chr(int(code[1:], 16))
    return _ESCAPES.get(code, whole)


def _pieces(kids: list[TSNode]) -> list[TSNode]:
    """A template's interpolations and directive markers, in order, directives flattened."""
    found: list[TSNode] = []
    for kid in kids:
        if kid.type in _PIECES:
            found.append(kid)
        elif kid.type in ("template_directive", "template_if", "template_for"):
            found.extend(_pieces(kid.children))
    return found


def _names(reader: _Reader, kids: list[TSNode]) -> list[str]:
    """The references made inside a part of the tree (for Opaque nodes)."""
    found: list[str] = []
    bound: set[str] = set()
    _walk_names(reader, kids, found, bound)
    return [n for n in found if n.split(".", 1)[0] not in bound]


def _walk_names(reader: _Reader, kids: list[TSNode], found: list[str], bound: set[str]) -> None:
    for i, kid in enumerate(kids):
        if kid.type == "variable_expr":
            names = [reader.text(kid)]
            for step in kids[i + 1:]:
                if step.type != "get_attr":
                    break
                names.append(reader.text(step.named_children[0]))
            root = names[0]
            if len(names) > 1 and (root in _NAMED_ROOTS or _RESOURCE_ROOT.fullmatch(root)):
                found.append(".".join(names))
        elif kid.type == "for_intro":
            for name in kid.named_children:
                if name.type == "identifier":
                    bound.add(reader.text(name))
        if kid.child_count:
            _walk_names(reader, kid.children, found, bound)


def _step(node: Node, step: str | Node) -> Node:
    if isinstance(node, Ref):
        return Ref(node.root, (*node.steps, step))
    return Call("__index__", (node, step if not isinstance(step, str) else Lit(step)))


@lru_cache(maxsize=65536)
def _tree(text: str) -> Node | None:
    found = _attribute_value(text)
    if found is None:
        return None
    node, src = found
    try:
        return _Reader(src).expr(node)
    except (ValueError, IndexError, StopIteration, RecursionError):
        return None  # a shape this mapping does not know (a comment inside, say)


def parse_expression(text: str) -> Node:
    """One expression (the inside of ``${…}``) as a tree; Opaque if it is not one."""
    node = _tree(text)
    return Opaque(text, names_in(text)) if node is None else node


def parse_value(raw: Any) -> Node:
    """Turn one value in python-hcl2's shape (quoted string, ``${…}``, list, map, scalar)
    into a tree."""
    if isinstance(raw, str):
        if raw.startswith("${") and raw.endswith("}"):
            return parse_expression(raw[2:-1])
        node = None
        if len(raw) >= 2 and raw.startswith('"') and raw.endswith('"'):
            node = _tree(raw[1:-1] if raw.startswith('"<<') else raw)
        # else a bare type keyword such as `string`
        return Opaque(raw, names_in(raw)) if node is None else node
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
        return parse_expression(key[2:-1].strip())
    return Lit(key.strip('"'))
