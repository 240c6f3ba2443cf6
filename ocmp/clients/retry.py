"""The one place ocmp retries OCI calls, and turns what is left into :class:`CloudError`.

The SDK's own retry strategy and its process-wide circuit breaker are switched off on
every client ocmp builds (see :func:`ocmp.clients._base.build_sdk_client`): they retry
for up to ten minutes and cannot report progress. Instead every request every service
wrapper sends goes through :func:`call` (via :meth:`ServiceWrapper._call
<ocmp.clients._base.ServiceWrapper._call>`):

* 429, 5xx (except 501), timeouts and dropped connections are retried with
  exponential backoff and full jitter, honouring ``retry-after``, bounded both in
  attempts and in total time;
* 409 ``IncorrectState``/``LockConflict`` means "not yet": the resource is busy, so
  the same call is retried on the same schedule until it is accepted;
* anything else, or a retryable error once the budget is spent, becomes a
  :class:`CloudError` (exit 4) with the operation, status, code and request id;
* a refused connection (or a name that does not resolve, or a connect timeout) while
  nothing at that endpoint has answered yet in this run is not retried: there is nobody
  to wait for, and the error names the endpoint at once.

Every retry is logged (logger ``ocmp.retry``, level WARNING) with the attempt, what went
wrong, the endpoint and the delay; the CLI prints those lines on stderr, so a CI log never
sits silent while ocmp waits.

Writes are retried only when repeating them is safe: creates carry an
``opc-retry-token`` chosen by the caller (a retried create is replayed by the service
instead of creating a duplicate), updates are PUTs of the whole state or carry
``If-Match``, deletes are idempotent. A write that is none of these is sent with
``idempotent=False`` and retried only on answers proving the service did nothing
(429, 409 busy).
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ocmp.errors import CloudError, redact

T = TypeVar("T")

log = logging.getLogger("ocmp.retry")

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
    def single_attempt(cls) -> RetryPolicy:
        """No retries: every failure is reported at once.

        The default of a :class:`~ocmp.clients.ClientSettings` built by hand, so that a
        library caller sees the service's raw behaviour; the commands pass
        :meth:`from_env` instead.
        """
        return cls(max_attempts=1)

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
    """Requests sent (every attempt counts) and how many were retries.

    Shared by the threads of a run that issues independent requests concurrently, so
    every update goes through :meth:`count` under a lock.
    """

    requests: int = 0
    retries: int = 0
    writes: int = 0
    answered: bool = False  # some request got an HTTP answer (even an error status)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    # Called after every write that succeeded: the one place a write path's crash-test hook
    # (ocmp.core.publish.run.WriteHook) sees the writes, whichever code sent them.
    _after_write: list[Callable[[], None]] = field(default_factory=list, repr=False,
                                                    compare=False)

    def count(self, *, write: bool, retry: bool) -> None:
        """One request sent (a write, a retry, or neither)."""
        with self._lock:
            self.requests += 1
            self.writes += int(write)
            self.retries += int(retry)

    def after_each_write(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after each write that succeeds (once per listener)."""
        with self._lock:
            if listener not in self._after_write:
                self._after_write.append(listener)

    def wrote(self) -> None:
        """A write succeeded: tell the listeners."""
        for listener in list(self._after_write):
            listener()


def _unreachable(exc: BaseException) -> bool:
    """Nothing listens there: refused, unknown host, or no TCP connection in time."""
    import oci

    if isinstance(exc, oci.exceptions.ConnectTimeout | ConnectionRefusedError):
        return True
    text = str(exc).lower()
    return any(
        reason in text
        for reason in ("connection refused", "name or service not known", "failed to resolve",
                       "nodename nor servname", "connect timeout", "newconnectionerror")
    )


def _reason(exc: BaseException) -> str:
    """What went wrong in a few words: ``503 ServiceUnavailable`` or ``connection refused``."""
    import oci

    if isinstance(exc, oci.exceptions.ServiceError):
        return f"{exc.status} {exc.code}".strip()
    return _connection_reason(exc)


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


def classify(exc: BaseException, *, idempotent: bool = True) -> tuple[bool, float | None]:
    """Whether ``exc`` is worth retrying, and the server's ``retry-after`` if any.

    With ``idempotent=False`` only the answers that prove the service did nothing (429,
    409 busy) are retried: after a 5xx or a dropped connection it may have acted.
    """
    import oci

    if isinstance(exc, oci.exceptions.ServiceError):
        status = int(exc.status or 0)
        if status == 429 or (status == 409 and exc.code in BUSY_CODES):
            return True, _retry_after(exc.headers)
        if not idempotent:
            return False, None
        if status in RETRYABLE_STATUS:
            return True, _retry_after(exc.headers)
        # status 0 / -1: the SDK could not read a response at all
        return status <= 0, None
    # The SDK wraps every transport failure (refused, reset, timed out) in these two.
    transport = (oci.exceptions.RequestException, oci.exceptions.ConnectTimeout)
    if idempotent and isinstance(exc, (*transport, ConnectionError, TimeoutError)):
        return True, None
    return False, None


