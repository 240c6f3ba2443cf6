"""Signature verification: anything but a valid OCI signature from a registered key is 401."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from typing import Any

import oci
import pytest
from oci._vendor import requests

from ocmp.sandbox import Sandbox
from ocmp.sandbox.keys import generate_key_pair
from tests.sandbox.sdk import client, config

DEMO = "ocid1.tenancy.oc1..aaaaaaaaocmpsandboxdemotenancy"
OTHER = "ocid1.tenancy.oc1..aaaaaaaaothertenancy"


def _signer(sb: Sandbox) -> oci.signer.Signer:
    cfg = config(sb)
    return oci.signer.Signer(cfg["tenancy"], cfg["user"], cfg["fingerprint"], cfg["key_file"])


def _send(sb: Sandbox, method: str, path: str, body: bytes | None = None,
          tamper: Callable[[requests.PreparedRequest], Any] | None = None) -> requests.Response:
    request = requests.Request(method, sb.endpoint + path, data=body,
                               headers={"content-type": "application/json"})
    prepared = request.prepare()
    _signer(sb)(prepared)
    if tamper is not None:
        tamper(prepared)
    with requests.Session() as session:
        return session.send(prepared, timeout=10)


def _assert_401(response: requests.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.json()["code"] == "NotAuthenticated"
    assert response.headers["opc-request-id"]


def test_a_correctly_signed_request_passes(sandbox: Sandbox) -> None:
    response = _send(sandbox, "GET", f"/20160918/tenancies/{DEMO}")
    assert response.status_code == 200
    assert response.json()["id"] == DEMO


def test_unsigned_request_is_401(sandbox: Sandbox) -> None:
    _assert_401(requests.get(f"{sandbox.endpoint}/20160918/tenancies/{DEMO}", timeout=10))


def test_tampered_signature_is_401(sandbox: Sandbox) -> None:
    def flip(prepared: requests.PreparedRequest) -> None:
        auth = prepared.headers["authorization"]
        at = auth.index('signature="') + len('signature="')
        prepared.headers["authorization"] = auth[:at] + ("A" if auth[at] != "A" else "B") + auth[
            at + 1:]

    _assert_401(_send(sandbox, "GET", f"/20160918/tenancies/{DEMO}", tamper=flip))


def test_changed_path_after_signing_is_401(sandbox: Sandbox) -> None:
    def retarget(prepared: requests.PreparedRequest) -> None:
        prepared.url = prepared.url.replace("/tenancies/", "/tenancies/x")

    _assert_401(_send(sandbox, "GET", f"/20160918/tenancies/{DEMO}", tamper=retarget))


def test_unknown_key_is_401(sandbox: Sandbox, tmp_path: Any) -> None:
    pair = generate_key_pair()
    key_file = tmp_path / "k.pem"
    key_file.write_text(pair.private_pem)
    cfg = {**config(sandbox), "key_file": str(key_file), "fingerprint": pair.fingerprint}
    identity = client(sandbox, oci.identity.IdentityClient, config=cfg)
    with pytest.raises(oci.exceptions.ServiceError) as err:
        identity.get_tenancy(DEMO)
    assert (err.value.status, err.value.code) == (401, "NotAuthenticated")


def test_wrong_body_hash_is_401(sandbox: Sandbox) -> None:
    def swap_body(prepared: requests.PreparedRequest) -> None:
        prepared.body = b'{"name":"evil"}'
        prepared.headers["content-length"] = str(len(prepared.body))

    _assert_401(_send(sandbox, "POST", "/20160918/policies", b'{"name":"good"}', swap_body))


def test_wrong_content_length_is_401(sandbox: Sandbox) -> None:
    body = b'{"name":"x"}'

    def lie(prepared: requests.PreparedRequest) -> None:
        prepared.headers["content-length"] = "3"

    response = _send(sandbox, "POST", "/20160918/policies", body, lie)
    # The server may cut the body at the declared length; either way it is not accepted.
    _assert_401(response)


def test_signature_must_cover_body_headers(sandbox: Sandbox) -> None:
    def narrow(prepared: requests.PreparedRequest) -> None:
        prepared.headers.pop("authorization")
        # Signs only date, (request-target) and host: what OCI accepts for GET, not for POST.
        _signer(sandbox)(prepared, enforce_content_headers=False)

    _assert_401(_send(sandbox, "POST", "/20160918/policies", b"{}", narrow))


def test_stale_date_is_401(sandbox: Sandbox) -> None:
    def backdate(prepared: requests.PreparedRequest) -> None:
        prepared.headers["date"] = email.utils.formatdate(time.time() - 3600, usegmt=True)
        prepared.headers.pop("authorization")
        _signer(sandbox)(prepared)

    _assert_401(_send(sandbox, "GET", f"/20160918/tenancies/{DEMO}", tamper=backdate))


def test_tenancies_are_isolated_by_key(sandbox: Sandbox, tmp_path: Any) -> None:
    pair = generate_key_pair()
    key_file = tmp_path / "other.pem"
    key_file.write_text(pair.private_pem)
    sandbox.seed({"tenancy": {"id": OTHER, "name": "other"},
                  "policies": [{"name": "own", "statements": ["ALLOW group x to read all-resources"
                                                              " IN TENANCY"]}]})
    sandbox.add_key(pair.public_pem, tenancy_id=OTHER)
    cfg = {**config(sandbox), "tenancy": OTHER, "key_file": str(key_file),
           "fingerprint": pair.fingerprint}
    other = client(sandbox, oci.identity.IdentityClient, config=cfg)
    assert [p.name for p in other.list_policies(OTHER).data] == ["own"]
    demo_policy = client(sandbox, oci.identity.IdentityClient).list_policies(DEMO).data[0]
    with pytest.raises(oci.exceptions.ServiceError) as err:
        other.get_policy(demo_policy.id)
    assert err.value.status == 404
    with pytest.raises(oci.exceptions.ServiceError):
        other.get_tenancy(DEMO)


# --- session tokens (keyId "ST$<token>") ---------------------------------------------------
def _token_client(sb: Sandbox, token: str, private_pem: str) -> oci.identity.IdentityClient:
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    signer = oci.auth.signers.SecurityTokenSigner(token, key)
    return oci.identity.IdentityClient(
        {"region": "us-ashburn-1"}, signer=signer, service_endpoint=sb.endpoint,
        retry_strategy=oci.retry.NoneRetryStrategy(),
        circuit_breaker_strategy=oci.circuit_breaker.NoCircuitBreakerStrategy())


def test_session_token_signatures_verify_and_name_the_tenancy(sandbox: Sandbox) -> None:
    pair = generate_key_pair()
    sandbox.seed({"tenancy": {"id": OTHER, "name": "other"}})
    token = sandbox.add_session_token(pair.public_pem, tenancy_id=OTHER)
    claims = oci.auth.security_token_container.SecurityTokenContainer(None, token).get_jwt()
    assert (claims["tenant"], claims["res_tenant"]) == (OTHER, OTHER)
    assert claims["jwk"]["kty"] == "RSA" and claims["exp"] > time.time()
    identity = _token_client(sandbox, token, pair.private_pem)
    assert identity.get_tenancy(OTHER).data.id == OTHER
    with pytest.raises(oci.exceptions.ServiceError) as hidden:  # acts for OTHER only
        identity.get_tenancy(DEMO)
    assert hidden.value.status == 404


def test_session_token_with_the_wrong_key_or_expired_is_401(sandbox: Sandbox) -> None:
    pair, stranger = generate_key_pair(), generate_key_pair()
    token = sandbox.add_session_token(pair.public_pem)
    with pytest.raises(oci.exceptions.ServiceError) as wrong_key:
        _token_client(sandbox, token, stranger.private_pem).get_tenancy(DEMO)
    assert (wrong_key.value.status, wrong_key.value.code) == (401, "NotAuthenticated")
    short = sandbox.add_session_token(pair.public_pem, ttl_seconds=3)  # exp is whole seconds
    assert _token_client(sandbox, short, pair.private_pem).get_tenancy(DEMO).status == 200
    time.sleep(4.1)
    with pytest.raises(oci.exceptions.ServiceError) as expired:
        _token_client(sandbox, short, pair.private_pem).get_tenancy(DEMO)
    assert expired.value.status == 401
    assert "session token has expired" in expired.value.message


def test_admin_route_issues_a_session_token(sandbox: Sandbox) -> None:
    from ocmp.sandbox.admin_client import AdminClient, ControlError

    pair = generate_key_pair()
    admin = AdminClient(sandbox.endpoint)
    answer = admin.call("POST", "session-tokens", {"public_pem": pair.public_pem,
                                                   "tenancy_id": DEMO, "ttl_seconds": 600})
    assert answer["keyId"] == "ST$" + answer["token"]
    identity = _token_client(sandbox, answer["token"], pair.private_pem)
    assert identity.get_tenancy(DEMO).data.id == DEMO
    with pytest.raises(ControlError) as bad:
        admin.call("POST", "session-tokens", {"public_pem": "not a key", "tenancy_id": DEMO})
    assert bad.value.status == 400
