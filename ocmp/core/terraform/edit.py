"""Minimal, comment-keeping edits of Terraform files written by people.

The parsed model (:mod:`ocmp.core.terraform.model`) says *what* to change; this module finds
*where* in the text: a block's braces, a top-level attribute's value, a nested block,
skipping strings (with ``${…}`` templates), heredocs and the three comment styles. Edits are
spans of the original text replaced by new text, so everything else — comments, blank
lines, alignment — stays byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_HEREDOC = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\n")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_OPEN = {"{": "}", "[": "]", "(": ")"}


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``text[start:end]`` with ``new``."""

    start: int
    end: int
    new: str


def apply(text: str, edits: Iterable[Edit]) -> str:
    """The text with non-overlapping edits applied (any order given)."""
    out = text
    for edit in sorted(edits, reverse=True):
        out = out[: edit.start] + edit.new + out[edit.end :]
    return out


def _skip_string(text: str, i: int) -> int:
    """``text[i]`` is the opening quote; the index just past the closing one (``${…}``
    templates may hold quotes of their own). Unterminated (subscribe edits only files that
    parse, so only a file changed meanwhile): the end of the line."""
    depth = 0
    n = len(text)
    i += 1
    while i < n:
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
            i = _skip_string(text, i)
            continue
        elif ch == "\n" and depth == 0:
            return i
        i += 1
    return n


def _skip(text: str, i: int) -> int | None:
    """If a string, heredoc or comment starts at ``i``, the index just past it."""
    c = text[i]
    if c == '"':
        return _skip_string(text, i)
    if c == "#" or text.startswith("//", i):
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    if text.startswith("/*", i):
        end = text.find("*/", i + 2)
        return len(text) if end < 0 else end + 2
    if text.startswith("<<", i):
        m = _HEREDOC.match(text, i)
        if m:
            closing = re.compile(rf"^[ \t]*{re.escape(m.group(1))}[ \t]*$", re.M)
            found = closing.search(text, m.end())
            return len(text) if found is None else found.end()
    return None


def matching(text: str, i: int) -> int:
    """``text[i]`` opens a bracket; the index of the one that closes it (or len(text))."""
    stack = [_OPEN[text[i]]]
    i += 1
    while i < len(text) and stack:
        skipped = _skip(text, i)
        if skipped is not None:
            i = skipped
            continue
        c = text[i]
        if c in _OPEN:
            stack.append(_OPEN[c])
        elif c == stack[-1]:
            stack.pop()
            if not stack:
                return i
        i += 1
    return len(text)


def line_start(text: str, line: int) -> int:
    """Offset of the first character of 1-based ``line``."""
    offset = 0
    for _ in range(line - 1):
        nxt = text.find("\n", offset)
        if nxt < 0:
            return len(text)
        offset = nxt + 1
    return offset


def line_of(text: str, offset: int) -> int:
    """1-based line of an offset."""
    return text.count("\n", 0, offset) + 1


@dataclass(frozen=True)
class Span:
    """A block in the text: ``start`` of its header, its ``{`` and its ``}``."""

    start: int
    open: int
    close: int

    @property
    def end(self) -> int:
        """Just past the closing brace."""
        return self.close + 1


def find_block(text: str, kind: str, labels: tuple[str, ...]) -> Span | None:
    """The top-level block ``kind "label" … {`` (labels quoted or bare)."""
    for span, k, found in top_blocks(text):
        if k == kind and found == labels:
            return span
    return None


def top_blocks(text: str) -> list[tuple[Span, str, tuple[str, ...]]]:
    """Every top-level block: its span, type and labels."""
    return _blocks(text, 0, len(text))


