"""Whether a document conforms to a JSON Schema (Draft 7) written with a few keywords.

SCH003 checks schema.yaml against ocmp's Resource Manager meta-schema with jsonschema,
whose import (attrs, referencing, the bundled meta-schemas) is about a tenth of a cold
``ocmp validate``. Most schema files conform, and a conforming file needs no messages:
this module gives the yes-or-no verdict of Draft 7 for the keywords that meta-schema uses,
so that only a file that does not conform pays for jsonschema, which then finds and words
every error. A keyword, ``$ref`` or value outside this subset gives no verdict (``None``),
and the caller asks jsonschema. ``tests/core/test_draft7_subset.py`` compares the verdicts
with jsonschema's on generated documents.
"""

from __future__ import annotations

import numbers
from typing import Any

# Keywords that never change a Draft 7 verdict.
_ANNOTATIONS = frozenset(
    {"$schema", "$comment", "$id", "definitions", "title", "description", "default", "examples"})


class _NoVerdict(Exception):
    """The schema leaves the subset this module decides."""


def conforms(schema: dict[str, Any], instance: Any) -> bool | None:
    """Draft 7's verdict on ``instance`` against ``schema``; None when it is not decided
    here (a keyword outside the subset)."""
    try:
        return _valid(instance, schema, schema)
    except (_NoVerdict, RecursionError, TypeError):  # TypeError: a value of no JSON type
        return None


def _is_type(instance: Any, name: str) -> bool:
    # Draft 7's type checker (bool is no number; a float with no fraction is an integer).
    if name == "object":
        return isinstance(instance, dict)
    if name == "array":
        return isinstance(instance, list)
    if name == "string":
        return isinstance(instance, str)
    if name == "boolean":
        return isinstance(instance, bool)
    if name == "null":
        return instance is None
    if isinstance(instance, bool):
        return False
    if name == "number":
        return isinstance(instance, numbers.Number)
    if name == "integer":
        return isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())
    raise _NoVerdict(name)


def _resolve(root: dict[str, Any], ref: str) -> Any:
    prefix = "#/definitions/"
    name = ref.removeprefix(prefix)
    if not ref.startswith(prefix) or "/" in name or "~" in name or "%" in name:
        raise _NoVerdict(ref)
    definitions = root.get("definitions", {})
    if name not in definitions:
        raise _NoVerdict(ref)
    return definitions[name]


def _valid(instance: Any, schema: Any, root: dict[str, Any]) -> bool:
    if schema is True:
        return True
    if schema is False:
        return False
    if not isinstance(schema, dict):
        raise _NoVerdict(schema)
    if "$ref" in schema:  # Draft 7: a $ref's siblings are ignored
        return _valid(instance, _resolve(root, schema["$ref"]), root)
    for keyword, value in schema.items():
        if keyword in _ANNOTATIONS:
            continue
        if not _keyword(keyword, value, instance, schema, root):
            return False
    return True


def _keyword(keyword: str, value: Any, instance: Any, schema: dict[str, Any],
             root: dict[str, Any]) -> bool:
    """Whether ``instance`` passes one keyword of ``schema`` (each applies to its own type)."""
    if keyword == "type":
        names = value if isinstance(value, list) else [value]
        return any(_is_type(instance, name) for name in names)
    if keyword == "oneOf":
        return sum(_valid(instance, sub, root) for sub in value) == 1
    if keyword == "minLength":
        return not isinstance(instance, str) or len(instance) >= value
    if keyword == "minimum":
        return not _is_type(instance, "number") or not instance < value
    if keyword in ("minItems", "maxItems", "items"):
        if not isinstance(instance, list):
            return True
        if keyword == "minItems":
            return bool(len(instance) >= value)
        if keyword == "maxItems":
            return bool(len(instance) <= value)
        if isinstance(value, list):  # the tuple form of items
            raise _NoVerdict(keyword)
        return all(_valid(item, value, root) for item in instance)
    if keyword in ("minProperties", "maxProperties", "required", "properties",
                   "additionalProperties"):
        if not isinstance(instance, dict):
            return True
        if keyword == "minProperties":
            return bool(len(instance) >= value)
        if keyword == "maxProperties":
            return bool(len(instance) <= value)
        if keyword == "required":
            return all(name in instance for name in value)
        if keyword == "properties":
            return all(_valid(instance[name], sub, root)
                       for name, sub in value.items() if name in instance)
        if "patternProperties" in schema:
            raise _NoVerdict(keyword)
        known = schema.get("properties", {})
        extras = [instance[name] for name in instance if name not in known]
        if value is False:
            return not extras
        return all(_valid(extra, value, root) for extra in extras)
    raise _NoVerdict(keyword)
