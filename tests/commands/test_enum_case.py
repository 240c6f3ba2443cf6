"""Codes such as the pricing type are taken in any case, alike by flags, prompts and listing.yaml,
and kept in the API's spelling."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import RunCli


@pytest.mark.parametrize("spelling", ["byol", "Byol", "BYOL"])
def test_flags_take_any_case(run_cli: RunCli, tmp_path: Path, spelling: str) -> None:
    made = run_cli("init", "p", "--kind", "Stack", "--pricing", spelling, "--non-interactive")
    assert made.exit_code == 0, made.stderr
    data = yaml.safe_load((tmp_path / "p/listing.yaml").read_text())
    assert (data["kind"], data["listing"]["pricing"]["type"]) == ("stack", "BYOL")


def test_a_prompt_takes_any_case(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ocmp.commands.init._is_tty", lambda: True)
    # name … image OCID: defaults; pricing in lower case; version: default.
    answers = ["", "", "", "", "", "", "", "", "paygo", ""]
    result = run_cli("init", "p", "--kind", "image", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Error" not in result.stdout
    data = yaml.safe_load((tmp_path / "p/listing.yaml").read_text())
    assert data["listing"]["pricing"]["type"] == "PAYGO"


def test_listing_yaml_takes_any_case(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("init", "p", "--kind", "image", "--non-interactive").exit_code == 0
    listing = tmp_path / "p/listing.yaml"
    text = listing.read_text()
    for old, new in (("kind: image", "kind: Image"), ("type: FREE", "type: free"),
                     ("category: USER_GUIDES", "category: user_guides")):
        assert old in text
        text = text.replace(old, new)
    listing.write_text(text)
    result = run_cli("validate", "p", "--format", "json")
    assert result.exit_code == 0, result.stdout
    rules = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert rules <= {"LST017"}  # no LST010 for the pricing type, no load error
    listing.write_text(text.replace("type: free", "type: gratis"))
    refused = run_cli("validate", "p", "--format", "json")
    assert refused.exit_code == 1
    (finding,) = [f for f in json.loads(refused.stdout)["findings"] if f["rule"] == "LST010"]
    assert "'gratis' is not one of FREE, BYOL, PAYGO" in finding["message"]


@pytest.mark.parametrize(("args", "choices"), [
    (["init", "x", "--non-interactive", "--pricing", "paid"],
     "'paid' is not one of FREE, BYOL, PAYGO (PAYGO is the paid model)"),
    (["init", "x", "--non-interactive", "--kind", "Stacks"], "'Stacks' is not one of image, stack"),
    (["validate", ".", "--format", "xml"],
     "'xml' is not one of human, json, sarif, junit, github, gitlab"),
    (["policy", "--kind", "vm"], "'vm' is not one of image, stack"),
    (["report", "payouts", "--range", "forever"],
     "'forever' is not one of last-month, last-three-months, last-six-months, "
     "last-twelve-months, last-eighteen-months, all-time"),
    (["report", "installs", "--format", "xls"], "'xls' is not one of table, json, csv"),
    (["sandbox", "review", "--mode", "maybe"], "'maybe' is not one of auto, reject, manual"),
])
def test_an_enum_flag_names_its_choices_as_the_docs_spell_them(
    run_cli: RunCli, tmp_path: Path, args: list[str], choices: str
) -> None:
    result = run_cli(*args)
    assert result.exit_code == 2
    said = " ".join(result.stderr.replace("│", " ").split())
    assert choices in said
    assert "Value error" not in said  # no pydantic wording
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [
    ["validate", ".", "--format", "JSON"],
    ["policy", "--kind", "IMAGE", "--format", "Json"],
])
def test_enum_flags_beyond_init_take_any_case(
    run_cli: RunCli, tmp_path: Path, args: list[str]
) -> None:
    assert run_cli("init", "p", "--kind", "image", "--non-interactive").exit_code == 0
    result = run_cli(*[a.replace(".", "p") if a == "." else a for a in args])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["exit_code"] == 0
