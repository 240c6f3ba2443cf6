"""A .tf file that does not parse: STK020 says so, and no rule that needs the whole
configuration reports what it cannot prove (a reference, a use, a subscription that may sit
in the broken file)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import RunCli

BROKEN = '\nresource "oci_core_instance" "x" {\n'


@pytest.fixture(scope="module")
def stack_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from ocmp.cli import app

    root = tmp_path_factory.mktemp("stack")
    result = CliRunner().invoke(app, ["init", str(root / "s"), "--kind", "stack",
                                      "--non-interactive"])
    assert result.exit_code == 0, result.output
    return root / "s"


def _findings(run_cli: RunCli, project: Path) -> list[dict[str, object]]:
    result = run_cli("validate", project, "--format", "json")
    assert result.exit_code == 1
    findings: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return findings


@pytest.mark.parametrize("name", ["compute.tf", "image_subscription.tf", "network.tf",
                                  "oci_images.tf", "outputs.tf", "variables.tf"])
def test_a_file_that_does_not_parse_reports_only_stk020(
    run_cli: RunCli, stack_project: Path, tmp_path: Path, name: str
) -> None:
    project = tmp_path / "p"
    shutil.copytree(stack_project, project)
    tf = project / "terraform" / name
    assert tf.is_file()
    tf.write_text(tf.read_text("utf-8") + BROKEN, "utf-8")
    findings = _findings(run_cli, project)
    assert [(f["rule"], f["file"]) for f in findings] == [("STK020", f"p/terraform/{name}")]


def test_a_broken_file_outside_the_configuration_does_not_silence_the_rules(
    run_cli: RunCli, stack_project: Path, tmp_path: Path
) -> None:
    project = tmp_path / "p"
    shutil.copytree(stack_project, project)
    # A real error STK022 must still find, and a broken .tf in a folder nothing calls.
    compute = project / "terraform" / "compute.tf"
    compute.write_text(compute.read_text("utf-8") + 'output "x" { value = var.nope }\n', "utf-8")
    (project / "terraform" / "examples").mkdir()
    (project / "terraform" / "examples" / "main.tf").write_text(BROKEN, "utf-8")
    rules = {f["rule"] for f in _findings(run_cli, project)}
    assert "STK022" in rules
    assert "STK020" not in rules


def test_a_broken_child_module_does_not_silence_root_level_rules(
    run_cli: RunCli, stack_project: Path, tmp_path: Path
) -> None:
    project = tmp_path / "p"
    shutil.copytree(stack_project, project)
    terraform = project / "terraform"
    (terraform / "modules" / "net").mkdir(parents=True)
    (terraform / "modules" / "net" / "main.tf").write_text(BROKEN, "utf-8")
    network = terraform / "network.tf"
    call = 'module "net" {\n  source = "./modules/net"\n}\n'
    network.write_text(network.read_text("utf-8") + call, "utf-8")
    # A schema variable Terraform's root module does not declare: STK040 must still say so.
    schema = terraform / "schema.yaml"
    text = schema.read_text("utf-8").replace("      - ssh_source_cidr\n",
                                             "      - ssh_source_cidr\n      - not_in_terraform\n")
    schema.write_text(text, "utf-8")
    found = {(f["rule"], f["file"], f["line"]) for f in _findings(run_cli, project)}
    assert ("STK020", "p/terraform/modules/net/main.tf", 2) in found
    stk040 = [f for f in found if f[0] == "STK040"]
    assert stk040 == [("STK040", "p/terraform/schema.yaml", 34)], found
