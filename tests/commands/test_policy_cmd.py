"""`ocmp policy [--apply]` through the CLI, and the etag re-merge through the real SDK."""

from __future__ import annotations

import json
from pathlib import Path

import oci
import pytest

from ocmp.clients import AuthSettings, Clients, ClientSettings
from ocmp.clients.identity import Policy
from ocmp.core.policy import REQUIREMENTS, requirements_for
from ocmp.core.policy_apply import Outcome, apply_policy
from ocmp.errors import CloudError
from ocmp.sandbox import Sandbox
from ocmp.sandbox.seed import load_seed
from tests.conftest import RunCli

SEVEN = [r.statement for r in REQUIREMENTS]
MINE = "Allow group Auditors to inspect all-resources in tenancy"


def reseed_policies(sandbox: Sandbox, policies: list[dict[str, object]]) -> None:
    seed = load_seed("demo")
    seed["policies"] = policies
    sandbox.reset(seed=seed)


def sdk_identity(sandbox: Sandbox) -> oci.identity.IdentityClient:
    """An independent client (plain SDK, no ocmp code) to look at or edit the tenancy."""
    config = oci.config.from_file(str(sandbox.config_file), sandbox.profile)
    return oci.identity.IdentityClient(
        config,
        service_endpoint=sandbox.endpoint,
        retry_strategy=oci.retry.NoneRetryStrategy(),
        circuit_breaker_strategy=oci.circuit_breaker.NoCircuitBreakerStrategy(),
    )


def root_policies(sandbox: Sandbox) -> dict[str, list[str]]:
    client = sdk_identity(sandbox)
    return {p.name: list(p.statements) for p in client.list_policies(sandbox.tenancy_id).data}


def test_prints_the_statements_of_each_kind(run_cli: RunCli) -> None:
    image = run_cli("policy", "--kind", "image")
    assert image.exit_code == 0
    assert image.stdout.splitlines() == SEVEN[:5]
    assert "ROOT compartment" in image.stderr
    stack = run_cli("policy", "--kind", "stack")
    assert stack.stdout.splitlines() == SEVEN


