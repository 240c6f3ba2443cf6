"""The JSON Schema of listing.yaml: committed copy fresh, printed by `ocmp schema`, and in
agreement with the models on generated projects."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from ocmp.schemas import json_schema, schema_text
from tests.conftest import RunCli

COMMITTED = Path(__file__).parents[2] / "ocmp" / "schemas" / "listing.schema.json"


def test_committed_schema_is_fresh() -> None:
    assert COMMITTED.read_text("utf-8") == schema_text(), (
        "ocmp/schemas/listing.schema.json is stale; regenerate it with: "
        "ocmp schema -o ocmp/schemas/listing.schema.json"
    )


def test_schema_command_prints_the_schema(run_cli: RunCli) -> None:
    result = run_cli("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json_schema()
    jsonschema.Draft202012Validator.check_schema(json.loads(result.stdout))


def test_schema_command_writes_a_file(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("schema", "-o", "out/listing.schema.json").exit_code == 0
    assert (tmp_path / "out/listing.schema.json").read_text() == schema_text()


@pytest.mark.parametrize("kind", ["image", "stack"])
def test_generated_listing_satisfies_the_schema(run_cli: RunCli, tmp_path: Path, kind: str) -> None:
    assert (
        run_cli("init", "p", "--kind", kind, "--pricing", "PAYGO", "--non-interactive").exit_code
        == 0
    )
    data = yaml.safe_load((tmp_path / "p/listing.yaml").read_text())
    schema = json.loads((tmp_path / "p/listing.schema.json").read_text())
    jsonschema.validate(data, schema)


def test_schema_rejects_what_the_models_reject() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    bad = {
        "kind": "image",
        "listing": {"name": "X", "colour": "red"},
        "package": {"version": "1", "image": {"source_image": "x", "shapes": []}},
    }
    messages = " ".join(e.message for e in validator.iter_errors(bad))
    assert "colour" in messages or "Additional properties" in messages
    assert not validator.is_valid({"kind": "helm"})
