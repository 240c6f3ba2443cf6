"""Admin routes under ``/_sandbox/``: unsigned, loopback only.

They mirror :class:`ocmp.sandbox.Sandbox`'s methods so a running sandbox can be steered from
another process (``ocmp sandbox seed|review|faults|reset``). They act on the sandbox's
:class:`~ocmp.sandbox.core.controls.Controls`, not on the WSGI app that dispatches to them.
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request

from ocmp.sandbox.core.controls import Controls
from ocmp.sandbox.core.errors import ApiError, invalid
from ocmp.sandbox.core.faults import Fault
from ocmp.sandbox.core.routing import Reply
from ocmp.sandbox.seed import SeedError, apply_seed, load_seed
from ocmp.sandbox.services.publisher.models.review import decide

_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_FAULT_FIELDS = {"method", "path_regex", "status", "count", "code", "message", "delay",
                 "drop_connection"}


class AdminApi:
    """Dispatch for ``/_sandbox/*``."""

    def __init__(self, controls: Controls) -> None:
        self.controls = controls
        self.map = Map([
            Rule("/_sandbox/reset", methods=["POST"], endpoint="reset"),
            Rule("/_sandbox/seed", methods=["POST"], endpoint="seed"),
            Rule("/_sandbox/faults", methods=["POST"], endpoint="add_fault"),
            Rule("/_sandbox/faults", methods=["DELETE"], endpoint="clear_faults"),
            Rule("/_sandbox/reviewer", methods=["POST"], endpoint="reviewer"),
            Rule("/_sandbox/review/<revision_id>", methods=["POST"], endpoint="review"),
            Rule("/_sandbox/stats", methods=["GET"], endpoint="stats"),
            Rule("/_sandbox/stats/reset", methods=["POST"], endpoint="reset_stats"),
            Rule("/_sandbox/state", methods=["GET"], endpoint="state"),
            Rule("/_sandbox/latency", methods=["POST"], endpoint="latency"),
            Rule("/_sandbox/session-tokens", methods=["POST"], endpoint="session_token"),
        ])

    def dispatch(self, request: Request) -> Reply:
        """Answer one admin request."""
        if request.remote_addr not in _LOOPBACK:
            raise ApiError(403, "Forbidden", "Admin routes answer loopback clients only")
        try:
            endpoint, params = self.map.bind_to_environ(request.environ).match()
        except HTTPException as exc:
            raise ApiError(404, "NotFound", f"No admin route {request.method} {request.path}"
                           ) from exc
        body: Any = {}
        if request.get_data(cache=True):
            try:
                body = json.loads(request.get_data(cache=True))
            except ValueError as exc:
                raise ApiError(400, "CannotParseRequest", "Admin bodies are JSON") from exc
        if not isinstance(body, dict):
            raise invalid("Admin bodies are JSON objects")
        handler = getattr(self, f"_{endpoint}")
        result: Reply = handler(body, **params)
        return result

    def _reset(self, body: dict[str, Any]) -> Reply:
        self.reset(body.get("seed", "demo"))
        return Reply(200, {"reset": True})

    def reset(self, seed: Any) -> str | None:
        """Drop all state, then seed (returns the seeded tenancy)."""
        try:
            data = load_seed(seed)
        except SeedError as exc:
            raise invalid(str(exc)) from exc
        self.controls.clear()
        return apply_seed(self.controls.store, data) if seed is not None else None

    def _seed(self, body: dict[str, Any]) -> Reply:
        try:
            tenancy = apply_seed(self.controls.store, body)
        except SeedError as exc:
            raise invalid(str(exc)) from exc
        return Reply(200, {"tenancyId": tenancy})

    def _add_fault(self, body: dict[str, Any]) -> Reply:
        unknown = set(body) - _FAULT_FIELDS
        if unknown:
            raise invalid(f"Unknown fault fields: {', '.join(sorted(unknown))}")
        try:
            fault = Fault(**body)
        except (TypeError, ValueError) as exc:  # re.error is a ValueError
            raise invalid(f"Bad fault: {exc}") from exc
        self.controls.faults.add(fault)
        return Reply(200, fault.view())

    def _clear_faults(self, body: dict[str, Any]) -> Reply:
        self.controls.faults.clear()
        return Reply(204)

    def _reviewer(self, body: dict[str, Any]) -> Reply:
        try:
            reviewer = self.controls.set_reviewer(body.get("mode", "auto"),
                                                  body.get("after_polls", 3), body.get("note"))
        except ValueError as exc:
            raise invalid(str(exc)) from exc
        return Reply(200, reviewer)

    def _review(self, body: dict[str, Any], revision_id: str) -> Reply:
        decision = body.get("decision", "approve")
        if decision not in ("approve", "reject"):
            raise invalid("decision must be approve or reject")
        with self.controls.store.transaction():
            doc = decide(self.controls.store, revision_id, decision, body.get("note"))
        return Reply(200, {"id": doc["id"], "status": doc["status"]})

    def _stats(self, body: dict[str, Any]) -> Reply:
        return Reply(200, self.controls.stats.view())

    def _reset_stats(self, body: dict[str, Any]) -> Reply:
        self.controls.stats.reset()
        return Reply(204)

    def _state(self, body: dict[str, Any]) -> Reply:
        controls = self.controls
        return Reply(200, {"documents": controls.store.counts(), "faults": controls.faults.views(),
                           "settings": controls.settings(), "latency": controls.latency})

    def _latency(self, body: dict[str, Any]) -> Reply:
        seconds = body.get("seconds", 0.0)
        if not isinstance(seconds, int | float) or seconds < 0:
            raise invalid("seconds must be a non-negative number")
        self.controls.latency = float(seconds)
        return Reply(200, {"latency": self.controls.latency})

    def _session_token(self, body: dict[str, Any]) -> Reply:
        pem, tenancy = body.get("public_pem"), body.get("tenancy_id")
        ttl = body.get("ttl_seconds", 3600)
        if not isinstance(pem, str) or not isinstance(tenancy, str) or not tenancy:
            raise invalid("public_pem and tenancy_id (strings) are required")
        if not isinstance(ttl, int) or ttl < 1:
            raise invalid("ttl_seconds must be a positive integer")
        if self.controls.store.get(tenancy, "tenancy", tenancy) is None:
            apply_seed(self.controls.store, {"tenancy": {"id": tenancy}})
        try:
            token = self.controls.add_session_token(pem, tenancy, ttl)
        except ValueError as exc:  # not a PEM, or not an RSA key
            raise invalid(f"public_pem: {exc}") from exc
        return Reply(200, {"token": token, "keyId": f"ST${token}"})
