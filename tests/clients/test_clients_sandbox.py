"""The client base against the sandbox through the real SDK: signing, errors, retries, paging."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ocmp.clients import AuthSettings, Clients, ClientSettings
from ocmp.clients._base import Timeouts, paginate
from ocmp.clients.compute import ComputeClient, region_of_ocid
from ocmp.clients.publisher import PublisherApi
from ocmp.errors import CloudError, InputError
from ocmp.sandbox import Sandbox


def clients_for(sb: Sandbox, **settings: object) -> Clients:
    auth = AuthSettings(config_file=Path(sb.config_file), profile=sb.profile)
    return Clients(ClientSettings(auth=auth, endpoint=sb.endpoint, **settings))  # type: ignore[arg-type]


def test_region_subscriptions_of_the_demo_tenancy(sandbox: Sandbox) -> None:
    (sub,) = clients_for(sandbox).identity.list_region_subscriptions()
    assert (sub.region, sub.key, sub.status, sub.is_home) == ("us-ashburn-1", "IAD", "READY", True)


def test_paginate_follows_every_page(sandbox: Sandbox) -> None:
    grant = "Allow group Readers to read all-resources in tenancy"
    extra = [{"name": f"p{i}", "compartment": "root", "statements": [grant]} for i in range(4)]
    sandbox.seed({"policies": extra})
    clients = clients_for(sandbox)
    pages = paginate(clients.identity.sdk.list_policies, clients.tenancy_id, limit=1)
    assert sorted(p.name for p in pages) == ["marketplace", "p0", "p1", "p2", "p3"]
    assert sandbox.stats()["by_route"]["GET /20160918/policies"] == 5


def test_service_error_becomes_one_cloud_error(sandbox: Sandbox) -> None:
    compute = clients_for(sandbox).compute
    with pytest.raises(CloudError) as caught:
        compute.get_image("ocid1.image.oc1.iad.aaaaaaaanosuchimage")
    error = caught.value
    assert (error.status, error.code) == (404, "NotAuthorizedOrNotFound")
    assert error.operation == "compute.get_image"
    assert error.request_id and error.request_id in error.message
    assert error.hint and "policy" in error.hint
    assert int(error.exit_code) == 4


def test_sdk_retries_are_off_so_one_fault_fails_the_call(sandbox: Sandbox) -> None:
    # With the SDK's default strategy the 429 would be retried and the call would succeed.
    sandbox.add_fault(method="GET", path_regex="regionSubscriptions", status=429, code="Throttled")
    clients = clients_for(sandbox)
    with pytest.raises(CloudError) as caught:
        clients.identity.list_region_subscriptions()
    assert caught.value.status == 429
    assert clients.identity.list_region_subscriptions()  # the fault is spent: next call works


def test_no_shared_circuit_breaker_opens_after_many_failures(sandbox: Sandbox) -> None:
    sandbox.add_fault(method="GET", path_regex="/policies", status=503, count=12)
    clients = clients_for(sandbox)
    for _ in range(12):
        with pytest.raises(CloudError, match="503"):
            clients.identity.list_policies()
    # The SDK's default breaker would now refuse every call for 30 s; ours goes through.
    assert clients.identity.list_region_subscriptions()
    assert [p.name for p in clients.identity.list_policies()] == ["marketplace"]


def test_connection_refused_is_a_cloud_error_with_a_hint(sandbox: Sandbox) -> None:
    auth = AuthSettings(config_file=Path(sandbox.config_file))
    clients = Clients(ClientSettings(auth=auth, endpoint="http://127.0.0.1:9"))
    with pytest.raises(CloudError) as caught:
        clients.identity.list_region_subscriptions()
    assert (
        "cannot reach the service at http://127.0.0.1:9/20160918: connection refused"
        in caught.value.message
    )
    assert caught.value.status is None
    assert caught.value.hint and "--endpoint" in caught.value.hint


def test_read_timeout_is_configured_in_one_place(sandbox: Sandbox) -> None:
    sandbox.add_fault(method="GET", path_regex="regionSubscriptions", status=200, delay=2.0)
    clients = clients_for(sandbox, timeouts=Timeouts(connect=2.0, read=0.5))
    with pytest.raises(CloudError, match="cannot reach the service"):
        clients.identity.list_region_subscriptions()


@pytest.mark.parametrize("endpoint", ["ftp://127.0.0.1:9", "127.0.0.1:9", "http://h:1/?q=1"])
def test_malformed_endpoint_is_invalid_input(sandbox: Sandbox, endpoint: str) -> None:
    auth = AuthSettings(config_file=Path(sandbox.config_file))
    clients = Clients(ClientSettings(auth=auth, endpoint=endpoint))
    with pytest.raises(InputError, match="is not an http\\(s\\) URL"):
        clients.identity.list_region_subscriptions()


def _register_key(sb: Sandbox, tmp_path: Path, pass_phrase: str | None) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    encryption = (
        serialization.BestAvailableEncryption(pass_phrase.encode())
        if pass_phrase
        else serialization.NoEncryption()
    )
    key_file = tmp_path / "key.pem"
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    )
    tenancy, user, fingerprint = sb.add_key(public.decode()).split("/")
    config = tmp_path / "config"
    config.write_text(
        f"[ENCRYPTED]\nuser={user}\ntenancy={tenancy}\nfingerprint={fingerprint}\n"
        f"key_file={key_file}\nregion=us-ashburn-1\n"
        + (f"pass_phrase={pass_phrase}\n" if pass_phrase else "")
    )
    return config


def test_api_key_with_pass_phrase_signs_real_requests(sandbox: Sandbox, tmp_path: Path) -> None:
    config = _register_key(sandbox, tmp_path, "s3cret-phrase")
    auth = AuthSettings(config_file=config, profile="ENCRYPTED")
    clients = Clients(ClientSettings(auth=auth, endpoint=sandbox.endpoint))
    assert clients.identity.list_region_subscriptions()[0].region == "us-ashburn-1"


def test_unknown_key_is_refused_with_401(sandbox: Sandbox, tmp_path: Path) -> None:
    with Sandbox() as other:  # a key registered in another sandbox only
        config = _register_key(other, tmp_path, None)
    auth = AuthSettings(config_file=config, profile="ENCRYPTED")
    clients = Clients(ClientSettings(auth=auth, endpoint=sandbox.endpoint))
    with pytest.raises(CloudError) as caught:
        clients.identity.list_region_subscriptions()
    assert (caught.value.status, caught.value.code) == (401, "NotAuthenticated")
    assert caught.value.hint and "fingerprint" in caught.value.hint


def test_publisher_reads_of_the_demo_tenancy(sandbox: Sandbox) -> None:
    reads = clients_for(sandbox).get(PublisherApi)
    account = reads.publisher_account()
    assert account is not None and account.status == "APPROVED"
    shapes = {s.shape: s for s in reads.supported_shapes()}
    assert shapes["VM.Standard.E4.Flex"].flexible and shapes["VM.Standard.E4.Flex"].ocpus == (1, 64)
    assert not shapes["VM.Standard2.1"].flexible


def test_wrappers_are_built_once_per_region(sandbox: Sandbox) -> None:
    clients = clients_for(sandbox)
    assert clients.compute is clients.get(ComputeClient)
    assert clients.get(ComputeClient, "us-ashburn-1") is clients.compute
    frankfurt = clients.get(ComputeClient, "eu-frankfurt-1")
    assert frankfurt is not clients.compute and frankfurt.region == "eu-frankfurt-1"


@pytest.mark.parametrize(
    ("ocid", "region"),
    [
        ("ocid1.image.oc1.iad.aaaa", "us-ashburn-1"),
        ("ocid1.image.oc1.fra.aaaa", "eu-frankfurt-1"),
        ("ocid1.image.oc1.eu-frankfurt-1.aaaa", "eu-frankfurt-1"),
        ("ocid1.image.oc1..aaaa", None),
        ("garbage", None),
    ],
)
def test_region_of_ocid(ocid: str, region: str | None) -> None:
    assert region_of_ocid(ocid) == region
