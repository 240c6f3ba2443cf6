"""`ocmp doctor` through the CLI against the sandbox (real SDK, signed requests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ocmp.sandbox import Sandbox
from ocmp.sandbox.seed import load_seed
from tests.conftest import RunCli

ALL_TEN = [f"TEN{n:03d}" for n in range(1, 16)]


def reseed(sandbox: Sandbox, **patch: Any) -> None:
    """Restart the sandbox's state from the demo tenancy with top-level sections replaced."""
    seed = load_seed("demo")
    for key, value in patch.items():
        if value is None:
            seed.pop(key, None)
        else:
            seed[key] = value
    sandbox.reset(seed=seed)


def doctor_json(run_cli: RunCli, *args: str) -> tuple[int, dict[str, Any]]:
    result = run_cli("doctor", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


def test_healthy_tenancy_without_a_listing_passes_every_check(
    run_cli: RunCli, sandbox_env: Sandbox
) -> None:
    result = run_cli("doctor")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "checking tenancy ocid1.tenancy.oc1..aaaaaaaaocmpsandboxdemotenancy" in result.stderr
    for rule_id in ALL_TEN:  # passed, or does not apply without a listing
        assert f"✓ {rule_id}" in result.stderr or f"– {rule_id}" in result.stderr
    assert "✓ TEN001" in result.stderr and "✓ TEN003" in result.stderr
    assert "– TEN008 The listing's custom image exists and is AVAILABLE (needs an image" in (
        result.stderr
    )
    assert "(needs a stack listing)" in result.stderr
    code, report = doctor_json(run_cli)
    assert (code, report["findings"]) == (0, [])
    assert report["summary"] == {"errors": 0, "warnings": 0, "files": 1}


def test_healthy_image_and_stack_listings_pass(run_cli: RunCli, sandbox_env: Sandbox) -> None:
    for kind in ("image", "stack"):
        assert run_cli("init", kind, "--kind", kind, "--non-interactive").exit_code == 0
        code, report = doctor_json(run_cli, kind)
        assert (code, report["findings"]) == (0, []), kind


def test_doctor_uses_listing_yaml_of_the_current_directory(
    run_cli: RunCli, sandbox_env: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("init", "proj", "--kind", "image", "--non-interactive").exit_code == 0
    monkeypatch.chdir(tmp_path / "proj")
    reseed(sandbox_env, images=[{"id": "ocid1.image.oc1.iad.aaaaaaaaocmpdemoimage",
                                 "state": "DISABLED", "shapes": ["VM.Standard.E4.Flex"]}])
    code, report = doctor_json(run_cli)
    assert code == 1
    (finding,) = report["findings"]
    assert finding["rule"] == "TEN008" and finding["file"] == "listing.yaml"
    assert finding["line"] is not None


def test_no_ashburn_and_no_publisher_are_errors_with_fixes(
    run_cli: RunCli, sandbox_env: Sandbox
) -> None:
    reseed(
        sandbox_env,
        region_subscriptions=[{"region": "eu-frankfurt-1", "status": "READY", "is_home": True}],
        publisher=None,
    )
    result = run_cli("doctor")
    assert result.exit_code == 1
    assert "✗ TEN001" in result.stderr and "✗ TEN007" in result.stderr
    assert "not subscribed to us-ashburn-1 (subscribed: eu-frankfurt-1)" in result.stdout
    assert "--region-key IAD" in result.stdout
    assert "no Marketplace publisher account" in result.stdout


def test_tenancy_only_reports_stack_statements_as_information(
    run_cli: RunCli, sandbox_env: Sandbox
) -> None:
    seven = load_seed("demo")["policies"][0]["statements"]
    reseed(sandbox_env, policies=[{"name": "marketplace", "statements": seven[:5]}])
    code, report = doctor_json(run_cli)
    assert code == 0  # information only
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [
        ("TEN003", "info"),
        ("TEN003", "info"),
    ]
    assert "orm-stacks" in report["findings"][0]["message"] + report["findings"][1]["message"]


def test_warnings_fail_only_with_strict(run_cli: RunCli, sandbox_env: Sandbox) -> None:
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    reseed(sandbox_env, images=[{"id": "ocid1.image.oc1.iad.aaaaaaaaocmpdemoimage",
                                 "launch_mode": "EMULATED", "shapes": ["VM.Standard.E4.Flex"]}])
    code, report = doctor_json(run_cli, "img")
    assert code == 0 and [f["rule"] for f in report["findings"]] == ["TEN009"]
    assert run_cli("doctor", "img", "--strict").exit_code == 1
    assert run_cli("doctor", "img", "--ignore", "TEN009", "--strict").exit_code == 0


def test_select_runs_only_the_chosen_checks(run_cli: RunCli, sandbox_env: Sandbox) -> None:
    sandbox_env.reset_stats()
    result = run_cli("doctor", "--select", "TEN001")
    assert result.exit_code == 0
    assert "✓ TEN001" in result.stderr and "TEN003" not in result.stderr
    assert sandbox_env.stats()["requests"] == 1  # facts are read lazily, once


def test_a_check_that_cannot_run_is_not_a_pass(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OCMP_RETRY_MAX_ATTEMPTS", "3")
    sandbox_env.add_fault(method="GET", path_regex="/20160918/policies", status=500, count=50)
    code, report = doctor_json(run_cli, "--select", "TEN003")
    assert code == 1
    (finding,) = report["findings"]
    assert finding["severity"] == "error"
    assert finding["message"].startswith("could not check the root compartment's policies: ")
    assert "opc-request-id" in finding["message"]


def test_with_builtin_sandbox_flag(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("OCMP_ENDPOINT", "OCI_CLI_CONFIG_FILE", "OCI_CLI_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    result = run_cli("doctor", "--sandbox")
    assert result.exit_code == 0, result.stderr
    assert "using the built-in sandbox at http://127.0.0.1:" in result.stderr


def test_missing_config_file_is_exit_3_naming_it(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("doctor", "--config-file", tmp_path / "nope")
    assert result.exit_code == 3
    assert f"{tmp_path / 'nope'}: OCI config file not found" in result.stderr
    assert "hint:" in result.stderr and "Traceback" not in result.stderr


def test_unknown_profile_is_exit_3(run_cli: RunCli, sandbox_env: Sandbox) -> None:
    result = run_cli("doctor", "--profile", "NOPE")
    assert result.exit_code == 3
    assert "profile [NOPE] not found (profiles: DEFAULT)" in result.stderr


def test_unreachable_endpoint_is_exit_4_with_a_hint(run_cli: RunCli, sandbox_env: Sandbox) -> None:
    result = run_cli("doctor", "--endpoint", "http://127.0.0.1:9")
    assert result.exit_code == 4
    assert "cannot reach the service at http://127.0.0.1:9/20160918: connection refused" in (
        result.stderr
    )
    assert "hint:" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_refused_credentials_are_exit_4(run_cli: RunCli, sandbox_env: Sandbox) -> None:
    sandbox_env.add_fault(path_regex="regionSubscriptions", status=401, code="NotAuthenticated")
    result = run_cli("doctor", "--select", "TEN001")
    assert result.exit_code == 4
    assert "401 NotAuthenticated" in result.stderr
    assert "opc-request-id" in result.stderr


def test_auth_option_and_env_like_the_oci_cli(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OCI_CLI_AUTH", "resource_principal")
    monkeypatch.delenv("OCI_RESOURCE_PRINCIPAL_VERSION", raising=False)
    result = run_cli("doctor")
    assert result.exit_code == 3
    assert "OCI_RESOURCE_PRINCIPAL_VERSION is not set" in result.stderr
    assert run_cli("doctor", "--auth", "password").exit_code == 2


def test_validate_online_adds_the_tenancy_checks(run_cli: RunCli, sandbox_env: Sandbox) -> None:
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    offline = json.loads(run_cli("validate", "img", "--format", "json").stdout)
    assert not any(f["rule"].startswith("TEN") for f in offline["findings"])
    reseed(sandbox_env, region_subscriptions=[{"region": "eu-frankfurt-1", "status": "READY"}])
    sandbox_env.reset_stats()
    assert run_cli("validate", "img").exit_code in (0, 1)
    assert sandbox_env.stats()["requests"] == 0  # offline never calls the cloud
    result = run_cli("validate", "img", "--online", "--format", "json")
    assert result.exit_code == 1
    online = json.loads(result.stdout)
    assert "TEN001" in {f["rule"] for f in online["findings"]}
    assert offline["findings"] == [f for f in online["findings"] if f["rule"] != "TEN001"]


def test_open_revision_blocks_a_new_one_and_live_terms_are_active(
    run_cli: RunCli, sandbox_env: Sandbox
) -> None:
    """A revision in review (as `ocmp publish --submit` leaves it, seeded) blocks a new one."""
    sandbox_env.seed({
        "listings": [{"name": "Acme Demo App", "package_type": "MACHINE_IMAGE",
                      "revisions": [{"status": "PENDING_REVIEW"}]}],
        "terms": [{"name": "Acme Demo App Terms of Use",
                   "versions": [{"name": "v1", "state": "INACTIVE"},
                                {"name": "v2", "state": "ACTIVE"}]}],
    })
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    code, report = doctor_json(run_cli, "img")
    assert code == 1
    assert [(f["rule"], f["file"]) for f in report["findings"]] == [("TEN014", "img/listing.yaml")]
    assert "is PENDING_REVIEW" in report["findings"][0]["message"]
    # The live terms have an active version: TEN013 is satisfied by live data.
    assert run_cli("doctor", "img", "--select", "TEN013").exit_code == 0


def test_stack_in_the_journal_is_checked_until_it_is_deleted(
    run_cli: RunCli, sandbox_env: Sandbox, tmp_path: Path
) -> None:
    import oci

    stack_id = "ocid1.ormstack.oc1.iad.aaaaaaaaacmedemostack"
    sandbox_env.seed({"stacks": [{"id": stack_id, "name": "acme-demo-app", "state": "ACTIVE"}]})
    assert run_cli("init", "stk", "--kind", "stack", "--non-interactive").exit_code == 0
    journal = tmp_path / "stk" / ".ocmp" / "state" / "acme-demo-app.json"
    journal.parent.mkdir(parents=True, exist_ok=True)
    journal.write_text(json.dumps({"version": 1, "ids": {"stack": stack_id}}))
    code, report = doctor_json(run_cli, "stk")
    assert (code, report["findings"]) == (0, [])
    config = oci.config.from_file(str(sandbox_env.config_file), sandbox_env.profile)
    rm = oci.resource_manager.ResourceManagerClient(
        config, service_endpoint=sandbox_env.endpoint,
        retry_strategy=oci.retry.NoneRetryStrategy(),
    )
    rm.delete_stack(stack_id)
    code, report = doctor_json(run_cli, "stk", "--select", "TEN015")
    assert code == 1
    (finding,) = report["findings"]
    assert stack_id in finding["message"]
    assert not finding["message"].startswith("could not check")


def test_checks_of_a_missing_image_say_not_checked_never_passed(
    run_cli: RunCli, sandbox_env: Sandbox
) -> None:
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    reseed(sandbox_env, images=[])  # the listing's source_image does not exist
    result = run_cli("doctor", "img")
    assert result.exit_code == 1
    assert "✗ TEN008" in result.stderr
    missing = "(not checked: image ocid1.image.oc1.iad.aaaaaaaaocmpdemoimage does not exist)"
    for rule_id in ("TEN009", "TEN012"):
        assert f"✓ {rule_id}" not in result.stderr
        (line,) = [x for x in result.stderr.splitlines() if f" {rule_id} " in x]
        assert line.lstrip().startswith(f"– {rule_id}") and line.endswith(missing), line
    assert "✓ TEN001" in result.stderr  # checks of the tenancy itself still pass


def test_a_stack_listing_counts_its_terraform_files(run_cli: RunCli, sandbox_env: Sandbox) -> None:
    assert run_cli("init", "st", "--kind", "stack", "--non-interactive").exit_code == 0
    tf = sorted(p.name for p in (Path.cwd() / "st" / "terraform").glob("*.tf"))
    assert len(tf) >= 5
    code, report = doctor_json(run_cli, "st")
    assert code == 0
    checked = report["summary"]["files"]
    assert checked == len(tf) + 2  # listing.yaml, every .tf file and schema.yaml
    result = run_cli("doctor", "st")
    assert f"{checked} files checked" in result.stdout + result.stderr
    result = run_cli("validate", "st")
    assert f"{checked} files checked" in result.stdout + result.stderr
