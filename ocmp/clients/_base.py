"""The one place that builds SDK clients, and the base every service wrapper shares.

* :func:`build_sdk_client` — endpoint override, signer, timeouts, the SDK's own retries and
  circuit breaker off, the same for every service.
* :class:`ServiceWrapper` — holds the SDK client; :meth:`ServiceWrapper._call` sends one
  request through :func:`ocmp.clients.retry.call` (bounded retries, counting, and the one
  translation of SDK failures into :class:`CloudError`), :meth:`ServiceWrapper._models`
  every item of every page of a list call the same way, for both list shapes (bare arrays
  and ``{"items": […]}`` collections).
* :func:`wait_until` — poll a getter until a predicate holds, bounded in time.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ocmp.clients.retry import CallStats, RetryPolicy, call
from ocmp.errors import CloudError, InputError

if TYPE_CHECKING:
    from ocmp.clients.credentials import Credentials

R = TypeVar("R")

# service key → (SDK module, client class). Wrappers ask for their SDK client by key.
SDK_CLIENTS: dict[str, tuple[str, str]] = {
    "identity": ("oci.identity", "IdentityClient"),
    "compute": ("oci.core", "ComputeClient"),
    "publisher": ("oci.marketplace_publisher", "MarketplacePublisherClient"),
    "resource_manager": ("oci.resource_manager", "ResourceManagerClient"),
    "marketplace": ("oci.marketplace", "MarketplaceClient"),
}


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds to wait for a connection and for a response (the SDK's defaults)."""

    connect: float = 10.0
    read: float = 60.0


def build_sdk_client(
    service: str,
    credentials: Credentials,
    *,
    endpoint: str | None,
    timeouts: Timeouts,
    region: str | None = None,
) -> Any:
    """Construct the SDK client for ``service`` (a key of :data:`SDK_CLIENTS`).

    ``region`` overrides the credentials' region (ignored when ``endpoint`` is set).
    """
    import oci

    module_name, class_name = SDK_CLIENTS[service]
    client_class = getattr(importlib.import_module(module_name), class_name)
    kwargs: dict[str, Any] = {
        "signer": credentials.signer,
        "timeout": (timeouts.connect, timeouts.read),
        # SDK retries OFF. Its default strategy makes up to 8 attempts over 600 s and also
        # retries 409 IncorrectState, so one throttled or stuck call would hang a command for
        # ten minutes, and a retried non-idempotent POST is not ours to reason about. ocmp
        # retries itself, per step, where it knows what is safe to repeat and for how long.
        "retry_strategy": oci.retry.NoneRetryStrategy(),
        # Circuit breaker OFF. The SDK's default breaker is one object shared by every client
        # in the process: ten failures on one service (e.g. a fault-injected 429 burst) would
        # make unrelated calls fail with CircuitBreakerError for 30 s, which reads as a
        # mysterious outage. Failures are reported as they happen instead.
        "circuit_breaker_strategy": oci.circuit_breaker.NoCircuitBreakerStrategy(),
    }
    if endpoint:
        check_endpoint(endpoint)
        # The SDK appends the service's base path (/20160918, /20241201…) to a bare endpoint,
        # so one sandbox URL serves every service.
        kwargs["service_endpoint"] = endpoint.rstrip("/")
    try:
        config = dict(credentials.config)
        if region:
            config["region"] = region
        return client_class(config, **kwargs)
    except ValueError as exc:  # malformed endpoint URL or config value
        raise CloudError(
            f"cannot build the {service} client: {exc}",
            hint="--endpoint / OCMP_ENDPOINT must be http(s)://host[:port]",
        ) from None


def check_endpoint(endpoint: str) -> None:
    """Refuse an endpoint the SDK would only reject at the first call, with a traceback."""
    from urllib.parse import urlparse

    parsed = urlparse(endpoint)
    if (
        parsed.scheme not in ("http", "https")
        or not parsed.hostname
        or parsed.query
        or parsed.fragment
        or parsed.username is not None  # the SDK refuses user info, at the first call
    ):
        raise InputError(
            f"--endpoint / OCMP_ENDPOINT {endpoint!r} is not an http(s) URL without user info",
            hint="use http(s)://host[:port], e.g. what `ocmp sandbox serve` prints",
        )


