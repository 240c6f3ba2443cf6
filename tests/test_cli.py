"""The command line's own contract: version, usage errors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ocmp import __version__
from ocmp.commands._options import FormatOption
from tests.conftest import RunCli


def test_version_prints_the_package_version(run_cli: RunCli) -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"ocmp {__version__}"


def test_python_dash_m_runs_the_same_cli() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ocmp", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"ocmp {__version__}"


def test_unknown_option_is_a_usage_error_exit_2(run_cli: RunCli) -> None:
    result = run_cli("--no-such-option")
    assert result.exit_code == 2


def test_unknown_rule_is_invalid_input_exit_3(run_cli: RunCli) -> None:
    result = run_cli("rules", "explain", "ZZZ999")
    assert result.exit_code == 3
    assert "no rule 'ZZZ999'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def _app_that_crashes() -> typer.Typer:
    from ocmp.cli import OcmpGroup

    crashing = typer.Typer(cls=OcmpGroup)

    @crashing.command()
    def boom() -> None:
        raise RuntimeError("kaboom")

    @crashing.command()
    def fine() -> None:
        """A second command, so that Typer keeps the group."""

    return crashing


def test_a_bug_is_one_line_and_exit_70_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCMP_DEBUG", raising=False)
    result = CliRunner().invoke(_app_that_crashes(), ["boom"])
    assert result.exit_code == 70
    assert "internal error: RuntimeError: kaboom" in result.stderr
    assert "OCMP_DEBUG=1" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_ocmp_debug_brings_the_traceback_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCMP_DEBUG", "1")
    result = CliRunner().invoke(_app_that_crashes(), ["boom"])
    assert isinstance(result.exception, RuntimeError)
    assert result.exit_code == 1


def test_a_json_run_that_fails_on_input_still_prints_one_json_document(run_cli: RunCli) -> None:
    Path("listing.yaml").write_text("kind: image\nlisting: []\n", encoding="utf-8")
    result = run_cli("validate", "--format", "json", ".")
    assert result.exit_code == 3
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert document["error"]["exit_code"] == 3
    assert document["error"]["file"] == "listing.yaml"
    assert document["error"]["line"] == 2
    assert "listing.yaml:2" in result.stderr


def test_a_json_run_that_printed_its_report_gets_no_second_document() -> None:
    from ocmp import console
    from ocmp.cli import OcmpGroup
    from ocmp.errors import WorkflowInterrupted

    partial = typer.Typer(cls=OcmpGroup)

    @partial.command()
    def stop(output: FormatOption = None) -> None:
        console.emit({"steps": ["terms"]})
        raise WorkflowInterrupted("interrupted during step 'review'")

    @partial.command()
    def fine() -> None:
        """A second command, so that Typer keeps the group."""

    result = CliRunner().invoke(partial, ["stop", "--format", "json"])
    assert result.exit_code == 5
    document = json.loads(result.stdout)  # the one the command wrote, not a second
    assert (document["command"], document["steps"], document["error"]) == ("stop", ["terms"], None)


def test_an_os_error_is_one_line_exit_3_naming_the_file() -> None:
    from ocmp.cli import OcmpGroup

    failing = typer.Typer(cls=OcmpGroup)

    @failing.command()
    def write() -> None:
        raise PermissionError(13, "Permission denied", "/srv/out/stack.zip")

    @failing.command()
    def fine() -> None:
        """A second command, so that Typer keeps the group."""

    result = CliRunner().invoke(failing, ["write"])
    assert result.exit_code == 3
    assert "/srv/out/stack.zip: Permission denied" in result.stderr
    assert "Traceback" not in result.stderr


def test_shell_completion_is_available() -> None:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ocmp"), "--show-completion", "bash"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "_OCMP_COMPLETE" in proc.stdout
