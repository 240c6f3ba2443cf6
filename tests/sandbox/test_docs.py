"""docs/sandbox.md is generated from the route table and must be current."""

from __future__ import annotations

from ocmp.sandbox.docs import DOC_PATH, render
from ocmp.sandbox.services.index import all_routes


def test_docs_match_the_route_table() -> None:
    assert DOC_PATH.read_text(encoding="utf-8") == render(), (
        "docs/sandbox.md is stale: run `python -m ocmp.sandbox.docs --write`")


def test_every_route_is_documented_once() -> None:
    text = render()
    for route in all_routes():
        path = route.path.replace("<", "{").replace(">", "}")
        row = f"| {route.operation} | {route.method} | `{path}` |"
        assert text.count(row) == 1, row
