"""The stack facet of a project: its files, Terraform model and schema, each computed once.

Rules reach it as ``project.stack``. Paths inside the stack are POSIX and relative to the
stack root (what the zip holds); :meth:`Stack.where` turns one into a finding location.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

from ocmp.core.findings import Location
from ocmp.core.rm_schema import SchemaDoc, load_schema, looks_like_schema
from ocmp.core.stack_files import StackFiles, read_stack
from ocmp.core.terraform.evaluate import Scope, evaluate
from ocmp.core.terraform.expr import parse_value
from ocmp.core.terraform.model import Block, TerraformModel, build_model
from ocmp.core.terraform.parse_cache import cached, parse_files
from ocmp.core.terraform.reads import FileRead, reads
from ocmp.errors import InputError

TF_SUFFIXES = (".tf", ".tf.json")


def is_tf(path: str) -> bool:
    """Whether a stack path is Terraform configuration."""
    return path.endswith(TF_SUFFIXES)


class Stack:
    """A Terraform stack (folder or zip) under validation."""

    def __init__(self, path: Path, display: Callable[[Path], str],
                 entry_display: Callable[[str], str] | None = None) -> None:
        self.path = path
        self._display = display
        self._entry_display = entry_display  # e.g. show a zip's entries as their source files

    @cached_property
    def files(self) -> StackFiles:
        """What the zip holds (or would hold)."""
        if not self.path.exists():
            raise InputError("the stack folder or zip does not exist", file=self._display(
                self.path), hint="check package.stack.path in listing.yaml")
        return read_stack(self.path)

    def where(self, rel: str = "", line: int | None = None) -> Location:
        """A location for a stack path: ``terraform/main.tf`` or ``stack.zip!main.tf``."""
        if self._entry_display is not None and rel:
            return Location(self._entry_display(rel), line)
        if self.files.kind == "zip":
            base = self._display(self.path)
            return Location(f"{base}!{rel}" if rel else base, line)
        return Location(self._display(self.path / rel) if rel else self._display(self.path), line)

    def at(self, block: Block, attr: str = "") -> Location:
        """The location of a block, or of one of its attributes."""
        return self.where(block.file, block.line_of(attr) if attr else block.line)

    @cached_property
    def parsed(self) -> dict[str, dict[str, object]]:
        """The Terraform files of the root and of the local modules it calls, parsed once.

        Folders are read breadth first: the root, then the folders its local module
        sources lead to, and so on; folders nothing calls (examples, tests) are not read.
        """
        by_dir: dict[str, dict[str, bytes]] = {}
        for path, data in self.files.files.items():
            if is_tf(path):
                by_dir.setdefault(posixpath.dirname(path), {})[path] = data
        result: dict[str, dict[str, object]] = {}
        seen: set[str] = set()
        todo = [""]
        while todo:
            batch = sorted(set(todo) - seen)
            seen.update(batch)
            parsed = parse_files({p: d for folder in batch for p, d in by_dir.get(folder,
                                                                                 {}).items()})
            result.update(parsed)
            todo = [t for path, entry in parsed.items() for t in _local_sources(path, entry)
                    if t in by_dir]
        return result

    @cached_property
    def model(self) -> TerraformModel:
        """The normalised Terraform model, modules wired, root variables set to what a
        launch from the listing gets by default (:attr:`launch_values`)."""
        return build_model(self.parsed, self.files.folders(), self.launch_values)

    @cached_property
    def launch_values(self) -> dict[str, Any]:
        """Root variable values a customer's launch gets by default, beyond Terraform's own
        defaults: the schema's ``default`` of each variable.

        Resource Manager fills the create-stack form with the schema defaults and passes
        the form's values to Terraform, where they override the ``variable`` defaults (a
        hidden variable keeps the schema's value for every customer). A default written as
        a ``${…}`` reference is not resolved here: the Terraform default stands in for it.
        This is the one place that answers "what value does a launch get by default";
        every rule asks the model (``inst.scope.variables``) rather than the files.
        """
        doc = self.schema
        if doc is None or doc.error:
            return {}
        values: dict[str, Any] = {}
        for name, spec in doc.variables.items():
            if not isinstance(spec, dict) or "default" not in spec:
                continue
            value = spec["default"]
            if value is None or (isinstance(value, str) and "${" in value):
                continue
            values[str(name)] = value
        return values

    @cached_property
    def reads(self) -> list[FileRead]:
        """Every place the configuration reads or copies a file (file(), templatefile()…)."""
        return reads(self.model)

    @cached_property
    def read_files(self) -> list[str]:
        """Stack files the configuration reads, that exist in the stack."""
        return sorted({r.path for r in self.reads if r.path and r.path in self.files.files})

    @cached_property
    def used_files(self) -> list[str]:
        """Terraform files of the root and of every local module it calls."""
        folders = {inst.config.dir for inst in self.model.instances()}
        return sorted(p for p in self.parsed if posixpath.dirname(p) in folders)

    def text_files(self) -> Iterator[tuple[str, str]]:
        """Every file of the stack that decodes as UTF-8 text."""
        for path in sorted(self.files.files):
            text = self.files.text(path)
            if text is not None:
                yield path, text

    @cached_property
    def schema_candidates(self) -> list[SchemaDoc]:
        """Root YAML files that are (or fail to parse but are named like) schema files."""
        found = []
        for path in sorted(self.files.files):
            if "/" in path or not path.endswith((".yaml", ".yml")):
                continue
            text = self.files.text(path)
            if text is None:
                undecodable = _undecodable_schema(path, self.files.files[path])
                if undecodable is not None:
                    found.append(undecodable)
                continue
            doc = _cached_schema(path, text, self.files.files[path])
            if looks_like_schema(doc.data) or (
                doc.error and ("schemaVersion" in text or "variables:" in text)
            ):
                found.append(doc)
        return found

    @cached_property
    def schema(self) -> SchemaDoc | None:
        """The schema Resource Manager would use: ``schema.yaml`` first, else the one candidate."""
        docs = self.schema_candidates
        named = [d for d in docs if d.file in ("schema.yaml", "schema.yml")]
        if named:
            return named[0]
        return docs[0] if len(docs) == 1 else None


def _local_sources(path: str, entry: dict[str, Any]) -> list[str]:
    """Folders (stack-relative) that the local module calls of one parsed file lead to."""
    found = []
    for block in entry.get("blocks", []):
        if block.get("kind") != "module":
            continue
        source = evaluate(parse_value(block["body"].get("source")), Scope())
        if isinstance(source, str) and source.startswith(("./", "../")):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), source))
            found.append("" if target == "." else target)
    return found


_SCHEMA_NAMES = ("schema.yaml", "schema.yml")
_UTF16_32_BOMS = {b"\xff\xfe\x00\x00": "utf-32", b"\x00\x00\xfe\xff": "utf-32",
                  b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}


def _undecodable_schema(path: str, data: bytes) -> SchemaDoc | None:
    """A root YAML file that is not UTF-8, as a schema whose error says so — when it is
    named like the schema or reads like one in the encoding it was saved in — else None.

    Resource Manager reads the schema as UTF-8; without this, such a file would be
    reported as a missing schema and every schema rule would go quiet.
    """
    encoding = next((enc for bom, enc in _UTF16_32_BOMS.items() if data.startswith(bom)), None)
    if encoding is not None:
        text = data.decode(encoding, errors="replace")
        line, message = 1, f"it is saved as {encoding.upper()}; save it as UTF-8"
    else:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = data.decode("latin-1")
            line = data.count(b"\n", 0, exc.start) + 1
            message = (f"it is not UTF-8 (byte 0x{data[exc.start]:02x} at line {line}); "
                       "save it as UTF-8")
        else:
            return None
    if path not in _SCHEMA_NAMES and "schemaVersion" not in text and "variables:" not in text:
        return None
    return SchemaDoc(path, text, {}, {}, (line, message))


def _cached_schema(path: str, text: str, data: bytes) -> SchemaDoc:
    """A root YAML parsed once per content (large schemas take a while to compose)."""

    def compute() -> dict[str, Any]:
        doc = load_schema(path, text)
        return {"data": doc.data, "lines": doc.lines, "error": doc.error}

    def valid(entry: Any) -> bool:
        return isinstance(entry, dict) and isinstance(entry.get("data"), dict) and \
            isinstance(entry.get("lines"), dict) and "error" in entry

    entry = cached("rm-schema/1", data, compute, valid)
    error = entry["error"]
    return SchemaDoc(path, text, entry["data"], entry["lines"],
                     (int(error[0]), str(error[1])) if error is not None else None)
