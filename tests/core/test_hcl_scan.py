"""The fast scanner against python-hcl2: same blocks, labels, lines and values.

The scanner reads only what HashiCorp's HCL accepted, in python-hcl2's shape; this test
compares the two readers on every Terraform file we have (the templates, the examples,
every rule case's .tf, the bench's generated stack and a file of awkward constructs) so a
divergence shows up as a diff of one attribute, not as a wrong finding somewhere else.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from ocmp.core.terraform import hcl_scan
from ocmp.core.terraform.expr import Opaque, parse_value, references
from ocmp.core.terraform.hcl_reader import read_tf, read_tf_hcl2, terraform_verdict

ROOT = Path(__file__).parents[2]


def _corpus() -> list[Any]:
    found: list[Any] = []
    for folder in ("ocmp/templates", "examples"):
        for path in sorted((ROOT / folder).rglob("*.tf")):
            found.append(pytest.param(path.read_text("utf-8"), id=str(path.relative_to(ROOT))))
    found.append(pytest.param((Path(__file__).parent / "hcl_shapes.tf").read_text("utf-8"),
                              id="hcl_shapes.tf"))
    for case_file in sorted((ROOT / "tests/rules/cases").glob("*.yaml")):
        for case in yaml.safe_load(case_file.read_text("utf-8"))["cases"]:
            for name, content in (case.get("files") or {}).items():
                # Files a case breaks on purpose are STK020's, not this comparison's.
                if name.endswith(".tf") and isinstance(content, str) and \
                        read_tf_hcl2(content)["error"] is None:
                    found.append(pytest.param(content, id=f"{case_file.stem}-{case['name']}"))
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import validate_stack

        generated = validate_stack.RESOURCES.format(n=1, i=2, n3=3, port=8002)
    finally:
        sys.path.pop(0)
    found.append(pytest.param(generated, id="bench-generated"))
    return found


def _normal(value: Any) -> Any:
    """Values compared by meaning: expressions as parsed trees (whitespace does not count)."""
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()
                if not (k.startswith("__") and k != "__is_block__")}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, str) and value.startswith("${"):
        node = parse_value(value)
        return ("opaque", sorted(set(references(node)))) if isinstance(node, Opaque) else node
    return value


@pytest.mark.parametrize("text", _corpus())
def test_scanner_reads_like_python_hcl2(text: str) -> None:
    reference = read_tf_hcl2(text)
    if reference["error"] is not None:
        pytest.fail(f"corpus file does not parse: {reference['error']}")
    mine = hcl_scan.scan_tf(text)
    assert [(b["kind"], b["labels"], b["line"]) for b in mine] == [
        (b["kind"], b["labels"], b["line"]) for b in reference["blocks"]]
    for ours, theirs in zip(mine, reference["blocks"], strict=True):
        assert ours["lines"] == theirs["lines"], ours["labels"]
        assert _normal(ours["body"]) == _normal(theirs["body"]), ours["labels"]


def test_what_the_scanner_does_not_cut_falls_back_to_python_hcl2() -> None:
    # A heredoc inside a function call: valid HCL, read by python-hcl2 instead.
    text = 'locals {\n  a = base64encode(<<EOT\nhello\nEOT\n  )\n}\n'
    with pytest.raises(hcl_scan.Unsupported):
        hcl_scan.scan_tf(text)
    parsed = read_tf(text)
    assert parsed["error"] is None
    assert parsed["blocks"][0]["lines"] == {"a": 2}


@pytest.mark.parametrize(("text", "line", "column", "words"), [
    ('resource "a" "b" {\n  x = \n}\n', 2, 7, "Invalid expression: Expected the start of an "
     "expression"),
    ('resource "a" "b" {\n', 1, 18, "Unclosed configuration block"),
    ('locals {\n  a = 1\n  a = 2\n}\n', 3, 3, 'Attribute redefined: The argument "a" was '
     "already set"),
    ('locals { a = 1 b = 2 }\n', 1, 16, "Invalid single-argument block definition"),
])
def test_syntax_errors_come_in_terraforms_words(text: str, line: int, column: int,
                                               words: str) -> None:
    verdict = terraform_verdict(text)
    assert verdict is not None
    assert (verdict["line"], verdict["column"]) == (line, column)
    assert verdict["message"].startswith(words)
    assert "Token(" not in verdict["message"] and "tmp.hcl" not in verdict["message"]
    assert read_tf(text)["error"] == verdict


def test_several_problems_are_counted() -> None:
    verdict = terraform_verdict('locals {\n  a = "open\n}\n')
    assert verdict is not None
    assert verdict["message"].startswith("Invalid multi-line string: Quoted strings may not")
    assert verdict["message"].endswith("(2 more problems after it)")


def test_python_hcl2_errors_are_plain_words() -> None:
    # Where pygohcl has no wheel, python-hcl2 judges: never its Lark token names.
    error = read_tf_hcl2('variable "a" {\n  default = "x" "y"\n}\n')["error"]
    assert error is not None
    assert error["line"] == 2
    assert "Token(" not in error["message"] and "STRING_CHARS" not in error["message"]
