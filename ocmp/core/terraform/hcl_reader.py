"""The one module that reads Terraform files: one file in, plain JSON-able data out.

Two readers, measured (README, "Terraform parser"):

* **Terraform's verdict on syntax** comes from HashiCorp's own HCL implementation through
  ``pygohcl`` (a Go library bound with cffi): what it refuses, Terraform refuses, and its
  message is Terraform's ("Invalid expression; Expected the start of an expression…") with
  line and column. Its JSON output drops positions and the string/expression difference,
  so it is used for the verdict only.
* **Structure and lines** of a file HCL accepted come from :mod:`.hcl_scan`, a scanner that
  only has to cut valid HCL into blocks, attributes and expression texts (20–40× faster
  than python-hcl2). What it does not handle, and every file where ``pygohcl`` has no wheel
  for the platform, is read by python-hcl2 8.1.4 (Lark, pure Python) as before: it keeps
  the quotes of strings, marks blocks with ``__is_block__``, and its Lark tree gives lines.

The result of :func:`read_tf` / :func:`read_tf_json` is a dict (so it can be cached):
``{"blocks": [{"kind", "labels", "line", "body", "lines", "refs"}], "error": None}``
or ``{"blocks": [], "error": {"line", "column", "message"}}``. ``refs`` maps each top-level
attribute to the references its expression makes, computed here so that a cached file is
never re-parsed for them.
"""

from __future__ import annotations

import json
import re
from typing import Any

FORMAT = "gohcl-scan-hcl2-8.1.4/5"  # bump when the shape below changes: it keys the parse cache


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


def _gohcl() -> Any:
    """pygohcl, or None where it is not installed (no wheel for the platform)."""
    try:
        import pygohcl
    except ImportError:  # pragma: no cover - every platform we test has a wheel
        return None
    return pygohcl


_DIAGNOSTIC = re.compile(r"[^:,]*:(\d+),(\d+)(?:-\d+(?:,\d+)?)?: (.*?)(?=, [^,\s]*:\d+,\d+|$)",
                         re.S)


def terraform_verdict(text: str) -> dict[str, Any] | None:
    """HCL's own verdict: None when the file is valid HCL, else the first error (line,
    column, Terraform's words, and how many more problems it found)."""
    gohcl = _gohcl()
    if gohcl is None:
        return None
    try:
        gohcl.loadb(text.encode("utf-8"))
    except gohcl.HCLParseError as exc:
        detail = str(exc).removeprefix("invalid HCL: ")
        found = list(_DIAGNOSTIC.finditer(detail))
        if not found:
            return {"line": 1, "column": None, "message": detail[:300]}
        first = found[0]
        summary, _, explain = first.group(3).partition("; ")
        message = f"{summary}: {explain}" if explain else summary
        # HCL names the file it was given ("tmp.hcl:2,3-4"): say "line 2" instead.
        message = re.sub(r"[^\s:,]*\.hcl:(\d+),(\d+)(?:-[\d,]+)?", r"line \1", message)
        if len(found) > 1:
            message += f" ({len(found) - 1} more problem{'s' if len(found) > 2 else ''} after it)"
        return {"line": int(first.group(1)), "column": int(first.group(2)), "message": message}
    except Exception:  # an internal error of the binding: let python-hcl2 judge
        return None
    return None


def read_tf(text: str) -> dict[str, Any]:
    """Parse one ``.tf`` file's text; a syntax error comes back as data, not raised."""
    from ocmp.core.terraform.hcl_scan import Unsupported, scan_tf

    verdict = terraform_verdict(text)
    if verdict is not None:
        return {"blocks": [], "error": verdict}
    if _gohcl() is not None:
        try:
            blocks = scan_tf(text)
        except (Unsupported, RecursionError):
            pass  # valid HCL the scanner does not cut: python-hcl2 reads it
        else:
            for block in blocks:
                block["refs"] = _refs(block["body"])
            return {"blocks": blocks, "error": None}
    return read_tf_hcl2(text)


_TOKEN_NAMES = {"STRING_CHARS": "text", "NAME": "a name", "__ANON_0": "a value",
                "RBRACE": "'}'", "LBRACE": "'{'", "EQ": "'='", "NL_OR_COMMENT": "a line break"}


def _plain_lark(exc: Exception) -> tuple[int, int | None, str]:
    """A Lark error in plain words: never its token names or grammar rules."""
    line = getattr(exc, "line", None)
    column = getattr(exc, "column", None)
    if not isinstance(line, int) or line < 1:
        m = _SYNTAX_LINE.search(str(exc))
        line = int(m.group(1)) if m else 1
    token = getattr(exc, "token", None)
    if token is not None and getattr(token, "type", "") == "$END":
        return line, None, "the file ends too early (a block or bracket is not closed)"
    char = getattr(exc, "char", None)
    if isinstance(char, str):
        return line, column if isinstance(column, int) else None, f"unexpected {char!r}"
    if token is not None:
        return line, column if isinstance(column, int) else None, \
            f"unexpected {str(token)[:40]!r}"
    return line, column if isinstance(column, int) else None, "invalid syntax"


def read_tf_hcl2(text: str) -> dict[str, Any]:
    """The python-hcl2 reader (where pygohcl is unavailable, or for what the scanner skips)."""
    import hcl2
    from lark.exceptions import LarkError

    try:
        tree = hcl2.parses_to_tree(text if text.endswith("\n") else text + "\n")
        data = hcl2.serialize(hcl2.transform(tree))
        located = _tree_blocks(tree)
    except LarkError as exc:
        line, column, message = _plain_lark(exc)
        return {"blocks": [], "error": {"line": line, "column": column, "message": message}}
    except RecursionError:
        return {"blocks": [], "error": {"line": 1, "column": None,
                                        "message": "nested too deeply to read"}}
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        return {"blocks": [], "error": {"line": 1, "column": None,
                                        "message": f"cannot be read ({type(exc).__name__})"}}
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
        return {"blocks": [], "error": {"line": exc.lineno, "column": exc.colno,
                                        "message": exc.msg}}
    if not isinstance(data, dict):
        return {"blocks": [], "error": {"line": 1, "column": None,
                                        "message": "top level is not an object"}}
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
