"""`ocmp sandbox …` through the CLI: serve as a real process, and the control commands."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import oci
import pytest
from oci.marketplace_publisher import models as m

from ocmp.sandbox import Sandbox
from tests.conftest import RunCli
from tests.sandbox.flows import DEMO, ready_revision
from tests.sandbox.sdk import client


def _serve(tmp_path: Path, state: Path) -> tuple[subprocess.Popen[str], dict[str, str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "ocmp", "sandbox", "serve", "--state", str(state),
         "--config-dir", str(tmp_path / "cfg")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "NO_COLOR": "1"})
    assert process.stdout is not None
    first = process.stdout.readline().strip()
    fields = dict(part.split("=", 1) for part in first.split(" "))
    assert set(fields) == {"endpoint", "config", "profile"}, first
    return process, fields


def _stop(process: subprocess.Popen[str], sig: int = signal.SIGTERM) -> str:
    process.send_signal(sig)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    return err


def _identity(fields: dict[str, str]) -> oci.identity.IdentityClient:
    cfg = oci.config.from_file(fields["config"], fields["profile"])
    return oci.identity.IdentityClient(
        cfg, service_endpoint=fields["endpoint"], retry_strategy=oci.retry.NoneRetryStrategy(),
        circuit_breaker_strategy=oci.circuit_breaker.NoCircuitBreakerStrategy())


def test_serve_prints_endpoint_first_and_state_survives_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    process, fields = _serve(tmp_path, state)
    try:
        assert fields["endpoint"].startswith("http://127.0.0.1:")
        created = _identity(fields).create_policy(oci.identity.models.CreatePolicyDetails(
            compartment_id=DEMO, name="kept", description="survives a restart",
            statements=["ALLOW SERVICE marketplace to read tenant IN TENANCY"])).data
    finally:
        err = _stop(process)
    assert "state saved" in err
    process, fields = _serve(tmp_path, state)
    try:
        assert _identity(fields).get_policy(created.id).data.name == "kept"
    finally:
        assert "sandbox stopped" in _stop(process, signal.SIGINT)


def test_review_without_a_revision_or_a_mode_is_a_usage_error(
    sandbox: Sandbox, run_cli: RunCli
) -> None:
    result = run_cli("sandbox", "review", "--endpoint", sandbox.endpoint)
    assert result.exit_code == 2
    assert "give a REVISION_ID to decide, or --mode" in result.stderr
    assert sandbox.stats()["requests"] == 0


def test_control_commands_drive_a_running_sandbox(sandbox: Sandbox, run_cli: RunCli) -> None:
    pub = client(sandbox, oci.marketplace_publisher.MarketplacePublisherClient)
    assert run_cli("sandbox", "review", "--mode", "manual", "--endpoint",
                   sandbox.endpoint).exit_code == 0
    _, revision_id, _ = ready_revision(pub)
    pub.submit_listing_revision_for_review(m.SubmitListingRevisionForReviewDetails(),
                                           revision_id)
    for _ in range(5):
        assert pub.get_listing_revision(revision_id).data.status == "PENDING_REVIEW"
    result = run_cli("sandbox", "review", revision_id, "--reject", "--note", "fix the icon",
                     "--endpoint", sandbox.endpoint)
    assert result.exit_code == 0, result.stderr
    assert pub.get_listing_revision(revision_id).data.status == "REJECTED"
    notes = pub.list_listing_revision_notes(revision_id).data.items
    assert [(n.note_source, n.note_details) for n in notes] == [("ADMINISTRATOR",
                                                                 "fix the icon")]

    assert run_cli("sandbox", "faults", "--method", "GET", "--path", "/20241201/listings$",
                   "--status", "429", "--count", "1", "--endpoint",
                   sandbox.endpoint).exit_code == 0
    with pytest.raises(oci.exceptions.ServiceError) as err:
        pub.list_listings(compartment_id=DEMO)
    assert (err.value.status, err.value.code) == (429, "TooManyRequests")
    assert len(pub.list_listings(compartment_id=DEMO).data.items) == 1

    stats = run_cli("sandbox", "stats", "--format", "json", "--endpoint", sandbox.endpoint)
    assert json.loads(stats.stdout)["by_route"]["GET /20241201/listings"] == 2

    assert run_cli("sandbox", "reset", "--endpoint", sandbox.endpoint).exit_code == 0
    assert pub.list_listings(compartment_id=DEMO).data.items == []


def test_seed_command_merges_a_yaml_file(sandbox_env: Sandbox, run_cli: RunCli,
                                         tmp_path: Path) -> None:
    seed = tmp_path / "extra.yaml"
    seed.write_text("tenancy: {id: " + DEMO + "}\nregion_subscriptions:\n"
                    "  - {region: eu-frankfurt-1, status: READY}\n")
    result = run_cli("sandbox", "seed", seed)  # endpoint from OCMP_ENDPOINT
    assert result.exit_code == 0, result.stderr
    regions = client(sandbox_env, oci.identity.IdentityClient).list_region_subscriptions(DEMO)
    assert {r.region_name for r in regions.data} == {"us-ashburn-1", "eu-frankfurt-1"}


def test_bad_seed_file_is_exit_3_with_the_file(sandbox: Sandbox, run_cli: RunCli,
                                               tmp_path: Path) -> None:
    seed = tmp_path / "bad.yaml"
    seed.write_text("tenancy: [unclosed\n")
    result = run_cli("sandbox", "seed", seed, "--endpoint", sandbox.endpoint)
    assert result.exit_code == 3
    assert "bad.yaml:2: not valid YAML" in result.stderr and "Traceback" not in result.stderr


def test_no_sandbox_running_is_exit_4(run_cli: RunCli) -> None:
    result = run_cli("sandbox", "stats", "--endpoint", "http://127.0.0.1:9")
    assert result.exit_code == 4
    assert "no sandbox answers" in result.stderr


def test_admin_state_latency_and_stats_reset(sandbox: Sandbox) -> None:
    from ocmp.sandbox.admin_client import AdminClient, ControlError

    admin = AdminClient(sandbox.endpoint)
    admin.add_fault(method="GET", path_regex="/nothing", status=500, count=3)
    state = admin.state()
    assert state["documents"][DEMO]["policy"] == 1
    assert state["faults"][0]["count"] == 3 and state["settings"]["reviewer"]["mode"] == "auto"
    assert admin.call("POST", "latency", {"seconds": 0.5}) == {"latency": 0.5}
    assert sandbox.controls.latency == 0.5
    admin.call("POST", "stats/reset")
    assert admin.stats() == {"requests": 0, "writes": 0, "by_route": {}}
    with pytest.raises(ControlError) as err:
        admin.add_fault(status="bad", unknown=1)
    assert err.value.status == 400


def test_seed_with_a_missing_key_names_the_section(sandbox: Sandbox, run_cli: RunCli,
                                                   tmp_path: Path) -> None:
    seed = tmp_path / "shape.yaml"
    seed.write_text("images:\n  - {name: no-id}\n")
    result = run_cli("sandbox", "seed", seed, "--endpoint", sandbox.endpoint)
    assert result.exit_code == 3
    assert "shape.yaml: images: an entry lacks the key 'id'" in result.stderr


def test_serve_reads_relative_paths_from_the_current_directory(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "ocmp", "sandbox", "serve", "--state", "kept.sqlite",
         "--config-dir", "cfg"], cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(Path(__file__).parents[2])})
    assert process.stdout is not None
    first = process.stdout.readline().strip()
    fields = dict(part.split("=", 1) for part in first.split(" "))
    try:
        # Printed whole: the config works from any directory, and so does its key_file.
        assert fields["config"] == str(tmp_path / "cfg" / "config"), first
        assert _identity(fields).get_tenancy(DEMO).data.id == DEMO
    finally:
        _stop(process)
    assert (tmp_path / "kept.sqlite").is_file()


@pytest.mark.parametrize(("args", "says"), [
    (["--state", "missing/state.sqlite"], "--state: its folder does not exist"),
    (["--config-dir", "a-file"], "--config-dir: not a folder"),
    (["--seed", "missing.yaml"], "missing.yaml: cannot read seed file"),
], ids=["state-folder", "config-dir-file", "seed"])
def test_serve_with_a_missing_path_is_exit_3_naming_it(tmp_path: Path, args: list[str],
                                                        says: str) -> None:
    (tmp_path / "a-file").write_text("not a folder\n")
    result = subprocess.run(
        [sys.executable, "-m", "ocmp", "sandbox", "serve", *args], cwd=tmp_path,
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(Path(__file__).parents[2])})
    assert result.returncode == 3, result.stderr
    assert says in result.stderr and result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]  # nothing written
