"""The expression parser and evaluator: what they prove, and that the rest stays unknown."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocmp.core.terraform.evaluate import UNKNOWN, Scope, evaluate
from ocmp.core.terraform.expr import Opaque, parse_expression, parse_value, references

IMAGES = {
    "main": {"ocid": "ocid1.image.oc1..aaaamain", "is_pricing_associated": True},
    "other": {"ocid": "ocid1.image.oc1..aaaaother", "is_pricing_associated": False},
}


def value(text: str, **kwargs: Any) -> Any:
    variables = kwargs.pop("variables", {})
    locals_ = {k: parse_value(v) for k, v in kwargs.pop("locals", {}).items()}
    return evaluate(parse_expression(text), Scope(variables, locals_, **kwargs))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"a"', "a"),
        ("1 + 2 * 3", 7),
        ("!false && true", True),
        ("var.enabled ? 1 : 0", 0),
        ('lookup(var.images["main"], "ocid")', "ocid1.image.oc1..aaaamain"),
        ("var.images.other.ocid", "ocid1.image.oc1..aaaaother"),
        ('lookup(var.images, "missing", "fallback")', "fallback"),
        ('element(["a", "b"], 3)', "b"),
        ("length(var.images)", 2),
        ('"${var.name}-vcn"', "app-vcn"),
        ("var.list[count.index]", "second"),
        ("var.list.1", "second"),  # legacy `.N` indexing
        ("local.chain", "app"),
        ('contains(["x"], "x")', True),
        ('merge({a = 1}, {b = 2})["b"]', 2),
        ("try(var.nothing.x, 5)", 5),
    ],
)
def test_evaluates_what_the_rules_need(text: str, expected: Any) -> None:
    variables = {"enabled": False, "images": IMAGES, "name": "app", "list": ["first", "second"]}
    locals_ = {"chain": "${local.base}", "base": "${var.name}"}
    assert value(text, variables=variables, locals=locals_, count_index=1) == expected


@pytest.mark.parametrize(
    "text",
    [
        "var.undeclared",
        "oci_core_instance.app.public_ip",
        "data.oci_core_images.ol8.images[0].id",
        "[for s in var.l : upper(s)]",
        "var.l[*].id",
        "jsondecode(var.j)",
        "var.unknown ? 1 : 0",
        "local.loop",
        "count.index",
    ],
)
def test_the_rest_is_unknown_never_an_error(text: str) -> None:
    assert value(text, locals={"loop": "${local.loop}"}) is UNKNOWN


def test_unknown_condition_with_equal_branches_is_known() -> None:
    assert value("var.x ? 3 : 3") == 3


def test_references_are_found_inside_everything() -> None:
    node = parse_value('"${var.a}-${local.b ? module.m.out : data.oci_core_images.i.id}"')
    assert references(node) == ["var.a", "local.b", "module.m.out", "data.oci_core_images.i.id"]
    opaque = parse_value("${[for x in var.items : x.id]}")
    assert isinstance(opaque, Opaque)
    assert "var.items" in references(opaque)


def test_heredoc_templates_keep_their_text() -> None:
    node = parse_value('"<<-EOT\n    echo ${var.who}\n    EOT"')
    assert evaluate(node, Scope({"who": "me"})) == "echo me\n"


@settings(deadline=None)  # a loaded CI machine must not turn slowness into failures
@given(st.text(max_size=60))
def test_any_text_parses_to_something(text: str) -> None:
    # Whatever python-hcl2 hands over, the reader must not raise.
    for raw in (text, "${" + text + "}", '"' + text + '"'):
        node = parse_value(raw)
        evaluate(node, Scope())
        references(node)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1e3 + 1", 1001.0),  # tree-sitter-hcl wants `1.0e3`; HCL does not
        ('"a\\"b\\\\c\\u00e9"', 'a"b\\cé'),  # quoted escapes
        ('"$${literal} %%{also}"', "${literal} %{also}"),
        ("(1 + 2) * 3", 9),
        ("-2 + 5 > 2 == true", True),
        ('{(var.name) = "k"}["app"]', "k"),
    ],
)
def test_the_grammar_gives_precedence_and_escapes(text: str, expected: Any) -> None:
    assert value(text, variables={"name": "app"}) == expected


def test_a_heredoc_keeps_backslashes_and_only_its_common_indent_comes_off() -> None:
    node = parse_value('"<<-EOT\n    a\\n ${var.x}\n      b\n    EOT"')
    assert evaluate(node, Scope({"x": "X"})) == "a\\n X\n  b\n"


def test_for_variables_and_literal_text_are_not_references() -> None:
    node = parse_value("${[for my_item in var.items : my_item.id if local.keep]}")
    assert isinstance(node, Opaque)
    assert references(node) == ["var.items", "local.keep"]
    assert references(parse_value('"see var.docs and ${var.real}"')) == ["var.real"]


def test_directives_are_opaque_but_their_text_stays_literal() -> None:
    node = parse_value('"%{ if var.on }curl https://x%{ endif }"')
    assert references(node) == ["var.on"]
    assert "curl https://x" in getattr(node, "parts", ())


def test_splats_are_unknown_with_their_prefix_as_reference() -> None:
    node = parse_value("${oci_core_instance.app[*].id}")
    assert isinstance(node, Opaque)
    assert references(node) == ["oci_core_instance.app"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{ for k, v in var.images : k => v if v.is_pricing_associated == false }",
         {"other": IMAGES["other"]}),
        ("[for k, v in var.images : v.ocid]", ["ocid1.image.oc1..aaaamain",
                                                "ocid1.image.oc1..aaaaother"]),
        ("[for x in var.l : x * 2 if x > 1]", [4, 6]),
        ('[for x in var.l : "n:${x}"]', ["n:1", "n:2", "n:3"]),
        ("{ for k, v in var.images : v.ocid => k... }", UNKNOWN),  # grouping: not evaluated
        ("[for x in var.unknown : x]", UNKNOWN),
        ("[for x in var.l : x if var.unknown]", UNKNOWN),
    ],
)
def test_for_expressions_over_known_collections(text: str, expected: Any) -> None:
    assert value(text, variables={"images": IMAGES, "l": [1, 2, 3]}) == expected
