"""The README is part of the product: its command reference covers every command."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from ocmp.cli import app
from ocmp.errors import ExitCode

README = (Path(__file__).parents[1] / "README.md").read_text("utf-8")


def _reference() -> str:
    match = re.search(r"<!-- commands:begin -->(.*)<!-- commands:end -->", README, re.S)
    assert match, "README lost its command reference markers"
    return match.group(1)


def test_every_command_and_subcommand_is_in_the_command_reference() -> None:
    reference = _reference()
    root = typer.main.get_command(app)
    missing = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        if f"`ocmp {name}" not in reference:
            missing.append(name)
        for sub in getattr(command, "commands", {}):
            if not re.search(rf"`ocmp {name}[^`]*\b{sub}\b", reference):
                missing.append(f"{name} {sub}")
    assert not missing, f"README command reference lacks: {missing}"


def test_every_exit_code_is_in_the_exit_code_table() -> None:
    table = README.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    for code in ExitCode:
        assert re.search(rf"^\| {int(code)} \|", table, re.M), f"exit code {int(code)} undocumented"
