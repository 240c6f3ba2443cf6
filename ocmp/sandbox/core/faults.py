"""Injected faults: the next N requests matching a method and path answer an error,
wait, or lose their connection."""

from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

_DEFAULT_CODES = {429: "TooManyRequests", 500: "InternalServerError", 502: "BadGateway",
                  503: "ServiceUnavailable", 504: "GatewayTimeout", 409: "IncorrectState"}


@dataclass
class Fault:
    """One fault rule.

    Attributes:
        method: HTTP method to match, or ``"*"``.
        path_regex: Regular expression searched in the request path.
        status: HTTP status to answer (``0`` = no error: only delay/drop).
        count: How many matching requests it still applies to (``-1`` = forever).
        code: OCI error code in the body (derived from the status when empty).
        message: Error message in the body.
        delay: Seconds to wait before answering.
        drop_connection: Close the socket without an answer.
    """

    method: str = "*"
    path_regex: str = ".*"
    status: int = 500
    count: int = 1
    code: str = ""
    message: str = "Fault injected by the ocmp sandbox"
    delay: float = 0.0
    drop_connection: bool = False
    _pattern: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._pattern = re.compile(self.path_regex)
        if not self.code and self.status:
            self.code = _DEFAULT_CODES.get(self.status, "InternalServerError")

    def view(self) -> dict[str, Any]:
        """Public description (for ``GET /_sandbox/state``)."""
        return {k: v for k, v in asdict(self).items() if not k.startswith("_")}


class FaultBook:
    """Thread-safe list of active faults; the first matching one fires."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        """Arm a fault."""
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        """Disarm every fault."""
        with self._lock:
            self._faults.clear()

    def take(self, method: str, path: str) -> Fault | None:
        """The fault this request triggers (its count is consumed), or ``None``."""
        with self._lock:
            for fault in self._faults:
                if fault.method not in ("*", method.upper()) or not fault._pattern.search(path):
                    continue
                if fault.count > 0:
                    fault.count -= 1
                    if fault.count == 0:
                        self._faults.remove(fault)
                return fault
        return None

    def views(self) -> list[dict[str, Any]]:
        """Descriptions of the armed faults."""
        with self._lock:
            return [f.view() for f in self._faults]
