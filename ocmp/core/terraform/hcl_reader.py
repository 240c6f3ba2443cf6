"""The one module that uses python-hcl2: one Terraform file in, plain JSON-able data out.

python-hcl2 8.1.4 (pinned) keeps the quotes of labels and strings, marks blocks with
``__is_block__`` and collects comments under ``__comments__``. Its ``with_meta`` option is
declared but not implemented in 8.1.4, so line numbers come from the Lark parse tree,
which the library builds with ``propagate_positions=True``: we parse to the tree once,
read the positions, then let python-hcl2 transform that same tree into its dict.

The result of :func:`read_tf` / :func:`read_tf_json` is a dict (so it can be cached as
JSON): ``{"blocks": [{"kind", "labels", "line", "body", "lines", "refs"}], "error": None}``
or ``{"blocks": [], "error": {"line", "message"}}``. ``refs`` maps each top-level attribute
to the references its expression makes, computed here so that a cached file is never
re-parsed for them.
"""

from __future__ import annotations

import json
import re
from typing import Any

FORMAT = "hcl2-8.1.4/3"  # bump when the shape below changes: it keys the parse cache


def _strip_quotes(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _clean(value: Any) -> Any:
    """Drop comments, keep the ``__is_block__`` marker, unquote object keys."""
    if isinstance(value, dict):
        return {
            (k if k == "__is_block__" else _strip_quotes(k)): _clean(v)
            for k, v in value.items()
            if k != "__comments__"
        }
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _tree_blocks(tree: Any) -> list[tuple[str, list[str], int, dict[str, int]]]:
    """Top-level blocks of the Lark tree: identifier, labels, line, nested attribute lines."""
    from lark import Token, Tree

    def text_of(node: Any) -> str:
        if isinstance(node, Token):
            return str(node)
        return "".join(text_of(c) for c in node.children)

    def walk_body(body: Any, prefix: str, lines: dict[str, int]) -> None:
        for child in body.children:
            if not isinstance(child, Tree):
                continue
            if child.data == "attribute":
                name = text_of(child.children[0]).strip()
                lines.setdefault(prefix + name, child.meta.line)
            elif child.data == "block":
                parts = [c for c in child.children if isinstance(c, Tree)]
                name = text_of(parts[0]).strip()
                labels = [_strip_quotes(text_of(p).strip()) for p in parts[1:-1]]
                if name == "dynamic" and labels:
                    name = labels[0]
                lines.setdefault(prefix + name, child.meta.line)
                walk_body(parts[-1], prefix + name + ".", lines)

    blocks = []
    body = tree.children[0] if tree.children else None
    if body is None:
        return []
    for child in body.children:
        if isinstance(child, Tree) and child.data == "block":
            parts = [c for c in child.children if isinstance(c, Tree)]
            kind = text_of(parts[0]).strip()
            labels = [_strip_quotes(text_of(p).strip()) for p in parts[1:-1]]
            lines: dict[str, int] = {}
            if parts and parts[-1].data == "body":
                walk_body(parts[-1], "", lines)
            blocks.append((kind, labels, child.meta.line, lines))
    return blocks


def _unwrap(entry: Any, depth: int) -> Any:
    """Descend through the label levels of one serialised block entry."""
    for _ in range(depth):
        if not isinstance(entry, dict) or not entry:
            return {}
        entry = next(v for k, v in entry.items() if k != "__comments__")
    return entry


_SYNTAX_LINE = re.compile(r"line (\d+)")


def read_tf(text: str) -> dict[str, Any]:
    """Parse one ``.tf`` file's text; a syntax error comes back as data, not raised."""
    import hcl2
    from lark.exceptions import LarkError

    try:
        tree = hcl2.parses_to_tree(text if text.endswith("\n") else text + "\n")
        data = hcl2.serialize(hcl2.transform(tree))
        located = _tree_blocks(tree)
    except LarkError as exc:
        line = getattr(exc, "line", None)
        if not isinstance(line, int) or line < 1:
            m = _SYNTAX_LINE.search(str(exc))
            line = int(m.group(1)) if m else 1
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return {"blocks": [], "error": {"line": line, "message": first[:200]}}
    except (RecursionError, ValueError, TypeError, AttributeError, IndexError) as exc:
        return {"blocks": [], "error": {"line": 1, "message": f"{type(exc).__name__}: {exc}"}}
    seen: dict[str, int] = {}
    blocks = []
    for kind, labels, line, lines in located:
        entries = data.get(kind)
        index = seen.get(kind, 0)
        seen[kind] = index + 1
        entry = entries[index] if isinstance(entries, list) and index < len(entries) else {}
        body = _clean(_unwrap(entry, len(labels)))
        body.pop("__is_block__", None)
        blocks.append(
            {"kind": kind, "labels": labels, "line": line, "body": body, "lines": lines,
             "refs": _refs(body)}
        )
    return {"blocks": blocks, "error": None}


def _refs(body: dict[str, Any]) -> dict[str, list[str]]:
    from ocmp.core.terraform.expr import parse_value, references

    return {k: references(parse_value(v)) for k, v in body.items() if not k.startswith("__")}


def _json_value(value: Any) -> Any:
    """A ``.tf.json`` value in python-hcl2's shape: strings are quoted templates."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items() if k != "//"}
    return value


def _line_of(text: str, needle: str, after: int = 0) -> int:
    pos = text.find(f'"{needle}"', after)
    return text.count("\n", 0, pos) + 1 if pos >= 0 else 1


_LABELS = {"resource": 2, "data": 2, "variable": 1, "output": 1, "module": 1, "provider": 1}


def read_tf_json(text: str) -> dict[str, Any]:
    """Parse one ``.tf.json`` file (Terraform's JSON syntax) into the same shape."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return {"blocks": [], "error": {"line": exc.lineno, "message": exc.msg}}
    if not isinstance(data, dict):
        return {"blocks": [], "error": {"line": 1, "message": "top level is not an object"}}
    blocks: list[dict[str, Any]] = []
    for kind, content in data.items():
        depth = _LABELS.get(kind, 0)
        for labels, body in _json_blocks(content, depth):
            line = _line_of(text, labels[-1] if labels else kind)
            if not isinstance(body, dict):
                continue
            converted = _json_value(body)
            blocks.append({
                "kind": kind, "labels": labels, "line": line, "body": converted,
                "lines": {k: _line_of(text, k, text.find(f'"{labels[-1]}"') if labels else 0)
                          for k in body},
                "refs": _refs(converted),
            })
    return {"blocks": blocks, "error": None}


def _json_blocks(content: Any, depth: int) -> list[tuple[list[str], Any]]:
    items = content if isinstance(content, list) else [content]
    if depth == 0:
        return [([], item) for item in items]
    found: list[tuple[list[str], Any]] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        for label, inner in item.items():
            found.extend(
                ([label, *labels], body) for labels, body in _json_blocks(inner, depth - 1))
    return found
