"""CONTRIBUTING.md never drifts from the tree: every path it names exists, and every
``path:name`` it points at is defined in that file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
TEXT = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
# A code span that is a repository path: `ocmp/rules/listing.py`, `examples/stack-listing/`,
# `ocmp/rules/docs/<ID>.md` (a placeholder matches any name), optionally `:name` of a
# function, class or assignment in that file (`Class.method`: the method, inside the file).
PATH = re.compile(
    r"^((?:[\w.<>-]+/)+[\w.<>-]*|[\w-]+\.(?:md|toml|py|yaml)|Makefile)(?::([\w.]+))?$")
REFERENCES = sorted({m.groups() for span in re.findall(r"`([^`\s]+)`", TEXT)
                     if (m := PATH.match(span))})


def test_contributing_names_paths() -> None:
    # The recipes point at examples in the tree: far more than a handful of paths.
    assert len(REFERENCES) > 30, REFERENCES


@pytest.mark.parametrize(("path", "name"), REFERENCES,
                         ids=[f"{p}:{n}" if n else p for p, n in REFERENCES])
def test_every_path_contributing_names_exists(path: str, name: str | None) -> None:
    pattern = re.sub(r"<[^>]+>", "*", path.rstrip("/"))
    found = sorted(ROOT.glob(pattern)) if "*" in pattern else [ROOT / pattern]
    assert found and all(p.exists() for p in found), f"CONTRIBUTING.md names {path}: not found"
    if name is not None:
        source = found[0].read_text(encoding="utf-8")
        last = name.rsplit(".", 1)[-1]
        defined = re.search(rf"^\s*(?:def|class)\s+{last}\b|^{last}\s*[:=]", source, re.M)
        assert defined, f"CONTRIBUTING.md points at {path}:{name}, which {path} does not define"