def _blocks(text: str, start: int, end: int) -> list[tuple[Span, str, tuple[str, ...]]]:
    found = []
    i = start
    while i < end:
        skipped = _skip(text, i)
        if skipped is not None:
            i = skipped
            continue
        m = _IDENT.match(text, i)
        if m is None or (i > 0 and (text[i - 1].isalnum() or text[i - 1] in "_.-")):
            if text[i] in _OPEN:
                i = matching(text, i) + 1
                continue
            i += 1
            continue
        header = re.compile(r'\s*((?:"[^"\n]*"|[A-Za-z_][A-Za-z0-9_-]*)\s*)*\{')
        h = header.match(text, m.end())
        if h is None:
            i = m.end()
            continue
        labels = tuple(
            label.strip('"') for label in re.findall(r'"[^"\n]*"|[A-Za-z_][A-Za-z0-9_-]*',
                                                     text[m.end(): h.end() - 1])
        )
        brace = h.end() - 1
        close = matching(text, brace)
        found.append((Span(i, brace, close), m.group(0), labels))
        i = close + 1
    return found


def nested_blocks(text: str, span: Span, name: str) -> list[Span]:
    """Blocks ``name { … }`` directly inside ``span`` (not ``dynamic "name"``)."""
    return [s for s, k, labels in _blocks(text, span.open + 1, span.close)
            if k == name and not labels]


@dataclass(frozen=True)
class Attribute:
    """``name = value`` directly in a block: spans of the name and the value."""

    name: str
    start: int
    value_start: int
    value_end: int


def attributes(text: str, span: Span) -> dict[str, Attribute]:
    """The block's own attributes (nested blocks' attributes excluded)."""
    found: dict[str, Attribute] = {}
    i = span.open + 1
    pattern = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=(?![=>])[ \t]*")
    while i < span.close:
        skipped = _skip(text, i)
        if skipped is not None:
            i = skipped
            continue
        c = text[i]
        if c in _OPEN:
            i = matching(text, i) + 1
            continue
        prefix = text[text.rfind("\n", 0, i) + 1 : i].strip()
        at_line_start = not prefix or prefix.endswith("{")
        m = pattern.match(text, i) if at_line_start else None
        if m is None:
            i += 1
            continue
        value_start = m.end()
        value_end = _value_end(text, value_start, span.close)
        found[m.group(1)] = Attribute(m.group(1), i, value_start, value_end)
        i = value_end
    return found


def _value_end(text: str, i: int, limit: int) -> int:
    """End of an attribute's expression: the end of its line outside any bracket."""
    last = i
    while i < limit:
        c = text[i]
        if c == "\n":
            break
        if c == "#" or text.startswith("//", i) or text.startswith("/*", i):
            break  # a trailing comment is not part of the value
        skipped = _skip(text, i)
        if skipped is not None:
            i = last = skipped
            continue
        if c in _OPEN:
            i = matching(text, i) + 1
            last = i
            continue
        if not c.isspace():
            last = i + 1
        i += 1
    return last


def indent_of(text: str, offset: int) -> str:
    """The whitespace that starts the line holding ``offset``."""
    start = text.rfind("\n", 0, offset) + 1
    m = re.match(r"[ \t]*", text[start:])
    return m.group(0) if m else ""


def set_attribute(text: str, span: Span, name: str, value: str) -> Edit | None:
    """The edit that makes ``name = value`` in the block (None when it already is)."""
    attrs = attributes(text, span)
    found = attrs.get(name)
    if found is not None:
        if text[found.value_start: found.value_end] == value:
            return None
        return Edit(found.value_start, found.value_end, value)
    # Insert after the last attribute (aligned like it), or first thing in the block.
    inner = indent_of(text, span.start) + "  "
    if attrs:
        last = max(attrs.values(), key=lambda a: a.value_end)
        inner = indent_of(text, last.start)
        return Edit(last.value_end, last.value_end, f"\n{inner}{name} = {value}")
    return Edit(span.open + 1, span.open + 1, f"\n{inner}{name} = {value}")


def hcl_string(value: str) -> str:
    """A Terraform string literal."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("${", "$${")
    return f'"{escaped}"'
