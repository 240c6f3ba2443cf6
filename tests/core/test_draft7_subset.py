"""ocmp.core.draft7_subset against jsonschema: the same verdict on the meta-schema SCH003
uses, for documents generated around it (right and wrong types, missing and extra keys,
nested visibility expressions), and no verdict outside its keywords."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator

from ocmp.core.draft7_subset import conforms
from ocmp.core.rm_schema import meta_schema

META = meta_schema()
TEMPLATE = Path(__file__).parents[2] / "ocmp" / "templates" / "stack" / "terraform" / "schema.yaml"

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, width=16),
    st.sampled_from([1.0, -1.0, 0.5, float("inf")]), st.text(max_size=3),
)
expressions = st.recursive(
    st.one_of(st.booleans(), st.text(max_size=2), st.integers(0, 2)),
    lambda inner: st.one_of(
        st.dictionaries(st.sampled_from(["and", "or", "not", "eq", "lt", "xor"]),
                        st.lists(inner, max_size=3), max_size=2),
        st.lists(inner, max_size=2),
    ),
    max_leaves=6,
)
VARIABLE_KEYS = ["type", "title", "required", "visible", "minLength", "maxItems", "minimum",
                 "multiline", "items", "valueType", "dependsOn", "unknownKey"]
variables = st.dictionaries(
    st.sampled_from(VARIABLE_KEYS),
    st.one_of(scalars, expressions, st.dictionaries(st.text(max_size=2), scalars, max_size=2)),
    max_size=4,
)
# Variables and expressions that conform, so that deep documents conform too (and a
# single wrong value among them decides).
right_expressions = st.recursive(
    st.one_of(st.booleans(), st.text(max_size=2)),
    lambda inner: st.one_of(
        st.fixed_dictionaries({"and": st.lists(inner, min_size=2, max_size=2)}),
        st.fixed_dictionaries({"not": st.lists(inner, min_size=1, max_size=1)}),
        st.fixed_dictionaries({"eq": st.lists(st.one_of(st.text(max_size=2), st.integers(),
                                                        st.floats(allow_nan=False)),
                                              min_size=2, max_size=2)}),
    ),
    max_leaves=5,
)
right_variables = st.fixed_dictionaries(
    {"type": st.sampled_from(["string", "boolean", "number"])},
    optional={"title": st.text(max_size=3), "required": st.booleans(),
              "visible": st.one_of(right_expressions, expressions), "minLength": st.integers(0, 9),
              "maxItems": st.sampled_from([0, 2, 3.0, -1, 2.5]), "minimum": st.integers(),
              "items": st.dictionaries(st.text(max_size=2), scalars, max_size=2),
              "valueType": st.one_of(st.text(max_size=2), st.just({})),
              "dependsOn": st.dictionaries(st.text(max_size=2), scalars, max_size=2)},
)
groups = st.dictionaries(
    st.sampled_from(["title", "variables", "outputs", "visible", "other"]),
    st.one_of(scalars, st.lists(st.one_of(st.text(max_size=2), st.integers()), max_size=3),
              expressions),
    max_size=3,
)
documents = st.fixed_dictionaries(
    {},
    optional={
        "title": scalars,
        "version": scalars,
        "source": st.dictionaries(st.sampled_from(["type", "reference", "x"]), scalars),
        "variables": st.one_of(
            st.dictionaries(st.text(max_size=3), st.one_of(right_variables, variables),
                            max_size=3),
            st.dictionaries(st.text(max_size=3), right_variables, max_size=4),
            scalars),
        "variableGroups": st.one_of(st.lists(groups, max_size=3), scalars),
        "outputs": st.dictionaries(st.text(max_size=2), st.one_of(
            scalars, st.dictionaries(st.sampled_from(["type", "sensitive", "x"]), scalars))),
        "outputGroups": st.lists(groups, max_size=2),
        "primaryOutputButton": scalars,
        "extra": scalars,
    },
)

right_groups = st.fixed_dictionaries(
    {"title": st.text(max_size=2), "variables": st.lists(st.text(min_size=1, max_size=2))},
    optional={"visible": right_expressions})
right_documents = st.fixed_dictionaries(
    {"variables": st.dictionaries(st.text(max_size=3), right_variables, max_size=4)},
    optional={
        "title": st.text(max_size=3),
        "version": st.one_of(st.text(max_size=3), st.integers(), st.floats(allow_nan=False)),
        "source": st.fixed_dictionaries({}, optional={"type": st.text(max_size=2)}),
        "variableGroups": st.lists(right_groups, max_size=3),
        "outputs": st.dictionaries(st.text(max_size=2), st.fixed_dictionaries(
            {}, optional={"type": st.text(max_size=2), "sensitive": st.booleans()})),
        "primaryOutputButton": st.text(min_size=1, max_size=2),
        "extra": scalars,
    },
)


def _same_verdict(document: dict[str, Any]) -> bool:
    verdict = conforms(META, document)
    assert verdict is not None  # the meta-schema is inside the subset: always a verdict
    assert verdict == Draft7Validator(META).is_valid(document), document
    return verdict


@settings(max_examples=400, deadline=None)
@given(documents)
def test_the_verdict_is_jsonschemas(document: dict[str, Any]) -> None:
    _same_verdict(document)


@settings(max_examples=300, deadline=None)
@given(right_documents)
def test_conforming_documents_conform(document: dict[str, Any]) -> None:
    assert _same_verdict(document) in (True, False)


@settings(max_examples=300, deadline=None)
@given(right_documents, st.sampled_from(VARIABLE_KEYS), st.one_of(scalars, expressions))
def test_one_wrong_value_among_right_ones(document: dict[str, Any], key: str,
                                          value: Any) -> None:
    for variable in document["variables"].values():
        variable[key] = value
        break
    _same_verdict(document)


def test_the_template_schema_conforms_without_jsonschema() -> None:
    document = yaml.safe_load(TEMPLATE.read_text("utf-8"))
    assert conforms(META, document) is True
    document["variables"]["compartment_ocid"]["required"] = "yes"
    assert conforms(META, document) is False


def test_a_keyword_outside_the_subset_gives_no_verdict() -> None:
    assert conforms({"type": "string", "pattern": "^a"}, "a") is None
    assert conforms({"$ref": "#/definitions/missing"}, 1) is None
    assert conforms({"$ref": "https://example.com/schema"}, 1) is None
    assert conforms({"items": [{"type": "string"}]}, ["a"]) is None
    assert conforms({"type": "string", "pattern": "^a"}, 1) is False  # decided before
