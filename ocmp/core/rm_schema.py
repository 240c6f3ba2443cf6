"""Resource Manager ``schema.yaml``: read with line numbers, and the facts the SCH rules need.

The type table and ``dependsOn`` keys come from validation-rules.md §2.3; the structural
meta-schema (package data ``data/rm_meta_schema.json``) is ocmp's own, written from §2
with the §2.6 relaxations so that what Resource Manager really accepts passes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ocmp.core.yaml_source import unconstructable

MAX_DEPTH = 64  # a schema nests a handful of levels
MAX_NODES = 500_000  # a 10,000-variable schema is ~100,000 nodes: allowed, just slow to read
PathKey = tuple[str | int, ...]

STATIC_TYPES = {"string", "text", "password", "integer", "number", "boolean", "enum", "array",
                "datetime", "file", "list", "map", "object"}
_C, _CO = "compartmentId", "compartmentId?"
# Dynamic types → dependsOn keys; "?" marks an optional key. None: no dependsOn allowed.
DYNAMIC_TYPES: dict[str, tuple[str, ...] | None] = {
    "oci:identity:region:name": None,
    "oci:identity:compartment:id": None,
    "oci:identity:availabilitydomain:name": (_C,),
    "oci:identity:faultdomain:name": (_C, "availabilityDomainName"),
    "oci:identity:domains:id": (_C,),
    "oci:identity:groups:id": (_C,),
    "oci:identity:dynamicgroups:id": (_C,),
    "oci:identity:tag:value": (_C,),
    "oci:core:image:id": (_C, "shape?", "operatingSystem?", "operatingSystemVersion?"),
    "oci:core:instanceshape:name": (_C, "imageId?", "availabilityDomain?"),
    "oci:core:instanceshapewithflex:name": (_C, "imageId?", "availabilityDomain?"),
    "oci:core:instance:id": (_C,),
    "oci:core:vcn:id": (_C,),
    "oci:core:subnet:id": (_C, "vcnId", "hidePublicSubnet?", "hidePrivateSubnet?",
                           "hideRegionalSubnet?", "hideAdSubnet?"),
    "oci:core:nsg:id": (_C, "vcnId?"),
    "oci:core:natgateway:id": (_C, "vcnId?"),
    "oci:core:servicegateway:id": (_C, "vcnId?"),
    "oci:core:ssh:publickey": None,
    "oci:database:dbsystem:id": (_C,),
    "oci:database:autonomouscontainerdatabase:id": (_C,),
    "oci:database:dbhome:id": (_C, "dbSystemId"),
    "oci:database:dbhome:dbversion": ("dbHomeId",),
    "oci:database:database:id": (_C, "dbHomeId"),
    "oci:database:autonomousdatabase:id": (_C, "dbWorkload?"),
    "oci:database:autonomousdatabaseversion:id": (_CO, "dbWorkload?"),
    "oci:kms:vault:id": (_C,),
    "oci:kms:key:id": (_C, "vaultId", "protectionMode?", "algorithm?", "length?", "curveId?"),
    "oci:kms:secret:id": (_C, "vaultId?", "name?"),
    "oci:container:cluster:id": (_C,),
    "oci:kubernetes:versions:id": (_C, "clusterOptionId"),
    "oci:blockstorage:policies:id": (_CO,),
    "oci:loadbalancer:loadbalancer:id": (_C,),
    "oci:mount:target:id": (_C, "availabilityDomain"),
    "oci:ods:project:id": (_C,),
    "oci:apm:domain:id": (_C,),
    "oci:mgmt:agent:id": (_C,),
    "oci:logan:loggroup:id": (_C,),
    "oci:logan:logentity:id": (_C,),
    "oci:logan:source:id": (_C,),
    "oci:logan:scheduledtask:id": (_C, "taskType"),
    "oci:logan:entitytype:id": None,
    "oci:resourcemanager:privateendpoint:id": (_C, "vcnId"),
    "oci:dbtools:connection:id": (_C,),
}
# dependsOn itself is optional for these types.
OPTIONAL_DEPENDS_ON = {"oci:blockstorage:policies:id", "oci:database:autonomousdatabaseversion:id"}
OUTPUT_TYPES = {"boolean", "number", "string", "copyableString", "link", "ocid", "map", "json",
                "list", "csv"}
AUTO_FILLED = {"tenancy_ocid", "compartment_ocid", "region", "current_user_ocid"}

TOP_KEYS = {"title", "description", "stackDescription", "packageVersion", "version",
            "schemaVersion", "locale", "logoUrl", "source", "informationalText", "instructions",
            "troubleshooting", "allowViewState", "variables", "groupings", "variableGroups",
            "outputs", "outputGroups", "primaryOutputButton"}
VARIABLE_KEYS = {"type", "title", "description", "default", "required", "visible", "pattern",
                 "minLength", "maxLength", "multiline", "minimum", "maximum", "exclusiveMinimum",
                 "exclusiveMaximum", "multipleOf", "enum", "allowMultiple", "additionalProps",
                 "items", "minItems", "maxItems", "uniqueItems", "contains", "confirmation",
                 "dependsOn", "valueType", "attributes", "actualName", "sensitive"}
OUTPUT_KEYS = {"type", "title", "description", "displayText", "visible", "sensitive", "format",
               "value"}
GROUP_KEYS = {"title", "variables", "visible", "outputs"}


@dataclass
class SchemaDoc:
    """A parsed schema file: its data, the line of every value, its text."""

    file: str  # path inside the stack
    text: str
    data: dict[str, Any] = field(default_factory=dict)
    lines: dict[PathKey, int] = field(default_factory=dict)
    error: tuple[int, str] | None = None  # (line, message) when it is not usable YAML
    _grouped: dict[str, list[tuple[str, int, int]]] | None = field(default=None, repr=False)

    def line_of(self, *path: str | int) -> int:
        """The line of ``path``, or of its closest ancestor."""
        key: PathKey = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return 1

    @property
    def variables(self) -> dict[str, Any]:
        """``variables:`` as a mapping (empty when absent or malformed)."""
        value = self.data.get("variables")
        return value if isinstance(value, dict) else {}

    @property
    def outputs(self) -> dict[str, Any]:
        """``outputs:`` as a mapping."""
        value = self.data.get("outputs")
        return value if isinstance(value, dict) else {}

    def groups(self) -> list[tuple[str, int, dict[str, Any]]]:
        """Groups of ``variableGroups`` and legacy ``groupings``, with their key and index."""
        found: list[tuple[str, int, dict[str, Any]]] = []
        for key in ("variableGroups", "groupings"):
            value = self.data.get(key)
            if isinstance(value, list):
                found.extend((key, i, g) for i, g in enumerate(value) if isinstance(g, dict))
        return found

    def grouped(self) -> dict[str, list[tuple[str, int, int]]]:
        """Variable name → every (group key, group index, position) listing it (computed once)."""
        if self._grouped is not None:
            return self._grouped
        names: dict[str, list[tuple[str, int, int]]] = {}
        for key, index, group in self.groups():
            members = group.get("variables")
            if isinstance(members, list):
                for pos, name in enumerate(members):
                    if isinstance(name, str):
                        names.setdefault(ref_name(name), []).append((key, index, pos))
        self._grouped = names
        return names

    def hidden(self, name: str) -> bool:
        """Whether the variable is hidden: ``visible: false`` on it or on one of its groups."""
        var = self.variables.get(name)
        if isinstance(var, dict) and var.get("visible") is False:
            return True
        for key, index, _ in self.grouped().get(name, []):
            if self.data[key][index].get("visible") is False:
                return True
        return False


def ref_name(text: str) -> str:
    """A variable reference as written (``name`` or ``${name}``) → the name."""
    text = text.strip()
    return text[2:-1].strip() if text.startswith("${") and text.endswith("}") else text


# The C loader (when PyYAML was built with libyaml) composes the same nodes, with marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_schema(file: str, text: str) -> SchemaDoc:
    """Parse a schema; a YAML error or a duplicate key comes back in ``error``, not raised."""
    doc = SchemaDoc(file, text)
    try:
        loader = _Loader(text)
    except yaml.YAMLError as exc:  # the pure-Python reader checks characters at once
        doc.error = (1, f"invalid YAML: {exc}")
        return doc
    node = None
    try:
        node = loader.get_single_node()
        if node is None:
            doc.error = (1, "the file is empty")
            return doc
        problem = _walk(node, (), doc.lines)
        if problem:
            doc.error = problem
            return doc
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        doc.error = ((mark.line + 1) if mark else 1, str(exc.problem or exc.context or 'invalid'))
        return doc
    except (yaml.YAMLError, RecursionError) as exc:
        doc.error = (1, f"invalid YAML: {type(exc).__name__}")
        return doc
    except (ValueError, OverflowError, AttributeError, KeyError, TypeError) as exc:
        # e.g. an impossible date (2026-13-45), `!!timestamp 'bad'`, `!!bool 'maybe'`
        doc.error = (node and unconstructable(node)) or (1, str(exc))
        return doc
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        doc.error = (1, "the top level is not a mapping")
        return doc
    doc.data = data
    return doc


def _walk(node: yaml.Node, start: PathKey, lines: dict[PathKey, int]) -> tuple[int, str] | None:
    # Iterative: a deep or huge document must not hit the recursion limit. An alias to
    # an enclosing node (`x: &r [*r]`) is refused: the walk would never end.
    todo: list[tuple[yaml.Node, PathKey, frozenset[int]]] = [(node, start, frozenset())]
    count = 0
    while todo:
        current, path, ancestors = todo.pop()
        count += 1
        if count > MAX_NODES:
            return (current.start_mark.line + 1, f"more than {MAX_NODES} YAML values")
        if id(current) in ancestors:
            return (current.start_mark.line + 1, "a recursive alias: the anchor is used "
                    "inside itself")
        if len(path) > MAX_DEPTH:
            return (current.start_mark.line + 1, f"nested more than {MAX_DEPTH} levels deep")
        inner = ancestors | {id(current)}
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in current.value:
                key = str(key_node.value)
                if key in seen:
                    return (key_node.start_mark.line + 1, f"duplicate key {key!r}")
                seen.add(key)
                lines[(*path, key)] = key_node.start_mark.line + 1
                todo.append((value_node, (*path, key), inner))
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                lines[(*path, index)] = item.start_mark.line + 1
                todo.append((item, (*path, index), inner))
    return None


@cache
def meta_schema() -> dict[str, Any]:
    """ocmp's Resource Manager meta-schema (package data)."""
    text = resources.files("ocmp.core").joinpath("data", "rm_meta_schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def looks_like_schema(data: Any) -> bool:
    """A root YAML that is a Resource Manager schema: a mapping with schemaVersion/variables."""
    return isinstance(data, dict) and ("schemaVersion" in data or "variables" in data)
