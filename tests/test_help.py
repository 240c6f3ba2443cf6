"""Help that reads like a CLI's: plain metavars, one line per command, Examples everywhere,
and only docs that ship with the package."""

from __future__ import annotations

import re

import pytest
import typer

from ocmp.cli import app
from tests.conftest import RunCli


def _paths(command: object, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path] if path else []
    for name, sub in getattr(command, "commands", {}).items():
        found += _paths(sub, (*path, name))
    return found


COMMANDS = _paths(typer.main.get_command(app))


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_help_has_plain_metavars_examples_and_no_unshipped_docs(
    run_cli: RunCli, path: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    result = run_cli(*path, "--help")
    assert result.exit_code == 0
    text = result.stdout
    python_types = re.findall(r"<(bool|str|int|float|path|list\[[^>]*\]|[a-z_]+ range)>|"
                              r"\{directory\}|\[x[<>]=", text)
    assert not python_types, python_types
    assert "Examples:" in text and f"$ ocmp {' '.join(path)}" in text
    assert "docs/sandbox.md" not in text  # not in the installed package


def test_root_help_is_one_line_per_command_at_80_columns(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text = run_cli("--help").stdout
    panel = text.split("Commands")[1].split("╰")[0]
    rows = [line for line in panel.splitlines() if line.startswith("│")]
    names = [row.split()[1] for row in rows]
    top = [p[0] for p in COMMANDS if len(p) == 1]
    assert names == top  # each row starts with a command: no continuation lines


def test_sandbox_docs_ship_with_the_package(run_cli: RunCli) -> None:
    result = run_cli("sandbox", "docs")
    assert result.exit_code == 0
    assert result.stdout.startswith("# ") and "/20241201/listings" in result.stdout


def test_root_help_lists_the_project_commands(run_cli: RunCli) -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    for command in ("init", "validate", "schema", "rules"):
        assert command in result.stdout
