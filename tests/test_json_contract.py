"""The JSON contract: docs/json-output.md is generated from ocmp.core.documents and current;
every command with --format json is in it; its schemas are strict and error documents
share one error object (every --format json run of the test suite is also validated,
see assert_contract in tests/conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import typer

from ocmp.cli import app
from ocmp.core.documents import BODIES, json_schema, markdown
from ocmp.sandbox import Sandbox
from tests.conftest import RunCli, assert_contract

ROOT = Path(__file__).parents[1]


def test_docs_json_output_is_generated_and_current() -> None:
    assert (ROOT / "docs" / "json-output.md").read_text(encoding="utf-8") == markdown(), (
        "regenerate: python -m ocmp.core.documents --write"
    )


def _commands_with_json(command: object, path: str = "") -> list[str]:
    found = []
    params = getattr(command, "params", [])
    if any("--format" in getattr(p, "opts", []) for p in params) and path:
        found.append(path)
    for name, sub in getattr(command, "commands", {}).items():
        found += _commands_with_json(sub, f"{path} {name}".strip())
    return found


def test_every_command_with_a_json_format_has_a_schema() -> None:
    commands = _commands_with_json(typer.main.get_command(app))
    assert "validate" in commands and "terms push" in commands  # the walk works
    assert sorted(set(commands) - set(BODIES)) == []
    assert sorted(set(BODIES) - set(commands)) == []


@pytest.mark.parametrize("command", sorted(BODIES))
def test_schemas_are_valid_and_refuse_unknown_keys_and_camel_case(command: str) -> None:
    schema = json_schema(command)
    jsonschema.Draft202012Validator.check_schema(schema)
    envelope = {"version": 1, "command": command, "outcome": "error", "exit_code": 3,
                "error": None}
    with pytest.raises(jsonschema.ValidationError):  # a passing run needs its whole body
        jsonschema.validate(envelope, schema)
    text = json.dumps(schema)
    keys = [k for k in _property_names(schema) if k != "$schema"]
    assert keys and all(k == k.lower() for k in keys), text[:200]


def _property_names(node: object) -> list[str]:
    names: list[str] = []
    if isinstance(node, dict):
        names += list(node.get("properties", {}))
        for value in node.values():
            names += _property_names(value)
    elif isinstance(node, list):
        for value in node:
            names += _property_names(value)
    return names


def test_schema_for_prints_a_command_schema(run_cli: RunCli) -> None:
    result = run_cli("schema", "--for", "terms push")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json_schema("terms push")
    assert run_cli("schema", "--for", "nothing").exit_code == 3


def test_a_usage_error_under_json_is_an_error_document_with_exit_2(run_cli: RunCli) -> None:
    result = run_cli("validate", "--format", "json", "--no-such-option")
    assert result.exit_code == 2
    document = assert_contract(result.stdout, 2)
    assert document["outcome"] == "error"
    assert document["error"]["type"] == "usage"  # type: ignore[index]


def test_error_documents_have_one_shape_for_input_and_cloud_errors(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sandbox_env: Sandbox
) -> None:
    (tmp_path / "listing.yaml").write_text("kind: image\n")
    bad_input = json.loads(run_cli("validate", "--format", "json").stdout)["error"]
    monkeypatch.setenv("OCMP_ENDPOINT", "http://127.0.0.1:1")  # the sandbox's key, no server
    (tmp_path / "listing.yaml").unlink()
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    cloud = run_cli("status", "img", "--format", "json")
    assert cloud.exit_code == 4
    cloud_error = json.loads(cloud.stdout)["error"]
    assert set(bad_input) == set(cloud_error)
    assert (bad_input["type"], cloud_error["type"]) == ("input", "cloud")
    assert cloud_error["operation"] == "publisher.list_listings"
