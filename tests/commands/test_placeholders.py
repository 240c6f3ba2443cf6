"""What `ocmp init` wrote for the user to replace: right in the sandbox, refused outside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ocmp.sandbox import Sandbox
from tests.conftest import RunCli

REAL = "https://marketplace-publisher.us-ashburn-1.oci.oraclecloud.com"


def lst017(report: dict[str, object]) -> list[tuple[str, int, str]]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return sorted((f["file"], f["line"], f["severity"]) for f in findings if f["rule"] == "LST017")


def test_validate_tells_which_files_still_hold_placeholders(run_cli: RunCli) -> None:
    assert run_cli("init", "st", "--kind", "stack", "--non-interactive").exit_code == 0
    plain = run_cli("validate", "st", "--format", "json")
    assert lst017(json.loads(plain.stdout)) == []  # a rehearsal project validates clean
    result = run_cli("validate", "st", "--format", "json", "--select", "LST017")
    assert result.exit_code == 0  # information, on request
    assert lst017(json.loads(result.stdout)) == [
        ("st/docs/long_description.md", 1, "info"),
        ("st/listing.yaml", 8, "info"),
        ("st/terms/eula.md", 1, "info"),
        ("st/terraform/oci_images.tf", 7, "info"),
    ]


def test_real_texts_have_no_placeholder_finding(run_cli: RunCli) -> None:
    made = run_cli("init", "real", "--kind", "image", "--non-interactive", "--name", "Zeta Vault",
                   "--headline", "Secrets vault for OCI", "--tagline", "Keep keys safe.",
                   "--short-description", "A vault for application secrets.",
                   "--company", "Zeta Ltd", "--website", "https://zeta-vault.io",
                   "--contact-email", "support@zeta-vault.io",
                   "--image-ocid", "ocid1.image.oc1.iad.aaaaaaaazetavault")
    assert made.exit_code == 0, made.stderr
    eula = Path("real/terms/eula.md")
    eula.write_text(eula.read_text().replace(
        "Replace this text with your own terms before you publish.", ""))
    result = run_cli("validate", "real", "--format", "json", "--select", "LST017")
    assert json.loads(result.stdout)["findings"] == []


@pytest.mark.parametrize("command", ["plan", "publish"])
def test_publishing_outside_the_sandbox_refuses_before_any_call(
    run_cli: RunCli, sandbox_env: Sandbox, command: str
) -> None:
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    listing = Path("img/listing.yaml")  # an ignore: typo stays a warning, not a refusal
    listing.write_text(listing.read_text() + "ignore:\n  - rule: LST999\n    reason: typo\n")
    sandbox_env.reset_stats()
    # The sandbox's credentials, Oracle's endpoint: refused before the first request.
    result = run_cli(command, "img", "--endpoint", REAL, "--format", "json")
    assert result.exit_code == 1, result.stderr
    document = json.loads(result.stdout)
    errors = [f for f in document["validation"]["findings"] if f["severity"] == "error"]
    assert {f["rule"] for f in errors} == {"LST017"}
    assert all(f["message"].endswith("(publishing outside the sandbox)") for f in errors)
    assert sandbox_env.stats()["requests"] == 0
    # the hint names the command that shows them (plain validate leaves LST017 out)
    assert "`ocmp validate --select LST017` shows the same findings" in result.stderr
    files = {f["file"] for f in errors}
    assert f"in {len(files)} file{'s' if len(files) != 1 else ''}: nothing was uploaded" \
        in result.stderr


def test_the_sandbox_takes_the_demo_project(run_cli: RunCli, sandbox_env: Sandbox) -> None:
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    result = run_cli("plan", "img", "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
