"""Where the comments of an HCL file are: ``#`` and ``//`` to the end of the line, and
``/* … */`` blocks, outside strings and heredocs.

For rules that scan a file's text (an OCID, a URL) and must skip what Terraform never
reads. The file is not required to parse: an unterminated string or comment just runs to
the end of the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_HEREDOC = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")


def comment_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of every comment, in order."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            i = _string_end(text, i + 1)
        elif ch == "<" and text.startswith("<<", i):
            m = _HEREDOC.match(text, i)
            if m is None:
                i += 2
                continue
            closing = re.compile(rf"^[ \t]*{re.escape(m.group(1))}[ \t]*\r?$", re.M).search(
                text, m.end())
            i = closing.end() if closing else n
        elif ch == "#" or text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            spans.append((i, end))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            spans.append((i, end))
            i = end
        else:
            i += 1
    return spans


def _string_end(text: str, i: int) -> int:
    """The offset after the closing quote of a string whose body starts at ``i``;
    ``${ … }`` interpolations may hold strings of their own."""
    depth = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if depth == 0 and ch == "\n":
            return i + 1  # an unterminated string stops at the line's end, as HCL says
        if ch == '"':
            if depth == 0:
                return i + 1
            i = _string_end(text, i + 1)
            continue
        if text.startswith("${", i) or text.startswith("%{", i):
            depth += 1
            i += 2
            continue
        if ch == "}" and depth:
            depth -= 1
        i += 1
    return n


class CommentIndex:
    """Answers "is this offset inside a comment?" for one text (spans computed once)."""

    def __init__(self, text: str) -> None:
        self.spans = comment_spans(text)
        self.starts = [s for s, _ in self.spans]

    def __contains__(self, offset: object) -> bool:
        if not isinstance(offset, int):
            return False
        k = bisect_right(self.starts, offset) - 1
        return k >= 0 and offset < self.spans[k][1]
