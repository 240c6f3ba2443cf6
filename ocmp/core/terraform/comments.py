"""Where the comments of an HCL file are: ``#`` and ``//`` to the end of the line, and
``/* … */`` blocks, outside strings and heredocs.

For rules that scan a file's text (an OCID, a URL) and must skip what Terraform never
reads. The file is not required to parse: an unterminated string or comment just runs to
the end of the text.
"""

from __future__ import annotations

from bisect import bisect_right

from ocmp.core.terraform.hcl_scan import _HEREDOC, Unsupported, _Scanner


def comment_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of every comment, in order.

    Strings and heredocs are skipped by the file scanner's own rules (one definition of
    HCL's lexis); where it gives up on malformed text, a string runs to its line's end
    and a heredoc to the end of the text, as HCL reads them.
    """
    scan = _Scanner(text)
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            try:
                i = scan.skip_string(i)
            except Unsupported:
                end = text.find("\n", i)
                i = n if end < 0 else end + 1
        elif ch == "<" and text.startswith("<<", i):
            try:
                i = scan.skip_heredoc(i)
            except Unsupported:
                i = n if _HEREDOC.match(text, i) else i + 2
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