_STATUS_HINTS: dict[int, str] = {
    400: "the request was rejected as invalid; the message names the field",
    401: "the signature was not accepted: check user, fingerprint and key_file of the profile, "
    "and that the public key is uploaded to that user (or refresh an expired session token)",
    403: "the user lacks permission for this operation; ask a tenancy administrator",
    404: "not found, or not authorized: check the OCID and the region, and that your group's "
    "policy allows this operation",
    409: "the resource is in a state that does not allow this operation yet; retry when it settles",
    412: "the resource changed since it was read (etag mismatch); re-run to read it again",
    429: "the service kept throttling requests; wait a minute and re-run "
    "(ocmp resumes where it stopped)",
}


def _hint(status: int | None, code: str | None) -> str:
    if code in BUSY_CODES:
        return "the resource stayed busy; re-run later: ocmp resumes where it stopped"
    if status is not None and status >= 500:
        return "the service failed; re-run later, and quote the opc-request-id to Oracle support"
    return _STATUS_HINTS.get(status or 0, "see the message")


def _connection_reason(exc: BaseException) -> str:
    text = str(exc)
    for reason in ("Connection refused", "timed out", "Name or service not known", "Read timed"):
        if reason.lower() in text.lower():
            return reason.lower()
    return text.split(" Request Endpoint:")[0].strip() or type(exc).__name__


def to_cloud_error(
    exc: BaseException, operation: str, endpoint: str | None = None
) -> CloudError:
    """The user-facing form of an SDK or transport error: the one translation ocmp has."""
    import oci

    if isinstance(exc, oci.exceptions.ServiceError):
        status = int(exc.status) if exc.status is not None else None
        return CloudError(
            str(exc.message or f"HTTP {exc.status}").splitlines()[0],
            status=status,
            code=exc.code,
            request_id=exc.request_id,
            operation=operation,
            hint=_hint(status, exc.code),
        )
    at = f" at {redact(endpoint)}" if endpoint else ""
    return CloudError(
        f"cannot reach the service{at}: {_connection_reason(exc)}",
        operation=operation,
        hint="check the network or proxy, the region, and --endpoint / OCMP_ENDPOINT if set; "
        "re-run: ocmp resumes where it stopped",
    )


def _is_cloud_failure(exc: BaseException) -> bool:
    import oci

    transport = (oci.exceptions.RequestException, oci.exceptions.ConnectTimeout)
    return isinstance(exc, (oci.exceptions.ServiceError, *transport, ConnectionError, TimeoutError))


def call(
    operation: str,
    fn: Callable[[], T],
    *,
    policy: RetryPolicy | None = None,
    stats: CallStats | None = None,
    write: bool = False,
    idempotent: bool = True,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    endpoint: str | None = None,
) -> T:
    """Run ``fn`` (one SDK call) with retries; raise :class:`CloudError` when it fails.

    Args:
        operation: the SDK method name, for messages and counting.
        fn: a zero-argument callable doing exactly one request.
        policy: attempt/time bounds (default :meth:`RetryPolicy.from_env`).
        stats: counters to update (each attempt is one request).
        write: whether the call changes state (counted separately).
        idempotent: False for a write that must not be repeated once the service may
            have acted on it (no retry token, not a PUT, no If-Match).
        sleep: injected for tests.
        clock: injected for tests.
        endpoint: where the request goes, for the retry lines and errors.
    """
    policy = policy or RetryPolicy.from_env()
    started = clock()
    attempt = 0
    while True:
        attempt += 1
        if stats is not None:
            stats.count(write=write, retry=attempt > 1)
        try:
            result = fn()
        except Exception as exc:
            if not _is_cloud_failure(exc):
                raise  # a bug of ours, not a cloud failure: keep its traceback
            import oci

            answered = isinstance(exc, oci.exceptions.ServiceError) and int(exc.status or 0) > 0
            if stats is not None and answered:
                stats.answered = True
            if not answered and _unreachable(exc) and not (stats is not None and stats.answered):
                raise to_cloud_error(exc, operation, endpoint) from None  # nobody to wait for
            retryable, retry_after = classify(exc, idempotent=idempotent)
            if not retryable or attempt >= policy.max_attempts:
                raise to_cloud_error(exc, operation, endpoint) from None
            pause = policy.delay(attempt, retry_after)
            if clock() - started + pause > policy.max_seconds:
                raise to_cloud_error(exc, operation, endpoint) from None
            log.warning(
                "attempt %d of %d: %s%s: %s; retrying in %.1fs",
                attempt,
                policy.max_attempts,
                operation,
                f" at {redact(endpoint)}" if endpoint else "",
                _reason(exc),
                pause,
            )
            sleep(pause)
            continue
        if stats is not None:
            stats.answered = True
            if write:
                stats.wrote()
        return result
