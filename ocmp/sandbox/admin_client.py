"""Talk to a running sandbox's ``/_sandbox/`` admin routes (stdlib HTTP; they are unsigned)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any


class ControlError(Exception):
    """The sandbox could not be reached, or refused an admin request."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class AdminClient:
    """Admin calls against ``endpoint`` (``http://127.0.0.1:PORT``)."""

    def __init__(self, endpoint: str, timeout: float = 10.0) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.timeout = timeout

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """One admin request; the decoded JSON answer (``None`` when empty)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.endpoint}/_sandbox/{path}", data=data,
                                         method=method,
                                         headers={"content-type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            try:
                detail = json.loads(exc.read()).get("message", exc.reason)
            except ValueError:
                detail = exc.reason
            raise ControlError(f"{method} /_sandbox/{path}: {exc.code} {detail}",
                               status=exc.code) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ControlError(f"no sandbox answers at {self.endpoint} ({reason})") from exc
        return json.loads(raw) if raw else None

    def reset(self, seed: Any = "demo") -> Any:
        """Drop all state and re-seed (``seed``: ``"demo"``, seed data or ``None``)."""
        return self.call("POST", "reset", {"seed": seed})

    def seed(self, data: dict[str, Any]) -> Any:
        """Merge seed data."""
        return self.call("POST", "seed", data)

    def add_fault(self, **fault: Any) -> Any:
        """Arm a fault (fields of :class:`ocmp.sandbox.core.faults.Fault`)."""
        return self.call("POST", "faults", fault)

    def clear_faults(self) -> Any:
        """Disarm every fault."""
        return self.call("DELETE", "faults")

    def set_reviewer(self, mode: str, after_polls: int, note: str | None) -> Any:
        """Reviewer behaviour: auto, reject or manual."""
        return self.call("POST", "reviewer", {"mode": mode, "after_polls": after_polls,
                                              "note": note})

    def review(self, revision_id: str, decision: str, note: str | None) -> Any:
        """Decide a revision under review."""
        return self.call("POST", f"review/{revision_id}", {"decision": decision, "note": note})

    def stats(self) -> Any:
        """Request counters."""
        return self.call("GET", "stats")

    def state(self) -> Any:
        """Document counts, faults and settings."""
        return self.call("GET", "state")
