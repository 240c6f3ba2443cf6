"""The one place ocmp retries OCI calls, and turns what is left into :class:`CloudError`.

The SDK's own retry strategy and its process-wide circuit breaker are switched off on
every client ocmp builds (see :func:`sdk_client_kwargs`): they retry for up to ten
minutes and cannot report progress. Instead every call goes through :func:`call`:

* 429, 5xx (except 501), timeouts and dropped connections are retried with
  exponential backoff and full jitter, honouring ``retry-after``, bounded both in
  attempts and in total time;
* 409 ``IncorrectState``/``LockConflict`` means "not yet": the resource is busy, so
  the same call is retried on the same schedule until it is accepted;
* anything else, or a retryable error once the budget is spent, becomes a
  :class:`CloudError` (exit 4) with the operation, status, code and request id.

Creates carry an ``opc-retry-token`` chosen by the caller, so a retried create is
replayed by the service instead of creating a duplicate.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ocmp.errors import CloudError

T = TypeVar("T")

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
BUSY_CODES = frozenset({"IncorrectState", "LockConflict"})


@dataclass
class RetryPolicy:
    """How hard to try. Defaults suit a human waiting at a terminal or a CI job."""

    max_attempts: int = 8
    max_seconds: float = 120.0
    base_delay: float = 0.5
    max_delay: float = 20.0

    @classmethod
    def from_env(cls) -> RetryPolicy:
        """Defaults, with ``OCMP_RETRY_BASE_DELAY``/``OCMP_RETRY_MAX_ATTEMPTS`` overrides.

        Tests and the benchmark shrink the base delay so that injected 429s cost
        milliseconds rather than seconds.
        """
        policy = cls()
        if raw := os.environ.get("OCMP_RETRY_BASE_DELAY"):
            policy.base_delay = float(raw)
            policy.max_delay = max(policy.base_delay * 16, policy.base_delay)
        if raw := os.environ.get("OCMP_RETRY_MAX_ATTEMPTS"):
            policy.max_attempts = int(raw)
        return policy

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to sleep before attempt ``attempt + 1`` (``attempt`` counts from 1)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_delay)
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return random.uniform(ceiling / 2, ceiling)  # jitter keeps parallel runs apart


@dataclass
class CallStats:
    """Requests sent (every attempt counts) and how many were retries."""

    requests: int = 0
    retries: int = 0
    writes: int = 0
    by_operation: dict[str, int] = field(default_factory=dict)


def _retry_after(headers: Any) -> float | None:
    if not headers:
        return None
    value = headers.get("retry-after") or headers.get("Retry-After")
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None  # an HTTP date: fall back to our own backoff


def classify(exc: BaseException) -> tuple[bool, float | None]:
    """Whether ``exc`` is worth retrying, and the server's ``retry-after`` if any."""
    import oci

    if isinstance(exc, oci.exceptions.ServiceError):
        status = int(exc.status or 0)
        if status in RETRYABLE_STATUS or (status == 409 and exc.code in BUSY_CODES):
            return True, _retry_after(exc.headers)
        # status 0 / -1: the SDK could not read a response at all
        return status <= 0, None
    # The SDK wraps every transport failure (refused, reset, timed out) in these two.
    transport = (oci.exceptions.RequestException, oci.exceptions.ConnectTimeout)
    if isinstance(exc, (*transport, ConnectionError, TimeoutError)):
        return True, None
    return False, None


def to_cloud_error(exc: BaseException, operation: str) -> CloudError:
    """The user-facing form of an SDK or transport error."""
    import oci

    if isinstance(exc, oci.exceptions.ServiceError):
        return CloudError(
            str(exc.message or "the service returned an error"),
            status=exc.status,
            code=exc.code,
            request_id=exc.request_id,
            operation=operation,
            hint=_hint(int(exc.status or 0), exc.code),
        )
    text = str(exc).split(" Request Endpoint:")[0] or type(exc).__name__
    return CloudError(
        f"could not reach the service: {text}",
        operation=operation,
        hint="check the network or --endpoint, then re-run: ocmp resumes where it stopped",
    )


def _hint(status: int, code: str | None) -> str | None:
    if status == 401:
        return "check the API key, fingerprint and profile in the OCI config file"
    if status == 404:
        return "the resource does not exist or your policies do not allow reading it"
    if status in RETRYABLE_STATUS or code in BUSY_CODES:
        return "the service stayed busy; re-run later: ocmp resumes where it stopped"
    return None


def call(
    operation: str,
    fn: Callable[[], T],
    *,
    policy: RetryPolicy | None = None,
    stats: CallStats | None = None,
    write: bool = False,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """Run ``fn`` (one SDK call) with retries; raise :class:`CloudError` when it fails.

    Args:
        operation: the SDK method name, for messages and counting.
        fn: a zero-argument callable doing exactly one request.
        policy: attempt/time bounds (default :meth:`RetryPolicy.from_env`).
        stats: counters to update (each attempt is one request).
        write: whether the call changes state (counted separately).
        sleep: injected for tests.
        clock: injected for tests.
    """
    policy = policy or RetryPolicy.from_env()
    started = clock()
    attempt = 0
    while True:
        attempt += 1
        if stats is not None:
            stats.requests += 1
            stats.writes += int(write)
            stats.by_operation[operation] = stats.by_operation.get(operation, 0) + 1
            if attempt > 1:
                stats.retries += 1
        try:
            return fn()
        except Exception as exc:
            retryable, retry_after = classify(exc)
            if not retryable or attempt >= policy.max_attempts:
                raise to_cloud_error(exc, operation) from None
            pause = policy.delay(attempt, retry_after)
            if clock() - started + pause > policy.max_seconds:
                raise to_cloud_error(exc, operation) from None
            sleep(pause)


def sdk_client_kwargs() -> dict[str, Any]:
    """Keyword arguments that switch the SDK's own retries and circuit breaker off."""
    import oci

    return {
        "retry_strategy": oci.retry.NoneRetryStrategy(),
        "circuit_breaker_strategy": oci.circuit_breaker.NoCircuitBreakerStrategy(),
    }
