"""Build real SDK clients pointed at a sandbox, with retries and the circuit breaker off."""

from __future__ import annotations

from typing import Any, TypeVar

import oci

from ocmp.sandbox import Sandbox

T = TypeVar("T")


def config(sb: Sandbox) -> dict[str, Any]:
    """The SDK config the sandbox wrote."""
    return dict(oci.config.from_file(str(sb.config_file), sb.profile))


def client(sb: Sandbox, cls: type[T], **kwargs: Any) -> T:
    """``cls(config, service_endpoint=sb.endpoint)`` without retries or circuit breaker."""
    return cls(
        kwargs.pop("config", None) or config(sb),
        service_endpoint=sb.endpoint,
        retry_strategy=oci.retry.NoneRetryStrategy(),
        circuit_breaker_strategy=oci.circuit_breaker.NoCircuitBreakerStrategy(),
        **kwargs,
    )
