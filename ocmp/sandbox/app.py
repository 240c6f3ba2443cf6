"""The WSGI application: admin routes, faults, latency, signature check, dispatch, envelope.

Every response carries ``opc-request-id``; every error is OCI's ``{code, message}``.
Paths under a known version prefix that no route matches answer 501 ``NotImplemented``.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import ClientDisconnected, HTTPException, RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.routing import Map
from werkzeug.wrappers import Request

from ocmp.sandbox.core import retry_tokens, session_tokens
from ocmp.sandbox.core.auth import KeyRing, verify_request
from ocmp.sandbox.core.errors import ApiError
from ocmp.sandbox.core.faults import FaultBook
from ocmp.sandbox.core.routing import Call, Reply, Route
from ocmp.sandbox.core.store import GLOBAL, Store
from ocmp.sandbox.services import all_routes, version_prefixes
from ocmp.sandbox.serving import MAX_BODY_BYTES

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

DEFAULT_SETTINGS: dict[str, Any] = {
    "reviewer": {"mode": "auto", "after_polls": 3, "note": None},
    "work_request_polls": 2,
}


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

    def count(self, method: str, route: Route) -> None:
        """Count one request to a service route."""
        with self._lock:
            self.requests += 1
            if method != "GET":
                self.writes += 1
            self.by_route[f"{method} {route.path}"] += 1

    def view(self) -> dict[str, Any]:
        """The counters as JSON."""
        with self._lock:
            return {"requests": self.requests, "writes": self.writes,
                    "by_route": dict(self.by_route)}


class SandboxApp:
    """The emulator as a WSGI callable.

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
        self.routes = all_routes()
        self.url_map = Map([r.rule() for r in self.routes], strict_slashes=False,
                           merge_slashes=False)
        self._prefixes = version_prefixes()
        # Bound once: the host name plays no part in matching, and binding per request
        # (bind_to_environ) costs a URL reconstruction each time.
        self._adapter = self.url_map.bind("sandbox")
        self._settings_cache: tuple[float, str] | None = None
        from ocmp.sandbox.admin import AdminApi  # admin imports seeding, which needs services

        self.admin = AdminApi(self)

    # -- settings -------------------------------------------------------------------------
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

    def add_session_token(self, public_pem: str, tenancy_id: str, ttl_seconds: int = 3600
                          ) -> str:
        """Issue a session token for ``public_pem`` in ``tenancy_id`` (keyId ``ST$<token>``)."""
        from ocmp.sandbox.keys import SANDBOX_USER

        if ttl_seconds < 1:
            raise ValueError("ttl_seconds must be positive")
        token = session_tokens.issue(public_pem, tenancy_id, SANDBOX_USER, ttl_seconds)
        self.keys.register(session_tokens.PREFIX + token, public_pem, tenancy_id)
        return token

    # -- WSGI -----------------------------------------------------------------------------
    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = _Request(environ)
        request_id = uuid.uuid4().hex.upper()
        client_id = request.headers.get("opc-request-id")
        if client_id:
            request_id = f"{client_id}/{request_id}"
        try:
            if request.path.startswith("/_sandbox/"):
                reply = self.admin.dispatch(request)
            else:
                reply = self._service(request)
        except ApiError as exc:
            reply = Reply(exc.status, exc.body())
        except RequestEntityTooLarge:  # a chunked body past the limit
            reply = Reply(413, {"code": "RequestEntityTooLarge", "message": "The body is larger "
                                f"than the {MAX_BODY_BYTES >> 20} MiB the sandbox takes"})
        except ClientDisconnected:
            raise  # the handler logs it in one line
        except _Dropped:
            raise  # werkzeug treats a ConnectionError as a dropped connection: no answer
        except Exception:  # a sandbox bug: answer like OCI would, keep the trace for us
            traceback.print_exc(file=sys.stderr)
            reply = Reply(500, {"code": "InternalServerError",
                                "message": f"The sandbox failed on this request ({request_id})"})
        return _respond(reply, request_id, start_response)

    def _service(self, request: Request) -> Reply:
        try:
            route, params = self._adapter.match(request.path, request.method)
        except HTTPException as exc:
            if any(request.path.startswith(p + "/") for p in self._prefixes):
                raise ApiError(501, "NotImplemented",
                               f"The sandbox does not emulate {request.method} {request.path}"
                               ) from exc
            raise ApiError(404, "NotFound", f"No such route: {request.path}") from exc
        assert isinstance(route, Route)
        self.stats.count(request.method, route)
        fault = self.faults.take(request.method, request.path)
        if fault is not None:
            self._fire(request, fault.delay, fault.drop_connection)
            if fault.status:
                raise ApiError(fault.status, fault.code, fault.message)
        if self.latency:
            time.sleep(self.latency)
        tenancy = verify_request(request, self.keys)
        call = Call(request, tenancy, self.store, self.settings())
        token = request.headers.get("opc-retry-token") if request.method == "POST" else None
        if token is None:
            with self.store.transaction():
                return route.handler(call, **params)
        fingerprint = retry_tokens.request_fingerprint(
            request.method, request.full_path, request.get_data(cache=True))
        with self.store.transaction():
            replayed = retry_tokens.replay(self.store, tenancy, token, fingerprint)
            if replayed is not None:
                return replayed
            reply = route.handler(call, **params)
            if reply.status < 300:
                retry_tokens.remember(self.store, tenancy, token, fingerprint, reply)
            return reply

    @staticmethod
    def _fire(request: Request, delay: float, drop: bool) -> None:
        if delay:
            time.sleep(delay)
        if drop:
            sock = request.environ.get("werkzeug.socket")
            if isinstance(sock, socket.socket):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            raise _Dropped()


class _Request(Request):
    """werkzeug's request, with the body limit enforced on chunked bodies too."""

    max_content_length = MAX_BODY_BYTES


class _Dropped(ConnectionResetError):
    """The connection was cut on purpose; nothing is sent."""


def _respond(reply: Reply, request_id: str, start_response: StartResponse) -> list[bytes]:
    """Status line, headers and body straight to WSGI (a werkzeug ``Response`` per request
    cost more than the rest of a simple GET)."""
    headers: list[tuple[str, str]] = []
    if reply.body is None:
        payload = b""
    elif isinstance(reply.body, bytes | bytearray):
        payload = bytes(reply.body)
        headers.append(("Content-Type", reply.content_type))
    else:
        payload = json.dumps(reply.body, separators=(",", ":")).encode()
        headers.append(("Content-Type", "application/json"))
    if reply.status not in (204, 304):
        headers.append(("Content-Length", str(len(payload))))
    headers += reply.headers.items()
    headers.append(("opc-request-id", request_id))
    start_response(f"{reply.status} {HTTP_STATUS_CODES.get(reply.status, 'Unknown')}", headers)
    return [payload]