class ServiceWrapper:
    """Base of every service wrapper: holds the SDK client and sends its requests.

    Subclasses set :attr:`service` to a key of :data:`SDK_CLIENTS`; their methods send each
    request with :meth:`_call`/:meth:`_send` (lists: :meth:`_models`), never the SDK
    directly, so every request gets the same bounded retries, counting and error form.
    :meth:`ocmp.clients.Clients.get` builds them with the bundle's policy and counters.
    """

    service: str = ""

    def __init__(
        self,
        sdk_client: Any,
        *,
        tenancy_id: str,
        region: str,
        policy: RetryPolicy | None = None,
        stats: CallStats | None = None,
    ) -> None:
        self.sdk = sdk_client
        self.tenancy_id = tenancy_id
        self.region = region
        self.policy = policy or RetryPolicy.single_attempt()
        self.stats = stats if stats is not None else CallStats()

    def _call(
        self, op: str, fn: Callable[[], R], *, write: bool = False, idempotent: bool = True
    ) -> R:
        """One request ``fn`` (the SDK method ``op``), retried by the policy, counted."""
        return call(
            f"{self.service}.{op}",
            fn,
            policy=self.policy,
            stats=self.stats,
            write=write,
            idempotent=idempotent,
            endpoint=getattr(getattr(self.sdk, "base_client", None), "endpoint", None),
        )

    def _send(
        self, op: str, *args: Any, write: bool = False, idempotent: bool = True, **kwargs: Any
    ) -> Any:
        """``self.sdk.<op>(*args, **kwargs)`` through :meth:`_call`; the SDK response."""
        method = getattr(self.sdk, op)
        return self._call(op, lambda: method(*args, **kwargs), write=write, idempotent=idempotent)

    def _pages(self, op: str, *args: Any, **kwargs: Any) -> Iterator[Any]:
        """Every response of the list call ``op``, one :meth:`_send` per page."""
        return pages(lambda page: self._send(op, *args, **_paged(kwargs, page)))

    def _models(self, op: str, *args: Any, **kwargs: Any) -> list[Any]:
        """Every item (SDK models) of the list call ``op``, all pages."""
        responses = self._pages(op, *args, **kwargs)
        return [item for response in responses for item in _items(response.data)]


def _paged(kwargs: dict[str, Any], page: str | None) -> dict[str, Any]:
    return {**kwargs, "page": page} if page else kwargs


def _items(data: Any) -> Any:
    """The rows of one page: bare arrays (Identity, Compute) or ``items`` (Publisher)."""
    return data.items if hasattr(data, "items") and not isinstance(data, dict) else data


def pages(fetch: Callable[[str | None], Any]) -> Iterator[Any]:
    """Every response of a paginated list: ``fetch(page)`` sends one request.

    Follows ``opc-next-page`` until a response has none.
    """
    page: str | None = None
    for _ in range(10_000):  # a service that never stops paging is a bug, not a loop forever
        response = fetch(page)
        yield response
        page = response.headers.get("opc-next-page")
        if not page:
            return
    raise CloudError("the service kept returning further pages", hint="report this as a bug")


def wait_until(
    read: Callable[[], R],
    done: Callable[[R], bool],
    *,
    timeout: float,
    interval: float = 1.0,
    max_interval: float = 10.0,
    factor: float = 2.0,
    what: str = "the operation",
    on_poll: Callable[[R, float], None] | None = None,
    give_up: Callable[[float], Exception] | None = None,
) -> R:
    """Call ``read`` until ``done(result)``; back off from ``interval`` to ``max_interval``.

    Args:
        read: one poll (e.g. a GET of a work request).
        done: whether a result is final.
        timeout: seconds after which to stop waiting.
        interval: the first pause; each next one is ``factor`` times longer, at most
            ``max_interval``.
        factor: how fast the pauses grow.
        what: names the operation in the timeout error.
        on_poll: called with each result and the seconds elapsed (progress display).
        give_up: builds the exception raised at the timeout from the seconds elapsed
            (default: a ``CloudError``).

    Raises:
        CloudError: ``timeout`` seconds passed first (unless ``give_up`` says otherwise).
    """
    started = time.monotonic()
    delay = interval
    while True:
        result = read()
        elapsed = time.monotonic() - started
        if on_poll is not None:
            on_poll(result, elapsed)
        if done(result):
            return result
        if elapsed + delay > timeout:
            if give_up is not None:
                raise give_up(elapsed)
            raise CloudError(
                f"{what} did not finish within {timeout:g} s",
                hint="it may still finish: check again later",
            )
        time.sleep(delay)
        delay = min(delay * factor, max_interval)


def etag_of(response: Any) -> str | None:
    """The etag header of an SDK response, if any."""
    headers = getattr(response, "headers", None) or {}
    value = headers.get("etag")
    return str(value) if value else None
