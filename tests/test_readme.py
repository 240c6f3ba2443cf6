"""The README is part of the product: its command reference covers every command."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import typer
import yaml

from ocmp.cli import app
from ocmp.errors import ExitCode
from tests.conftest import RunCli

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


def test_the_quick_start_flow_runs_as_written(run_cli: RunCli) -> None:
    # The offline lines of the README's own flow (init, init, validate), run as written: a
    # repository started that way validates clean.
    block = README.split("A publisher's own flow is the same", 1)[1].split("```sh\n", 1)[1]
    lines = [ln.split("#", 1)[0].strip() for ln in block.split("```", 1)[0].splitlines()]
    offline = [ln for ln in lines if ln.startswith(("ocmp init", "ocmp validate"))]
    assert [ln.split()[1] for ln in offline] == ["init", "init", "validate"]
    for line in offline:
        args = [a.strip('"') for a in shlex.split(line)[1:]]
        if args[0] == "init":
            args.append("--non-interactive")
        result = run_cli(*args)
        assert result.exit_code == 0, (line, result.stderr)
    assert "0 errors, 0 warnings" in result.stderr


def test_init_in_a_repository_picks_a_name_no_listing_there_has(run_cli: RunCli,
                                                                tmp_path: Path) -> None:
    for folder, kind in (("app", "image"), ("app2", "image"), ("stack", "stack")):
        assert run_cli("init", folder, "--kind", kind, "--non-interactive").exit_code == 0
    names = [yaml.safe_load((tmp_path / f / "listing.yaml").read_text())["listing"]["name"]
             for f in ("app", "app2", "stack")]
    assert names == ["Acme Demo App", "Acme Demo App 2", "Acme Demo App Stack"]
    assert run_cli("validate", ".").exit_code == 0