def test_default_kind_comes_from_listing_yaml(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("policy").stdout.splitlines() == SEVEN  # no listing: all seven
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    monkeypatch.chdir(tmp_path / "img")
    assert run_cli("policy").stdout.splitlines() == SEVEN[:5]


def test_json_document(run_cli: RunCli) -> None:
    result = run_cli("policy", "--kind", "image", "--format", "json")
    doc = json.loads(result.stdout)
    assert doc == {"version": 1, "command": "policy", "outcome": "pass", "exit_code": 0,
                   "error": None, "kind": "image", "name": "marketplace", "compartment": "root",
                   "statements": SEVEN[:5]}


def test_apply_twice_creates_one_policy_without_duplicates(
    run_cli: RunCli, sandbox_env: Sandbox
) -> None:
    reseed_policies(sandbox_env, [{"name": "admins", "statements": [MINE]}])
    first = run_cli("policy", "--apply", "--kind", "stack")
    assert first.exit_code == 0, first.stderr
    assert "created policy 'marketplace'" in first.stderr
    assert first.stdout.splitlines() == SEVEN
    assert root_policies(sandbox_env) == {"admins": [MINE], "marketplace": SEVEN}

    sandbox_env.reset_stats()
    second = run_cli("policy", "--apply", "--kind", "stack", "--format", "json")
    assert second.exit_code == 0
    doc = json.loads(second.stdout)
    assert (doc["result"], doc["added"]) == ("unchanged", [])
    assert sandbox_env.stats()["writes"] == 0
    assert root_policies(sandbox_env) == {"admins": [MINE], "marketplace": SEVEN}


def test_apply_adds_only_what_is_missing_and_keeps_the_users_statements(
    run_cli: RunCli, sandbox_env: Sandbox
) -> None:
    lower = "allow service marketplace to INSPECT instance-images in tenancy"
    reseed_policies(sandbox_env, [
        {"name": "marketplace", "statements": [MINE, lower, SEVEN[0].lower()]},
        {"name": "elsewhere", "statements": [SEVEN[1]]},
    ])
    result = run_cli("policy", "--apply", "--kind", "image", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["result"] == "updated"
    assert doc["added"] == [SEVEN[2], SEVEN[3], SEVEN[4]]  # read tenant: granted by "elsewhere"
    policies = root_policies(sandbox_env)
    assert policies["marketplace"] == [MINE, lower, SEVEN[0].lower(), SEVEN[2], SEVEN[3], SEVEN[4]]
    assert policies["elsewhere"] == [SEVEN[1]]


def test_apply_with_a_custom_name_when_nothing_is_missing(
    run_cli: RunCli, sandbox_env: Sandbox
) -> None:
    result = run_cli("policy", "--apply", "--name", "mkt-extra")
    assert result.exit_code == 0
    assert "nothing to do" in result.stderr
    assert "mkt-extra" not in root_policies(sandbox_env)


def test_a_concurrent_412_is_re_read_and_re_merged(run_cli: RunCli, sandbox_env: Sandbox) -> None:
    reseed_policies(sandbox_env, [{"name": "marketplace", "statements": [MINE]}])
    sandbox_env.add_fault(method="PUT", path_regex="/20160918/policies/", status=412,
                          code="NoEtagMatch")
    result = run_cli("policy", "--apply", "--kind", "image")
    assert result.exit_code == 0, result.stderr
    assert root_policies(sandbox_env)["marketplace"] == [MINE, *SEVEN[:5]]


def test_a_policy_that_keeps_changing_is_exit_4(run_cli: RunCli, sandbox_env: Sandbox) -> None:
    reseed_policies(sandbox_env, [{"name": "marketplace", "statements": [MINE]}])
    sandbox_env.add_fault(method="PUT", path_regex="/20160918/policies/", status=412,
                          code="NoEtagMatch", count=50)
    result = run_cli("policy", "--apply")
    assert result.exit_code == 4
    assert "kept changing" in result.stderr
    assert root_policies(sandbox_env)["marketplace"] == [MINE]


def test_apply_service_error_is_exit_4_with_request_id(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OCMP_RETRY_MAX_ATTEMPTS", "3")
    sandbox_env.add_fault(method="GET", path_regex="/20160918/policies", status=500, count=50)
    result = run_cli("policy", "--apply")
    assert result.exit_code == 4
    assert "identity.list_policies: 500" in result.stderr and "opc-request-id" in result.stderr
    assert sandbox_env.stats()["by_route"]["GET /20160918/policies"] == 3  # bounded retries


def test_a_real_concurrent_edit_is_not_lost(sandbox: Sandbox) -> None:
    """Someone edits the policy between ocmp's read and its write: both edits survive."""
    reseed_policies(sandbox, [{"name": "marketplace", "statements": [MINE]}])
    theirs = "Allow group Ops to read buckets in tenancy"
    other = sdk_identity(sandbox)
    edits: list[str] = []

    def edit_concurrently(read: Policy) -> None:
        if edits:
            return  # only once
        current = other.get_policy(read.id).data
        other.update_policy(
            read.id,
            oci.identity.models.UpdatePolicyDetails(statements=[*current.statements, theirs]),
        )
        edits.append(read.id)

    auth = AuthSettings(config_file=Path(sandbox.config_file), profile=sandbox.profile)
    clients = Clients(ClientSettings(auth=auth, endpoint=sandbox.endpoint))
    result = apply_policy(
        clients.identity, name="marketplace", requirements=requirements_for("stack"),
        on_read=edit_concurrently,
    )
    assert result.outcome is Outcome.UPDATED
    assert result.attempts == 2  # the first write met 412 NoEtagMatch
    final = root_policies(sandbox)["marketplace"]
    assert final == [MINE, theirs, *SEVEN]


def test_create_conflict_is_re_read_instead_of_failing(sandbox: Sandbox) -> None:
    """A 409 on create (someone created the policy meanwhile) makes ocmp list again."""
    reseed_policies(sandbox, [])
    sandbox.add_fault(method="POST", path_regex="/20160918/policies$", status=409,
                      code="PolicyAlreadyExists")
    auth = AuthSettings(config_file=Path(sandbox.config_file), profile=sandbox.profile)
    clients = Clients(ClientSettings(auth=auth, endpoint=sandbox.endpoint))
    result = apply_policy(clients.identity, name="marketplace", requirements=REQUIREMENTS)
    assert (result.outcome, result.attempts) == (Outcome.CREATED, 2)
    assert root_policies(sandbox) == {"marketplace": SEVEN}


def test_cloud_error_for_a_missing_policy_id(sandbox: Sandbox) -> None:
    auth = AuthSettings(config_file=Path(sandbox.config_file), profile=sandbox.profile)
    clients = Clients(ClientSettings(auth=auth, endpoint=sandbox.endpoint))
    with pytest.raises(CloudError) as caught:
        clients.identity.get_policy("ocid1.policy.oc1..aaaaaaaanosuchpolicy")
    assert caught.value.status == 404


def test_a_same_named_policy_in_a_sub_compartment_is_named_in_the_error(
    run_cli: RunCli, sandbox_env: Sandbox
) -> None:
    sub = "ocid1.compartment.oc1..aaaaaaaaocmpappscompartment"
    seed = load_seed("demo")
    seed["compartments"] = [{"id": sub, "name": "apps"}]
    seed["policies"] = [{"name": "marketplace", "compartment": sub, "statements": [MINE]}]
    sandbox_env.reset(seed=seed)
    result = run_cli("policy", "--apply")
    assert result.exit_code == 4
    assert "a policy named 'marketplace' exists, but not in the root compartment" in result.stderr
    assert "--name" in result.stderr
    assert run_cli("policy", "--apply", "--name", "marketplace-root").exit_code == 0
    assert root_policies(sandbox_env) == {"marketplace-root": SEVEN}
