"""STK095: the shape names a stack states — variable defaults, compatible_shapes, schema.yaml
enums — are compute shapes that can exist (judged as LST019 judges a listing's shapes, by the
catalogue of :mod:`ocmp.core.shapes`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.project import Project
from ocmp.core.shapes import known_shapes, shape_problem
from ocmp.rules.base import rule
from ocmp.rules.stack_common import stack_of

# A double-quoted Terraform string without interpolation, and a schema.yaml scalar.
_TF_STRING = re.compile(r'"([^"\n$\\]*)"')
_YAML_SCALAR = re.compile(r"""(?:^|[\s:\[,{-])["']?([A-Za-z]{2}\.[A-Za-z0-9.-]+)["']?""")


def _meant_as_shape(text: str) -> bool:
    # VM./BM. in capitals, or a known shape in other case; not vm.swappiness in a script
    return text.startswith(("VM.", "BM.")) or text.lower() in _folded()


def _folded() -> frozenset[str]:
    return frozenset(s.lower() for s in known_shapes())


def _comment_free(lines: list[str], marks: tuple[str, ...]) -> Iterator[tuple[int, str]]:
    """(line number, text before any comment), block comments (/* … */) left out."""
    in_block = False
    for number, line in enumerate(lines, 1):
        text = line
        if in_block:
            if "*/" not in text:
                continue
            text, in_block = text.split("*/", 1)[1], False
        if "/*" in text and "/*" in marks:
            head, _, rest = text.partition("/*")
            in_block = "*/" not in rest
            text = head + (rest.split("*/", 1)[1] if not in_block else "")
        if text.lstrip().startswith(tuple(m for m in marks if m != "/*")):
            continue
        yield number, text


@rule(
    "STK095",
    name="stack.shape-names",
    severity=Severity.ERROR,
    scope=Scope.STACK,
    summary="Shape names the stack states (defaults, compatible shapes, schema enums) are real",
)
def stack_shape_names(project: Project) -> Iterator[Problem]:
    """Every whole string of the configuration and of schema.yaml that names a shape."""
    stack = stack_of(project)
    sources: list[tuple[str, re.Pattern[str], tuple[str, ...]]] = [
        (path, _TF_STRING, ("#", "//", "/*")) for path in stack.used_files
        if path.endswith(".tf")]
    schema = stack.schema
    if schema is not None and schema.error is None:
        sources.append((schema.file, _YAML_SCALAR, ("#",)))
    for path, pattern, marks in sources:
        text = stack.files.text(path)
        if text is None:
            continue
        for number, line in _comment_free(text.splitlines(), marks):
            if "#" in line and marks == ("#",):
                line = re.split(r"\s#", line, maxsplit=1)[0]  # a YAML comment after a value
            for match in pattern.finditer(line):
                name = match.group(1)
                if _meant_as_shape(name):
                    found = shape_problem(name, stack.where(path, number))
                    if found is not None:
                        yield found
