"""Load ``listing.yaml``: YAML with line numbers, ``${ENV}`` interpolation, the pydantic
models, and the files it references, all turned into located :class:`InputError` s.

Every problem reads ``listing.yaml:12: listing.support_contacts[0].email: value is not a
valid email address``. Files the listing references (docs, icon, banner, screenshots,
terms, the Terraform folder) must exist inside the project: a path that escapes it, a
missing file or a directory where a file is expected is invalid input (exit 3).
"""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ocmp.core.limits import MAX_ASSET_BYTES, MAX_TEXT_BYTES
from ocmp.core.yaml_source import PathKey, YamlDocument, dotted, interpolate, load_yaml, read_text
from ocmp.errors import InputError, InputProblem
from ocmp.schemas.common import OCID_PATTERN, TENANCY_OCID_PATTERN, FileRef
from ocmp.schemas.listing import (
    LISTING_ADAPTER,
    RULE_ID_PATTERN,
    ImageListingFile,
    Screenshot,
    StackListingFile,
)

AnyListing = ImageListingFile | StackListingFile
KINDS = ("image", "stack")


@dataclass(frozen=True)
class LoadedListing:
    """A validated listing file with the map back to its lines."""

    model: AnyListing
    doc: YamlDocument
    root: Path  # the directory holding listing.yaml

    @property
    def display(self) -> str:
        """The listing file as the user should read it."""
        return self.doc.display

    def line_of(self, *path: str | int) -> int | None:
        """The line of a dotted path in listing.yaml (or its nearest ancestor)."""
        return self.doc.line_of(tuple(path))

    def text(self, value: str | FileRef | None) -> str:
        """The content of a text field: inline, or read from its file."""
        if value is None:
            return ""
        if isinstance(value, FileRef):
            shown = (Path(self.display).parent / value.file).as_posix()
            return read_text(self.root / value.file, shown)
        return value


def load_listing(path: Path, display: str, env: Mapping[str, str] | None = None) -> LoadedListing:
    """Read, interpolate and validate a listing file; check the files it references.

    Args:
        path: the listing.yaml file.
        display: how to name it in messages (relative to the working directory).
        env: the environment for ``${NAME}``; the process environment by default.

    Raises:
        InputError: with file, line and dotted path for anything wrong.
    """
    doc = load_yaml(path, display)
    data = interpolate(doc, env)
    kind = data.get("kind")
    if isinstance(kind, str) and kind.strip().lower() in KINDS:
        # Codes are taken in any case (schemas.common.any_case); the discriminator is read
        # before any field validator, so it is folded here.
        kind = kind.strip().lower()
        data = {**data, "kind": kind}
    if kind not in KINDS:
        raise InputError(
            "missing kind" if kind is None else f"kind must be image or stack, not {kind!r}",
            file=display,
            line=doc.line_of(("kind",)),
            path="kind",
            hint="add `kind: image` or `kind: stack` at the top",
        )
    try:
        model = LISTING_ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise _located(exc, doc, data) from None
    loaded = LoadedListing(model, doc, path.parent)
    _check_references(loaded)
    return loaded


SCHEMA_HINT = "`ocmp schema` prints every allowed key"


