"""Credentials like the oci-cli finds them, and every way they can be wrong (exit 3, one line)."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ocmp.clients import AuthMethod, AuthSettings
from ocmp.clients.auth import load_credentials
from ocmp.errors import InputError

TENANCY = "ocid1.tenancy.oc1..aaaaaaaaocmpsandboxdemotenancy"
USER = "ocid1.user.oc1..aaaaaaaatestuser"
FINGERPRINT = "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99"
SECRET = "correct horse battery staple"


def write_key(path: Path, pass_phrase: str | None = None) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    encryption = (
        serialization.BestAvailableEncryption(pass_phrase.encode())
        if pass_phrase
        else serialization.NoEncryption()
    )
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    )
    return path


def write_config(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


def profile(key: Path, **extra: str) -> str:
    lines = {
        "user": USER,
        "tenancy": TENANCY,
        "fingerprint": FINGERPRINT,
        "key_file": str(key),
        "region": "us-ashburn-1",
        **extra,
    }
    return "".join(f"{k}={v}\n" for k, v in lines.items() if v != "")


def test_api_key_profile_gives_tenancy_region_and_source(tmp_path: Path) -> None:
    key = write_key(tmp_path / "key.pem")
    config = write_config(tmp_path / "config", "[DEFAULT]\n" + profile(key))
    creds = load_credentials(AuthSettings(config_file=config))
    assert creds.tenancy_id == TENANCY
    assert creds.region == "us-ashburn-1"
    assert creds.method is AuthMethod.api_key
    # repr is what a debugger or log shows: no signer, no key path, no pass phrase.
    assert repr(creds) == f"Credentials(api_key, profile DEFAULT of {config}, tenancy={TENANCY})"


def test_region_option_overrides_the_profile(tmp_path: Path) -> None:
    key = write_key(tmp_path / "key.pem")
    config = write_config(tmp_path / "config", "[DEFAULT]\n" + profile(key))
    creds = load_credentials(AuthSettings(config_file=config, region="eu-frankfurt-1"))
    assert creds.region == "eu-frankfurt-1"


def test_env_vars_choose_file_and_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = write_key(tmp_path / "key.pem")
    other = profile(key).replace("us-ashburn-1", "uk-london-1")
    config = write_config(tmp_path / "c", "[DEFAULT]\n" + profile(key) + "[CI]\n" + other)
    monkeypatch.setenv("OCI_CLI_CONFIG_FILE", str(config))
    monkeypatch.setenv("OCI_CLI_PROFILE", "CI")
    assert load_credentials(AuthSettings()).region == "uk-london-1"


def test_encrypted_key_with_pass_phrase_loads(tmp_path: Path) -> None:
    key = write_key(tmp_path / "key.pem", SECRET)
    config = write_config(tmp_path / "config", "[DEFAULT]\n" + profile(key, pass_phrase=SECRET))
    creds = load_credentials(AuthSettings(config_file=config))
    assert SECRET not in repr(creds)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("user=x\n", "first entry must be a [PROFILE] header"),
        ("[DEFAULT]\nregion=us-ashburn-1\nregion=x\n", "cannot parse the OCI config file"),
        ("[OTHER]\nregion=us-ashburn-1\n", "profile [DEFAULT] not found (profiles: OTHER)"),
        ("[DEFAULT]\ntenancy=" + TENANCY + "\nregion=r\n", "has no key_file"),
        ("[DEFAULT]\ntenancy=" + TENANCY + "\nregion=r\nkey_file=/nonexistent/key.pem\n",
         "key_file /nonexistent/key.pem does not exist"),
    ],
)
def test_broken_config_files_name_the_file_and_the_problem(
    tmp_path: Path, body: str, expected: str
) -> None:
    config = write_config(tmp_path / "config", body)
    with pytest.raises(InputError) as caught:
        load_credentials(AuthSettings(config_file=config))
    assert expected in caught.value.message
    assert str(config) in caught.value.message
    assert caught.value.exit_code == 3


def test_missing_config_file_suggests_setup_or_sandbox(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_credentials(AuthSettings(config_file=tmp_path / "absent"))
    assert "OCI config file not found" in caught.value.message
    assert caught.value.hint is not None and "--sandbox" in caught.value.hint


def test_key_content_in_a_file_is_refused(tmp_path: Path) -> None:
    key = write_key(tmp_path / "key.pem")
    config = write_config(tmp_path / "config", "[DEFAULT]\n" + profile(key, key_content="x"))
    with pytest.raises(InputError, match="key_content"):
        load_credentials(AuthSettings(config_file=config))


def test_malformed_fingerprint_is_named(tmp_path: Path) -> None:
    key = write_key(tmp_path / "key.pem")
    config = write_config(tmp_path / "config", "[DEFAULT]\n" + profile(key, fingerprint="nope"))
    with pytest.raises(InputError, match="fingerprint malformed"):
        load_credentials(AuthSettings(config_file=config))


def test_encrypted_key_without_pass_phrase(tmp_path: Path) -> None:
    key = write_key(tmp_path / "key.pem", SECRET)
    config = write_config(tmp_path / "config", "[DEFAULT]\n" + profile(key))
    with pytest.raises(InputError, match="encrypted and profile \\[DEFAULT\\] has no pass_phrase"):
        load_credentials(AuthSettings(config_file=config))


def test_wrong_pass_phrase_is_reported_without_echoing_it(tmp_path: Path) -> None:
    key = write_key(tmp_path / "key.pem", SECRET)
    wrong = "wrong-pass-phrase-1234"
    config = write_config(tmp_path / "config", "[DEFAULT]\n" + profile(key, pass_phrase=wrong))
    with pytest.raises(InputError) as caught:
        load_credentials(AuthSettings(config_file=config))
    text = f"{caught.value.message} {caught.value.hint}"
    assert "pass phrase is wrong" in text
    assert wrong not in text and SECRET not in text


def test_public_key_instead_of_private_key(tmp_path: Path) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pub = tmp_path / "pub.pem"
    pub.write_bytes(
        private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    config = write_config(tmp_path / "config", "[DEFAULT]\n" + profile(pub))
    with pytest.raises(InputError, match="not a usable private key"):
        load_credentials(AuthSettings(config_file=config))


def _jwt(claims: dict[str, object]) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}.sig"


def test_security_token_profile_needs_a_token_file(tmp_path: Path) -> None:
    key = write_key(tmp_path / "key.pem")
    config = write_config(tmp_path / "config", "[DEFAULT]\n" + profile(key))
    with pytest.raises(InputError, match="has no security_token_file"):
        load_credentials(AuthSettings(AuthMethod.security_token, config_file=config))


def test_expired_session_token_says_how_to_refresh(tmp_path: Path) -> None:
    key = write_key(tmp_path / "key.pem")
    token = tmp_path / "token"
    now = int(time.time())
    token.write_text(_jwt({"exp": now - 60, "iat": now - 3600}))
    config = write_config(
        tmp_path / "config", "[DEFAULT]\n" + profile(key, security_token_file=str(token))
    )
    with pytest.raises(InputError) as caught:
        load_credentials(AuthSettings(AuthMethod.security_token, config_file=config))
    assert "has expired" in caught.value.message
    assert caught.value.hint is not None and "oci session refresh" in caught.value.hint


def test_valid_session_token_builds_a_token_signer(tmp_path: Path) -> None:
    key = write_key(tmp_path / "key.pem")
    token = tmp_path / "token"
    now = int(time.time())
    token.write_text(_jwt({"exp": now + 3600, "iat": now}))
    config = write_config(
        tmp_path / "config", "[DEFAULT]\n" + profile(key, security_token_file=str(token))
    )
    creds = load_credentials(AuthSettings(AuthMethod.security_token, config_file=config))
    assert type(creds.signer).__name__ == "SecurityTokenSigner"
    assert creds.tenancy_id == TENANCY


def test_garbage_in_the_token_file(tmp_path: Path) -> None:
    key = write_key(tmp_path / "key.pem")
    token = tmp_path / "token"
    token.write_text("not-a-jwt")
    config = write_config(
        tmp_path / "config", "[DEFAULT]\n" + profile(key, security_token_file=str(token))
    )
    with pytest.raises(InputError, match="does not hold a session token"):
        load_credentials(AuthSettings(AuthMethod.security_token, config_file=config))


def test_resource_principal_outside_oci_devops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCI_RESOURCE_PRINCIPAL_VERSION", raising=False)
    with pytest.raises(InputError, match="OCI_RESOURCE_PRINCIPAL_VERSION is not set"):
        load_credentials(AuthSettings(AuthMethod.resource_principal))


def test_resource_principal_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = write_key(tmp_path / "rp.pem")
    now = int(time.time())
    rpst = _jwt({"exp": now + 3600, "iat": now, "res_tenant": TENANCY})
    monkeypatch.setenv("OCI_RESOURCE_PRINCIPAL_VERSION", "2.2")
    monkeypatch.setenv("OCI_RESOURCE_PRINCIPAL_RPST", rpst)
    monkeypatch.setenv("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM", str(key))
    monkeypatch.setenv("OCI_RESOURCE_PRINCIPAL_REGION", "us-ashburn-1")
    creds = load_credentials(AuthSettings(AuthMethod.resource_principal))
    assert creds.tenancy_id == TENANCY
    assert creds.region == "us-ashburn-1"
    assert creds.source == "resource principal"


def test_request_logging_is_forced_off(tmp_path: Path) -> None:
    key = write_key(tmp_path / "key.pem")
    config = write_config(tmp_path / "config", "[DEFAULT]\n" + profile(key, log_requests="true"))
    assert load_credentials(AuthSettings(config_file=config)).config["log_requests"] is False
