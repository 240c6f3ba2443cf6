"""The one retry loop: what it retries, how long it waits, what it gives up with."""

from __future__ import annotations

import oci
import pytest

from ocmp.clients.retry import CallStats, RetryPolicy, call
from ocmp.errors import CloudError


def _service_error(status: int, code: str, headers: dict[str, str] | None = None) -> Exception:
    return oci.exceptions.ServiceError(status, code, headers or {}, f"{code} happened")


class Flaky:
    """Fails with the given errors, then returns "ok"."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def test_throttling_and_server_errors_are_retried_with_growing_backoff() -> None:
    sleeps: list[float] = []
    fn = Flaky(
        _service_error(429, "TooManyRequests"),
        _service_error(503, "ServiceUnavailable"),
        _service_error(500, "InternalServerError"),
    )
    stats = CallStats()
    policy = RetryPolicy(max_attempts=5, base_delay=1.0, max_delay=100.0)
    assert call("get_listing", fn, policy=policy, stats=stats, sleep=sleeps.append) == "ok"
    assert fn.calls == 4
    assert stats.requests == 4 and stats.retries == 3 and stats.writes == 0
    # full jitter within [ceiling/2, ceiling], ceilings 1, 2, 4
    assert 0.5 <= sleeps[0] <= 1 and 1 <= sleeps[1] <= 2 and 2 <= sleeps[2] <= 4


def test_retry_after_header_is_honoured() -> None:
    sleeps: list[float] = []
    fn = Flaky(_service_error(429, "TooManyRequests", {"retry-after": "3"}))
    call("list_listings", fn, policy=RetryPolicy(max_delay=10), sleep=sleeps.append)
    assert sleeps == [3.0]


def test_incorrect_state_waits_but_a_plain_conflict_does_not() -> None:
    fn = Flaky(_service_error(409, "IncorrectState"))
    assert call("submit", fn, policy=RetryPolicy(base_delay=0), sleep=lambda _: None) == "ok"
    with pytest.raises(CloudError) as info:
        call(
            "create_listing",
            Flaky(_service_error(409, "NotAuthorizedOrResourceAlreadyExists")),
            sleep=lambda _: None,
        )
    assert info.value.status == 409
    assert "create_listing" in info.value.message


def test_dropped_connections_are_retried() -> None:
    fn = Flaky(oci.exceptions.RequestException("Connection aborted."), ConnectionResetError())
    assert call("get_revision", fn, policy=RetryPolicy(base_delay=0), sleep=lambda _: None) == "ok"
    assert fn.calls == 3


def test_attempts_are_bounded_and_end_in_a_cloud_error() -> None:
    fn = Flaky(*[_service_error(503, "ServiceUnavailable") for _ in range(10)])
    stats = CallStats()
    with pytest.raises(CloudError) as info:
        call(
            "get_listing",
            fn,
            policy=RetryPolicy(max_attempts=3, base_delay=0),
            stats=stats,
            sleep=lambda _: None,
        )
    assert fn.calls == 3 and stats.requests == 3
    assert info.value.status == 503 and info.value.hint


def test_total_time_is_bounded() -> None:
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    fn = Flaky(*[_service_error(429, "TooManyRequests", {"retry-after": "10"}) for _ in range(10)])
    with pytest.raises(CloudError):
        call(
            "get_listing",
            fn,
            policy=RetryPolicy(max_attempts=50, max_seconds=25, max_delay=60),
            sleep=sleep,
            clock=lambda: now[0],
        )
    assert fn.calls == 3  # 0 s, 10 s, 20 s; a fourth would end after 30 s


def test_client_errors_are_not_retried() -> None:
    fn = Flaky(_service_error(400, "InvalidParameter"))
    with pytest.raises(CloudError):
        call("create_artifact", fn, sleep=lambda _: pytest.fail("must not sleep"))
    assert fn.calls == 1


def test_env_shrinks_the_base_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCMP_RETRY_BASE_DELAY", "0.01")
    monkeypatch.setenv("OCMP_RETRY_MAX_ATTEMPTS", "4")
    policy = RetryPolicy.from_env()
    assert policy.base_delay == 0.01 and policy.max_attempts == 4
    assert policy.delay(1, None) <= 0.01