def _located(exc: ValidationError, doc: YamlDocument, data: dict[str, Any]) -> InputError:
    """Every problem pydantic found, one line per place, earliest line first."""
    errors = exc.errors(include_url=False)
    by_place: dict[PathKey, list[Mapping[str, Any]]] = {}
    for error in errors:  # union members report one problem several times: group per place
        by_place.setdefault(_data_path(error["loc"], data), []).append(error)
    # (missing?, line, place shown, message, hint, the key's own path)
    problems: list[tuple[bool, int, PathKey, str, str | None, PathKey]] = []
    for where, found in by_place.items():
        first = found[0]
        kinds = {e["type"] for e in found}
        message = _message(first, where)
        # The schema helps with keys (unknown, missing), not with a wrong value.
        hint: str | None = SCHEMA_HINT if first["type"] in ("missing", "extra_forbidden") else (
            _value_hint(first))
        if "string_type" in kinds and kinds & {"model_type", "dict_type"}:
            message = "expected text, or {file: path/to/file.md}"  # a Text field (str | FileRef)
        if message.startswith("value is not a valid email address: "):
            message, _, hint = message.partition(": ")  # the validator's reason becomes the hint
        shown = where[:-1] if first["type"] == "missing" else where
        if first["type"] == "extra_forbidden" and where:
            close = _nearest_key(str(where[-1]))
            if close:
                message += f"; did you mean {close!r}?"
                hint = f"rename it to {close}; {SCHEMA_HINT}"
        line = doc.line_of(shown)
        missing = first["type"] == "missing"
        problems.append((missing, line if line is not None else 0, shown, message, hint, where))
    # Values that are wrong in file order, then keys that are missing (located at the start
    # of the mapping that lacks them, which is no place in the reading order).
    problems.sort(key=lambda p: (p[0], p[1], dotted(p[2])))
    _, line, path, message, hint, _ = problems[0]
    more = [f"{doc.display}:{at}: {dotted(place) + ': ' if place else ''}{text}"
            for _, at, place, text, _, _ in problems[1:]]
    if more:
        message += f"\n{len(more)} more problem{'s' if len(more) > 1 else ''}:\n" + \
            "\n".join("  " + m for m in more)
        if hint is None and any(p[4] == SCHEMA_HINT for p in problems):
            hint = SCHEMA_HINT
    # each problem names its key's own path, a missing one too (the line is its parent's)
    each = [InputProblem(text, doc.display, at or None, dotted(key) or None, why)
            for _, at, _, text, why, key in problems]
    return InputError(message, file=doc.display, line=line or None, path=dotted(path) or None,
                      hint=hint, problems=each)


def _value_hint(error: Mapping[str, Any]) -> str | None:
    """What to do about a wrong value, when there is more to say than the message."""
    pattern = str((error.get("ctx") or {}).get("pattern", ""))
    if error["type"] == "string_pattern_mismatch" and pattern in _PATTERN_HINTS:
        return _PATTERN_HINTS[pattern]
    return None


def _nearest_key(key: str) -> str | None:
    """The allowed listing.yaml key closest to a misspelt one (any level of the schema)."""
    import difflib

    from ocmp.schemas import json_schema

    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict):
                names.update(props)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json_schema())
    close = difflib.get_close_matches(key, sorted(names), n=1, cutoff=0.7)
    return close[0] if close else None


def _data_path(loc: tuple[str | int, ...], data: Any) -> PathKey:
    # pydantic's loc also names union members and tags ("image", "str", "FileRef"): keep
    # only the steps that exist in the data, plus a final missing key.
    path: list[str | int] = []
    node = data
    for step in loc:
        present = (isinstance(node, dict) and step in node) or (
            isinstance(node, list) and isinstance(step, int) and step < len(node)
        )
        if present:
            node = node[step]
            path.append(step)
        elif isinstance(node, dict) and isinstance(step, str) and step == loc[-1]:
            path.append(step)  # the missing key
    return tuple(path)


# What a pattern of the models means, in words (a regular expression is no message).
_PATTERN_WORDS = {
    OCID_PATTERN: "{} is not an OCID (they read ocid1.<type>.oc1.<region>.<id>)",
    TENANCY_OCID_PATTERN: "{} is not a tenancy OCID (they read ocid1.tenancy.oc1..<id>)",
    RULE_ID_PATTERN: "{} is not a rule id (three capitals and three digits, e.g. STK009)",
}


_PATTERN_HINTS = {
    OCID_PATTERN: "copy the OCID from the Console (the resource's page, OCID: Copy)",
    TENANCY_OCID_PATTERN: "the tenancy OCID is on Console → Tenancy details",
    RULE_ID_PATTERN: "`ocmp rules` lists the rule ids",
}


