"""Shared fixtures: run the CLI in-process exactly as a user would."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ocmp.cli import app
from ocmp.sandbox import Sandbox


@dataclass
class CliResult:
    """What a CLI run produced."""

    exit_code: int
    stdout: str
    stderr: str


RunCli = Callable[..., CliResult]


@pytest.fixture
def run_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunCli]:
    """Invoke `ocmp ARGS…` in-process, in a temporary working directory, without colour."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()

    def run(*args: str | os.PathLike[str], input: str | None = None) -> CliResult:
        argv = [str(a) for a in args]
        result = runner.invoke(app, argv, input=input, catch_exceptions=False)
        if _asks_json(argv) and "--output" not in argv:
            assert_contract(result.stdout, result.exit_code)
        return CliResult(result.exit_code, result.stdout, result.stderr)

    yield run


def _asks_json(argv: list[str]) -> bool:
    return any(
        a in ("--format", "-f") and i + 1 < len(argv) and argv[i + 1] == "json"
        for i, a in enumerate(argv)
    ) or "--format=json" in argv


def assert_contract(stdout: str, exit_code: int) -> dict[str, object]:
    """Every --format json run of the tests: one document, valid against its command's
    JSON Schema (docs/json-output.md), its exit code and outcome agreeing."""
    import json

    import jsonschema

    from ocmp.core.documents import BODIES, json_schema

    document = json.loads(stdout)
    assert document["command"] in BODIES, document["command"]
    jsonschema.validate(document, json_schema(document["command"]))
    assert document["exit_code"] == exit_code
    return dict(document)


# --- the sandbox: one emulator per test, and the environment that points ocmp at it ----
@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A fresh sandbox per test: demo seed, in memory, auto reviewer; stopped afterwards."""
    with Sandbox() as sb:
        yield sb


@pytest.fixture
def sandbox_env(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """``sandbox`` plus the environment that points ocmp (and the oci-cli) at it."""
    monkeypatch.setenv("OCMP_ENDPOINT", sandbox.endpoint)
    monkeypatch.setenv("OCI_CLI_CONFIG_FILE", str(sandbox.config_file))
    monkeypatch.setenv("OCI_CLI_PROFILE", sandbox.profile)
    return sandbox


# --- stack validation: a parse cache of its own per test session ------------------------
@pytest.fixture(autouse=True)
def _hermetic_parse_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the Terraform parse cache out of the user's cache directory during tests."""
    if "OCMP_CACHE_DIR" not in os.environ:
        monkeypatch.setenv("OCMP_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "ocmp-cache"))
