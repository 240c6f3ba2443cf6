"""Read a YAML file safely and remember where every value came from.

PyYAML's composer gives nodes with line numbers; we keep a map from the dotted path of
every value (``("listing", "support_contacts", 0, "email")``) to its 1-based line, so that
load errors and rule findings point at ``listing.yaml:12``. Guards run before any
expensive work: a size cap before parsing, strict UTF-8, and a bound on the number of
nodes after alias expansion (a "billion laughs" document is refused, not expanded).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ocmp.core.files import read_bytes_bounded
from ocmp.core.limits import MAX_TEXT_BYTES
from ocmp.errors import InputError

MAX_BYTES = MAX_TEXT_BYTES  # a listing.yaml is a few KB; anything this large is a mistake
MAX_NODES = 50_000  # counted with aliases expanded
MAX_DEPTH = 64  # nested mappings and lists; a listing needs about 6
PathKey = tuple[str | int, ...]
_ENV = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def dotted(path: PathKey) -> str:
    """``("listing", "support_contacts", 0, "email")`` → ``listing.support_contacts[0].email``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML mapping with the line of each value."""

    data: dict[str, Any]
    lines: Mapping[PathKey, int]
    display: str  # the file as the user should read it

    def line_of(self, path: PathKey) -> int | None:
        """The line of ``path``, or of its closest ancestor present in the file."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def read_text(path: Path, display: str, *, limit: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file, refusing directories, huge files and invalid encodings."""
    raw = read_bytes_bounded(path, display, limit=limit)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})",
            file=display,
            line=line,
            hint="save the file as UTF-8",
        ) from None


def load_yaml(path: Path, display: str) -> YamlDocument:
    """Parse a YAML file whose top level must be a mapping; see the module docstring."""
    text = read_text(path, display)
    return parse_yaml(text, display)


def parse_yaml(text: str, display: str) -> YamlDocument:
    """:func:`load_yaml` of text already read."""
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text, display) from None
    node: yaml.Node | None = None
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError(
                "the file is empty", file=display, line=1, hint="start from `ocmp init`"
            )
        lines: dict[PathKey, int] = {(): node.start_mark.line + 1}
        _walk(node, (), lines, [0], display)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = _where(exc)
        line = mark.line + 1 if mark else None
        raise InputError(yaml_problem(exc, text), file=display, line=line,
                         hint="YAML indents with spaces; quote a value that holds ': ' or '#'"
                         ) from None
    except yaml.reader.ReaderError as exc:  # a raw NUL, ESC or other control character
        raise _reader_error(exc, text, display) from None
    except RecursionError:  # the composer itself, on flow collections nested ~300 deep
        raise InputError(
            f"nested more than {MAX_DEPTH} levels deep", file=display, line=_too_deep(text),
            hint="a listing needs a few levels: check the brackets",
        ) from None
    except InputError:
        raise  # an InputError is a ValueError too: ours, already located
    except (ValueError, OverflowError, AttributeError, KeyError, TypeError) as exc:
        # e.g. an impossible date (2026-13-45), `!!timestamp 'bad'`, `!!bool 'maybe'`:
        # PyYAML's constructors fail with whatever their parsing raised, without a mark.
        line, problem = (node and unconstructable(node)) or (None, str(exc))
        hint = "fix the value, or quote it if it is meant as text"
        if re.match(r"'\d{4}-\d", problem):  # a timestamp: the one date form is YYYY-MM-DD
            hint = (f"write a real date as YYYY-MM-DD, e.g. {dt.date.today().isoformat()} "
                    "for today")
        raise InputError(f"invalid YAML value: {problem}", file=display, line=line,
                         hint=hint) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", file=display) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise InputError(
            f"the top level is a {_kind(data)}, expected a mapping of keys (kind:, listing:, …)",
            file=display,
            line=1,
        )
    return YamlDocument(data, lines, display)


_TOKENS = {"<block mapping start>": "a new key", "<block end>": "the end of the block",
           "<block sequence start>": "a list item", "<document start>": "---",
           "<stream end>": "the end of the file", "<scalar>": "a value"}


def _unclosed(exc: yaml.MarkedYAMLError) -> str | None:
    """The bracket or quote a syntax error leaves open (PyYAML's context), if that is it."""
    context = str(exc.context or "")
    problem = str(exc.problem or "")
    if context.startswith("while parsing a flow") and "but got" in problem:
        return "[" if "sequence" in context or "']'" in problem else "{"
    if context.startswith("while scanning a quoted") or (
            context.startswith("while scanning a") and "end of stream" in problem):
        return "quote"
    return None


