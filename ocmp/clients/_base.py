"""The one place that builds SDK clients and turns SDK failures into :class:`CloudError`.

* :func:`build_sdk_client` — endpoint override, signer, timeouts, retry and circuit breaker,
  the same for every service.
* :func:`cloud_errors` (context manager) and :func:`cloud_call` (method decorator) — a
  ``ServiceError``, a refused connection or a timeout becomes one ``CloudError`` with status,
  code, message, opc-request-id and a hint (exit 4).
* :func:`paginate` — every page of a list call, for both list shapes (bare arrays and
  ``{"items": […]}`` collections).
* :func:`wait_until` — poll a getter until a predicate holds, bounded in time.
"""

from __future__ import annotations

import functools
import importlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from ocmp.errors import CloudError, InputError

if TYPE_CHECKING:
    from ocmp.clients.auth import Credentials

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound="ServiceWrapper")

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
    with cloud_errors(f"{service}: building the client"):
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
    ):
        raise InputError(
            f"--endpoint / OCMP_ENDPOINT {endpoint!r} is not an http(s) URL",
            hint="use http(s)://host[:port], e.g. what `ocmp sandbox serve` prints",
        )


_STATUS_HINTS: dict[int, str] = {
    400: "the request was rejected as invalid; the message names the field",
    401: "the signature was not accepted: check user, fingerprint and key_file of the profile, "
    "and that the public key is uploaded to that user (or refresh an expired session token)",
    403: "the user lacks permission for this operation; ask a tenancy administrator",
    404: "not found, or not authorized: check the OCID and the region, and that your group's "
    "policy allows this operation",
    409: "the resource is in a state that does not allow this operation yet; retry when it settles",
    412: "the resource changed since it was read (etag mismatch); re-run to read it again",
    429: "the service is throttling requests; wait a minute and re-run",
}


def _hint_for(status: int | None) -> str:
    if status is None:
        return "see the message"
    if status >= 500:
        return "the service failed; re-run later, and quote the opc-request-id to Oracle support"
    return _STATUS_HINTS.get(status, "see the message")


@contextmanager
def cloud_errors(operation: str) -> Iterator[None]:
    """Translate SDK and connection failures raised inside the block into ``CloudError``."""
    import oci

    try:
        yield
    except oci.exceptions.ServiceError as exc:
        message = str(exc.message or f"HTTP {exc.status}").splitlines()[0]
        raise CloudError(
            message,
            status=int(exc.status) if exc.status is not None else None,
            code=exc.code,
            request_id=exc.request_id,
            operation=operation,
            hint=_hint_for(exc.status),
        ) from None
    except (oci.exceptions.ConnectTimeout, oci.exceptions.RequestException) as exc:
        raise CloudError(
            f"cannot reach the service: {_connection_reason(exc)}",
            operation=operation,
            hint="check the network or proxy, the region, and --endpoint / OCMP_ENDPOINT if set",
        ) from None


def _connection_reason(exc: BaseException) -> str:
    text = str(exc)
    for reason in ("Connection refused", "timed out", "Name or service not known", "Read timed"):
        if reason.lower() in text.lower():
            return reason.lower()
    return type(exc).__name__


class ServiceWrapper:
    """Base of every service wrapper: holds the SDK client, names itself in errors.

    Subclasses set :attr:`service` to a key of :data:`SDK_CLIENTS` and take the client
    bundle in ``__init__`` (see :meth:`ocmp.clients.Clients.get`).
    """

    service: str = ""

    def __init__(self, sdk_client: Any, *, tenancy_id: str, region: str) -> None:
        self.sdk = sdk_client
        self.tenancy_id = tenancy_id
        self.region = region


def cloud_call(
    method: Callable[Concatenate[S, P], R],
) -> Callable[Concatenate[S, P], R]:
    """Decorate a wrapper method so SDK failures become ``CloudError("<service>.<method>…")``."""

    @functools.wraps(method)
    def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with cloud_errors(f"{self.service}.{method.__name__}"):
            return method(self, *args, **kwargs)

    return wrapper


def paginate(list_call: Callable[..., Any], *args: Any, **kwargs: Any) -> list[Any]:
    """Every item of a paginated list call (SDK models, unconverted).

    Follows ``opc-next-page``; copes with both bare arrays (Identity, Compute) and
    collections with ``items`` (Publisher).
    """
    items: list[Any] = []
    page: str | None = None
    for _ in range(10_000):  # a service that never stops paging is a bug, not a loop forever
        response = list_call(*args, page=page, **kwargs) if page else list_call(*args, **kwargs)
        data = response.data
        items.extend(data.items if hasattr(data, "items") and not isinstance(data, dict) else data)
        page = response.next_page
        if not page:
            return items
    raise CloudError("the service kept returning further pages", hint="report this as a bug")


def wait_until(
    read: Callable[[], R],
    done: Callable[[R], bool],
    *,
    timeout: float,
    interval: float = 1.0,
    max_interval: float = 10.0,
    what: str = "the operation",
) -> R:
    """Call ``read`` until ``done(result)``; back off from ``interval`` to ``max_interval``.

    Raises:
        CloudError: ``timeout`` seconds passed first.
    """
    deadline = time.monotonic() + timeout
    delay = interval
    while True:
        result = read()
        if done(result):
            return result
        if time.monotonic() + delay > deadline:
            raise CloudError(
                f"{what} did not finish within {timeout:g} s",
                hint="it may still finish: check again later",
            )
        time.sleep(delay)
        delay = min(delay * 2, max_interval)


def etag_of(response: Any) -> str | None:
    """The etag header of an SDK response, if any."""
    headers = getattr(response, "headers", None) or {}
    value = headers.get("etag")
    return str(value) if value else None
