"""Every cloud command retries through the one bounded policy (ocmp.clients.retry).

Faults are injected in the sandbox; the real SDK sends every request. Backoff is kept to
milliseconds by ``OCMP_RETRY_BASE_DELAY`` (tests/commands/conftest.py).
"""

from __future__ import annotations

import json

import pytest

from ocmp.sandbox import Sandbox
from tests.conftest import RunCli

SUBSCRIPTIONS = "GET /20160918/tenancies/<tenancyId>/regionSubscriptions"


def hits(sandbox: Sandbox, route: str) -> int:
    by_route: dict[str, int] = sandbox.stats()["by_route"]
    return by_route.get(route, 0)


def test_doctor_rides_out_two_throttled_requests(run_cli: RunCli, sandbox_env: Sandbox) -> None:
    sandbox_env.add_fault(
        method="GET", path_regex="regionSubscriptions", status=429, count=2, code="TooManyRequests"
    )
    sandbox_env.reset_stats()
    result = run_cli("doctor", "--select", "TEN001")
    assert result.exit_code == 0, result.stderr
    assert "✓ TEN001" in result.stderr
    assert hits(sandbox_env, SUBSCRIPTIONS) == 3  # two 429s, then the answer


def test_doctor_gives_up_on_a_dead_service_after_bounded_attempts_with_exit_4(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OCMP_RETRY_MAX_ATTEMPTS", "3")
    sandbox_env.add_fault(
        method="GET", path_regex="regionSubscriptions", status=200, count=50, drop_connection=True
    )
    sandbox_env.reset_stats()
    result = run_cli("doctor", "--select", "TEN001")
    assert result.exit_code == 4
    assert "identity.list_region_subscriptions: cannot reach the service" in result.stderr
    assert "hint:" in result.stderr and "Traceback" not in result.stderr
    assert hits(sandbox_env, SUBSCRIPTIONS) == 3


def test_doctor_reports_a_permanent_500_as_could_not_check_after_bounded_attempts(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # README (doctor): a check whose read fails with a service error is "could not check"
    # (exit 1 for an error-level check); only refused credentials or no service at all
    # stop the run with exit 4.
    monkeypatch.setenv("OCMP_RETRY_MAX_ATTEMPTS", "4")
    sandbox_env.add_fault(method="GET", path_regex="regionSubscriptions", status=500, count=50)
    sandbox_env.reset_stats()
    result = run_cli("doctor", "--select", "TEN001", "--format", "json")
    assert result.exit_code == 1, result.stderr
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["message"].startswith("could not check")
    assert "500" in finding["message"]
    assert hits(sandbox_env, SUBSCRIPTIONS) == 4


def test_refused_credentials_are_not_retried(run_cli: RunCli, sandbox_env: Sandbox) -> None:
    sandbox_env.add_fault(path_regex="regionSubscriptions", status=401, code="NotAuthenticated")
    sandbox_env.reset_stats()
    assert run_cli("doctor", "--select", "TEN001").exit_code == 4
    assert hits(sandbox_env, SUBSCRIPTIONS) == 1


def test_policy_apply_create_is_retried_on_429_and_created_once(
    run_cli: RunCli, sandbox_env: Sandbox
) -> None:
    sandbox_env.reset(seed={**_demo_without_policies()})
    sandbox_env.add_fault(method="POST", path_regex="/20160918/policies$", status=429, count=2)
    sandbox_env.reset_stats()
    result = run_cli("policy", "--apply", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["result"] == "created"
    assert hits(sandbox_env, "POST /20160918/policies") == 3


def test_policy_apply_create_without_retry_token_is_not_repeated_after_a_500(
    run_cli: RunCli, sandbox_env: Sandbox
) -> None:
    # After a 5xx the service may have created the policy: repeating a create that has no
    # retry token could fail or duplicate, so ocmp reports it instead (re-run is safe).
    sandbox_env.reset(seed={**_demo_without_policies()})
    sandbox_env.add_fault(method="POST", path_regex="/20160918/policies$", status=500, count=5)
    sandbox_env.reset_stats()
    result = run_cli("policy", "--apply")
    assert result.exit_code == 4
    assert "identity.create_policy: 500" in result.stderr
    assert hits(sandbox_env, "POST /20160918/policies") == 1


def test_status_exits_4_after_bounded_attempts_on_a_permanent_503(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    monkeypatch.setenv("OCMP_RETRY_MAX_ATTEMPTS", "2")
    sandbox_env.add_fault(method="GET", path_regex="/20241201/listings", status=503, count=50)
    sandbox_env.reset_stats()
    result = run_cli("status", "img")
    assert result.exit_code == 4
    assert "publisher.list_listings: 503" in result.stderr
    assert hits(sandbox_env, "GET /20241201/listings") == 2


def _demo_without_policies() -> dict[str, object]:
    from ocmp.sandbox.seed import load_seed

    seed = load_seed("demo")
    seed["policies"] = []
    return seed