def _where(exc: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """Where to point: at the opening of what is left open, else where PyYAML stopped."""
    if _unclosed(exc) and exc.context_mark is not None:
        return exc.context_mark
    return exc.problem_mark or exc.context_mark


def yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> str:
    """A YAML syntax error in plain words, at line and column, with the line and a caret."""
    mark = _where(exc)
    problem = str(exc.problem or exc.context or "invalid YAML")
    unclosed = _unclosed(exc)
    where = ""
    lines = text.splitlines()
    source = ""
    if mark is not None:
        where = f"column {mark.column + 1}: "
        if mark.line < len(lines):
            source = lines[mark.line]
    starts = re.match(r"found character '(.)' that cannot start any token", problem)
    if unclosed == "quote":
        words = "this quoted value is never closed: add the closing quote"
    elif unclosed:
        words = (f"this {'list' if unclosed == '[' else 'mapping'} is never closed: add the "
                 f"closing {']' if unclosed == '[' else '}'} (or a comma is missing)")
    elif "\t" in source[: (mark.column + 1) if mark else 0] or "'\\t'" in problem:
        words = "a tab character: YAML indents with spaces only"
    elif "could not find expected ':'" in problem:
        words = "a key without its colon (write `key: value`)"
    elif "mapping values are not allowed here" in problem and mark is not None and \
            _previous_without_colon(lines, mark.line):
        above = _previous_without_colon(lines, mark.line)
        words = f"line {above} has no colon after its key (write `key: value`)"
    elif "mapping values are not allowed here" in problem:
        words = ("a colon where no key can start: indent this line like its siblings, or quote "
                 "a value that contains ': '")
    elif problem.startswith("expected <block end>"):
        words = "bad indentation: this line is indented differently from the lines of its block"
    elif starts:
        words = (f"a plain value cannot start with {starts.group(1)!r}: put the value in quotes "
                 f"(\"{starts.group(1)}…\")")
    elif "found undefined alias" in problem:
        words = "an alias (*name) with no anchor (&name) before it"
    else:
        words = problem
        for token, plain in _TOKENS.items():
            words = words.replace(f"'{token}'", plain).replace(token, plain)
    opened = _quote_left_open(lines, mark.line) if mark is not None and not unclosed else None
    if opened is not None:
        # YAML lets a quoted value run over several lines, so a missing closing quote shows
        # up lines later, at the next quote: point at where the value opened.
        words += (f" (the quoted value that opens on line {opened} does not close on its line: "
                  "is its closing quote missing?)")
    message = f"invalid YAML: {where}{words}"
    if source and mark is not None:
        shown = source.replace("\t", " ")
        message += f"\n    {shown}\n    {' ' * mark.column}^"
    return message


_OPENS_QUOTED = re.compile(r"""^\s*(?:-\s+)?(?:[^\s#'"][^:#]*:\s+|-\s+)(["'])(.*)$""")


def _quote_left_open(lines: list[str], index: int) -> int | None:
    """The 1-based line above ``index`` where a quoted value starts and does not end, if any.

    Only the nearest such line within the last 50 counts. A quoted value may rightly run
    over lines, so the caller words it as a question, beside the error it found.
    """
    for back in range(index - 1, max(-1, index - 51), -1):
        match = _OPENS_QUOTED.match(lines[back])
        if not match:
            continue
        quote, rest = match.groups()
        body = rest.replace("\\\\", "").replace('\\"', "") if quote == '"' else \
            rest.replace("''", "")
        if quote not in body:
            return back + 1
        return None
    return None


def _previous_without_colon(lines: list[str], index: int) -> int | None:
    """The 1-based number of the nearest non-blank line above, when it is a bare word."""
    for back in range(index - 1, -1, -1):
        text = lines[back].strip()
        if not text or text.startswith("#"):
            continue
        return back + 1 if ":" not in text and not text.startswith(("-", "[", "{")) else None
    return None


def _reader_error(exc: yaml.reader.ReaderError, text: str, display: str) -> InputError:
    line = text.count("\n", 0, exc.position) + 1
    char = exc.character
    what = f"U+{ord(char) if isinstance(char, str) else int(char):04X}"
    return InputError(f"invalid character {what} (a control character)", file=display,
                      line=line, hint="remove it, or write it as an escape in double quotes")


def _too_deep(text: str) -> int | None:
    """The line where flow brackets first nest deeper than MAX_DEPTH (quotes ignored)."""
    depth = 0
    for index, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return text.count("\n", 0, index) + 1
        elif char in "]}":
            depth -= 1
    return None


def unconstructable(root: yaml.Node) -> tuple[int, str] | None:
    """The line of the first scalar PyYAML composes but cannot construct, and why.

    An unquoted ``2026-13-45`` resolves to a timestamp and ``datetime`` then raises a bare
    ValueError without a mark; this finds the scalar (only called on that error path).
    """
    todo: list[yaml.Node] = [root]
    seen: set[int] = set()
    while todo:
        node = todo.pop()
        if id(node) in seen:  # aliases share nodes
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                yaml.SafeLoader("").construct_object(node)
            except (ValueError, OverflowError, yaml.YAMLError) as exc:
                return node.start_mark.line + 1, f"{node.value!r}: {exc}"
            except (AttributeError, KeyError, TypeError):
                tag = node.tag.rsplit(":", 1)[-1]
                return node.start_mark.line + 1, f"{node.value!r} is not a valid {tag}"
        elif isinstance(node, yaml.MappingNode):
            todo.extend(n for pair in reversed(node.value) for n in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(reversed(node.value))
    return None


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    return "string" if isinstance(value, str) else type(value).__name__


def _walk(
    node: yaml.Node,
    path: PathKey,
    lines: dict[PathKey, int],
    count: list[int],
    display: str,
    ancestors: frozenset[int] = frozenset(),
) -> None:
    # Recursion is bounded by MAX_DEPTH; an alias to an enclosing node is refused here
    # (`x: &k [a, *k]` would otherwise recurse forever).
    count[0] += 1
    line = node.start_mark.line + 1
    if count[0] > MAX_NODES:
        raise InputError(
            f"more than {MAX_NODES} values after expanding aliases (a YAML alias bomb?)",
            file=display,
            line=line,
            hint="write the values out instead of nesting anchors and aliases",
        )
    if id(node) in ancestors:
        raise InputError("a recursive alias: the anchor is used inside itself", file=display,
                         line=line, hint="an alias may only repeat a value defined before it")
    if len(ancestors) >= MAX_DEPTH:
        raise InputError(f"nested more than {MAX_DEPTH} levels deep", file=display, line=line,
                         hint="a listing needs a few levels: check the indentation")
    if isinstance(node, yaml.ScalarNode):
        if any("\ud800" <= c <= "\udfff" for c in node.value):
            raise InputError("a lone surrogate (\\ud800-\\udfff) is not a character",
                             file=display, line=line, hint="write the character itself")
        return
    inner = ancestors | {id(node)}
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                _walk(key_node, path, {}, count, display, inner)  # checked, not recorded
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            if key == "<<" and key_node.tag.endswith(":merge") and id(value_node) in inner:
                raise InputError("a recursive merge: the anchor is merged into itself",
                                 file=display, line=key_node.start_mark.line + 1)
            if key in seen:
                raise InputError(
                    f"duplicate key {key!r}", file=display, line=key_node.start_mark.line + 1
                )
            seen.add(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*path, key), lines, count, display, inner)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            _walk(item, (*path, index), lines, count, display, inner)


def interpolate(doc: YamlDocument, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Replace ``${NAME}`` in string values by the environment variable (``$$`` is a literal ``$``).

    Raises:
        InputError: naming the variable and the file:line, when a variable is not set.
    """
    environ = os.environ if env is None else env

    def sub(value: Any, path: PathKey) -> Any:
        if isinstance(value, str) and "$" in value:

            def one(match: re.Match[str]) -> str:
                name = match.group(1)
                if name is None:
                    return "$"
                if name not in environ:
                    raise InputError(
                        f"environment variable {name} is not set",
                        file=doc.display,
                        line=doc.line_of(path),
                        path=dotted(path),
                        hint=f"export {name}=… before running ocmp, or write the value",
                    )
                return environ[name]

            return _ENV.sub(one, value)
        if isinstance(value, dict):
            return {k: sub(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [sub(v, (*path, i)) for i, v in enumerate(value)]
        return value

    result: dict[str, Any] = sub(doc.data, ())
    return result