def _message(error: Mapping[str, Any], path: PathKey) -> str:
    kind = error["type"]
    if kind == "missing":
        return f"required key {path[-1]!r} is missing" if path else "required key missing"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "string_pattern_mismatch":
        pattern = str((error.get("ctx") or {}).get("pattern", ""))
        shown = repr(error.get("input"))[:60]
        words = _PATTERN_WORDS.get(pattern, "{} does not have the form this key takes")
        return words.replace("{}", shown)  # not str.format: the input may hold braces
    msg = re.sub(r"a valid dictionary or instance of \w+", "a mapping of keys", str(error["msg"]))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return msg[0].lower() + msg[1:] if msg[:2] != msg[:2].upper() else msg


def referenced_files(model: AnyListing) -> Iterator[tuple[PathKey, str]]:
    """Every (path in listing.yaml, file) the listing refers to."""
    listing = model.listing
    for key in (
        "short_description",
        "long_description",
        "usage_information",
        "system_requirements",
    ):
        value = getattr(listing, key)
        if isinstance(value, FileRef):
            yield ("listing", key, "file"), value.file
    if listing.icon:
        yield ("listing", "icon"), listing.icon
    if listing.banner:
        yield ("listing", "banner"), listing.banner
    for index, shot in enumerate(listing.screenshots):
        if isinstance(shot, Screenshot):
            yield ("listing", "screenshots", index, "file"), shot.file
        else:
            yield ("listing", "screenshots", index), shot
    if model.terms:
        yield ("terms", "document"), model.terms.document


def _check_references(loaded: LoadedListing) -> None:
    root = loaded.root.resolve()
    for path, name in referenced_files(loaded.model):
        _inside(loaded, path, name, root, want_dir=False)
    if isinstance(loaded.model, StackListingFile):
        _inside(
            loaded,
            ("package", "stack", "path"),
            loaded.model.package.stack.path,
            root,
            want_dir=True,
        )


def _inside(loaded: LoadedListing, path: PathKey, name: str, root: Path, *, want_dir: bool) -> Path:
    def fail(message: str, hint: str) -> InputError:
        return InputError(
            message,
            file=loaded.display,
            line=loaded.doc.line_of(path),
            path=dotted(path),
            hint=hint,
        )

    if "\0" in name:
        raise fail("the path holds a NUL byte", "remove it from the path")
    try:
        target = (root / name).resolve()
        target.stat()
    except FileNotFoundError:
        pass  # reported below, once we know it is inside
    except (OSError, RuntimeError) as exc:  # a symbolic link loop, a name too long
        raise fail(f"{name!r} cannot be read: {getattr(exc, 'strerror', None) or exc}",
                   "fix the path or the link it goes through") from None
    if Path(name).is_absolute() or not target.is_relative_to(root):
        raise fail(
            f"{name!r} is outside the project",
            "reference files below the directory of listing.yaml",
        )
    if not target.exists():
        raise fail(f"{name!r} does not exist", "create the file or fix the path")
    if want_dir and not target.is_dir():
        raise fail(f"{name!r} is not a directory", "point to the Terraform folder")
    if not want_dir and target.is_dir():
        raise fail(f"{name!r} is a directory, not a file", "point to the file itself")
    if not want_dir:
        # Checked here so that `validate` refuses what `publish` would refuse to read.
        mode = target.stat()
        if not stat.S_ISREG(mode.st_mode):
            raise fail(f"{name!r} is not a regular file (a device, FIFO or socket)",
                       "point to an ordinary file")
        limit = MAX_TEXT_BYTES if path[-1] == "file" and path[1] != "screenshots" else (
            MAX_ASSET_BYTES)
        if mode.st_size > limit:
            raise fail(f"{name!r} is {mode.st_size / 1e6:.1f} MB, more than the "
                       f"{limit >> 20} MiB ocmp reads", "is this the right file?")
    return target
