"""What steers a running sandbox: its state, keys, faults, counters, settings and latency.

The request path (:mod:`ocmp.sandbox.app`) and the admin routes (:mod:`ocmp.sandbox.admin`)
both act on one :class:`Controls`; neither needs the other to reach it.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from typing import Any

from ocmp.sandbox.core import session_tokens
from ocmp.sandbox.core.auth import SANDBOX_USER, KeyRing
from ocmp.sandbox.core.faults import FaultBook
from ocmp.sandbox.core.store import GLOBAL, Store

DEFAULT_SETTINGS: dict[str, Any] = {
    "reviewer": {"mode": "auto", "after_polls": 3, "note": None},
    "work_request_polls": 2,
}
REVIEW_MODES = ("auto", "reject", "manual")


class Stats:
    """Request counters (``GET /_sandbox/stats``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Zero every counter."""
        with self._lock:
            self.requests = 0
            self.writes = 0
            self.by_route: Counter[str] = Counter()

    def count(self, method: str, path: str) -> None:
        """Count one request to a service route (``path`` as the route declares it)."""
        with self._lock:
            self.requests += 1
            if method != "GET":
                self.writes += 1
            self.by_route[f"{method} {path}"] += 1

    def view(self) -> dict[str, Any]:
        """The counters as JSON."""
        with self._lock:
            return {"requests": self.requests, "writes": self.writes,
                    "by_route": dict(self.by_route)}


class Controls:
    """The steerable parts of one sandbox.

    Args:
        store: Where state lives.
        latency: Seconds added to every service request.
    """

    def __init__(self, store: Store, latency: float = 0.0) -> None:
        self.store = store
        self.keys = KeyRing(store)
        self.faults = FaultBook()
        self.stats = Stats()
        self.latency = latency
        self._settings_cache: tuple[float, str] | None = None

    def settings(self) -> dict[str, Any]:
        """Sandbox-wide behaviour (reviewer, work request pace), shared through the store.

        Cached for a second: other processes sharing a state file see a change that late.
        """
        cached = self._settings_cache
        if cached is None or time.monotonic() - cached[0] >= 1.0:
            doc = self.store.get(GLOBAL, "setting", "sandbox")
            merged = dict(DEFAULT_SETTINGS)
            if doc is not None:
                merged.update({k: v for k, v in doc.items() if k != "id"})
            cached = self._settings_cache = (time.monotonic(), json.dumps(merged))
        return dict(json.loads(cached[1]))  # a fresh copy handlers cannot corrupt

    def update_settings(self, **changes: Any) -> None:
        """Change sandbox-wide behaviour."""
        with self.store.transaction():
            current = self.settings()
            current.update(changes)
            current["id"] = "sandbox"
            self.store.put(GLOBAL, "setting", current)
        self._settings_cache = None

    def set_reviewer(self, mode: str, after_polls: int, note: str | None) -> dict[str, Any]:
        """How the simulated Oracle reviewer treats submitted revisions."""
        if mode not in REVIEW_MODES:
            raise ValueError(f"mode must be one of {', '.join(REVIEW_MODES)}")
        if not isinstance(after_polls, int) or after_polls < 0:
            raise ValueError("after_polls must be a non-negative integer")
        reviewer = {"mode": mode, "after_polls": after_polls, "note": note}
        self.update_settings(reviewer=reviewer)
        return reviewer

    def add_session_token(self, public_pem: str, tenancy_id: str, ttl_seconds: int = 3600
                          ) -> str:
        """Issue a session token for ``public_pem`` in ``tenancy_id`` (keyId ``ST$<token>``)."""
        if ttl_seconds < 1:
            raise ValueError("ttl_seconds must be positive")
        token = session_tokens.issue(public_pem, tenancy_id, SANDBOX_USER, ttl_seconds)
        self.keys.register(session_tokens.PREFIX + token, public_pem, tenancy_id)
        return token

    def clear(self) -> None:
        """Drop every document (registered keys stay), fault and counter."""
        self.store.clear()
        self.faults.clear()
        self.stats.reset()
