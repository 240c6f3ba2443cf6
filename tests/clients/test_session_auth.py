"""`--auth security_token` and `--auth resource_principal` end to end: the sandbox issues the
session token, the SDK signs with ``keyId="ST$<token>"`` and the sandbox verifies it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ocmp.sandbox import Sandbox
from ocmp.sandbox.keys import KeyPair, generate_key_pair
from tests.conftest import RunCli

TENANCY = "ocid1.tenancy.oc1..aaaaaaaaocmpsandboxdemotenancy"


@pytest.fixture(scope="module")
def session_key() -> KeyPair:
    return generate_key_pair()


def session_profile(where: Path, key: KeyPair, token: str) -> Path:
    """The profile `oci session authenticate` writes: a session key, a token file, no user."""
    where.mkdir(parents=True)
    (where / "oci_api_key.pem").write_text(key.private_pem)
    (where / "token").write_text(token)
    config = where / "config"
    config.write_text(
        "[SESSION]\n"
        f"fingerprint={key.fingerprint}\n"
        f"key_file={where / 'oci_api_key.pem'}\n"
        f"tenancy={TENANCY}\n"
        "region=us-ashburn-1\n"
        f"security_token_file={where / 'token'}\n"
    )
    return config


def point_at(monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox, config: Path) -> None:
    monkeypatch.setenv("OCMP_ENDPOINT", sandbox.endpoint)
    monkeypatch.setenv("OCI_CLI_CONFIG_FILE", str(config))
    monkeypatch.setenv("OCI_CLI_PROFILE", "SESSION")


def test_doctor_with_a_session_token_profile(
    run_cli: RunCli, sandbox: Sandbox, session_key: KeyPair, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = sandbox.add_session_token(session_key.public_pem)
    point_at(monkeypatch, sandbox, session_profile(tmp_path / "sessions", session_key, token))
    sandbox.reset_stats()
    result = run_cli("doctor", "--auth", "security_token", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["findings"] == []
    assert sandbox.stats()["requests"] >= 5  # every check read the tenancy with the token
    assert token not in result.stdout + result.stderr  # the token is a credential


def test_a_token_the_sandbox_did_not_issue_is_refused(
    run_cli: RunCli, sandbox: Sandbox, session_key: KeyPair, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = Sandbox()  # issued by another sandbox: same shape, unknown here
    try:
        token = other.add_session_token(session_key.public_pem)
    finally:
        other.stop()
    point_at(monkeypatch, sandbox, session_profile(tmp_path / "sessions", session_key, token))
    result = run_cli("doctor", "--auth", "security_token", "--select", "TEN001")
    assert result.exit_code == 4
    assert "401 NotAuthenticated" in result.stderr


def test_doctor_with_a_resource_principal(
    run_cli: RunCli, sandbox: Sandbox, session_key: KeyPair, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = sandbox.add_session_token(session_key.public_pem)
    (tmp_path / "rp.pem").write_text(session_key.private_pem)
    monkeypatch.setenv("OCMP_ENDPOINT", sandbox.endpoint)
    monkeypatch.setenv("OCI_RESOURCE_PRINCIPAL_VERSION", "2.2")
    monkeypatch.setenv("OCI_RESOURCE_PRINCIPAL_RPST", token)
    monkeypatch.setenv("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM", str(tmp_path / "rp.pem"))
    monkeypatch.setenv("OCI_RESOURCE_PRINCIPAL_REGION", "us-ashburn-1")
    result = run_cli("doctor", "--auth", "resource_principal")
    assert result.exit_code == 0, result.stderr
    assert f"checking tenancy {TENANCY}" in result.stderr  # from the token's res_tenant claim
