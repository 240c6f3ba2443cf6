"""The WSGI application: admin routes, faults, latency, signature check, dispatch, envelope.

Every response carries ``opc-request-id``; every error is OCI's ``{code, message}``.
Paths under a known version prefix that no route matches answer 501 ``NotImplemented``.
"""

from __future__ import annotations

import json
import socket
import sys
import time
import traceback
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from werkzeug.exceptions import ClientDisconnected, HTTPException, RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.routing import Map
from werkzeug.wrappers import Request

from ocmp.sandbox.admin import AdminApi
from ocmp.sandbox.core import retry_tokens
from ocmp.sandbox.core.auth import verify_request
from ocmp.sandbox.core.controls import Controls
from ocmp.sandbox.core.errors import ApiError
from ocmp.sandbox.core.routing import Call, Reply, Route
from ocmp.sandbox.services.index import all_routes, version_prefixes
from ocmp.sandbox.serving import MAX_BODY_BYTES

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

class SandboxApp:
    """The emulator as a WSGI callable.

    Args:
        controls: The state, keys, faults, counters and settings it serves and obeys.
    """

    def __init__(self, controls: Controls) -> None:
        self.controls = controls
        self.routes = all_routes()
        self.url_map = Map([r.rule() for r in self.routes], strict_slashes=False,
                           merge_slashes=False)
        self._prefixes = version_prefixes()
        # Bound once: the host name plays no part in matching, and binding per request
        # (bind_to_environ) costs a URL reconstruction each time.
        self._adapter = self.url_map.bind("sandbox")
        self.admin = AdminApi(controls)

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
        controls = self.controls
        controls.stats.count(request.method, route.path)
        fault = controls.faults.take(request.method, request.path)
        if fault is not None:
            self._fire(request, fault.delay, fault.drop_connection)
            if fault.status:
                raise ApiError(fault.status, fault.code, fault.message)
        if controls.latency:
            time.sleep(controls.latency)
        store = controls.store
        tenancy = verify_request(request, controls.keys)
        call = Call(request, tenancy, store, controls.settings())
        token = request.headers.get("opc-retry-token") if request.method == "POST" else None
        if token is None:
            with store.transaction():
                return route.handler(call, **params)
        fingerprint = retry_tokens.request_fingerprint(
            request.method, request.full_path, request.get_data(cache=True))
        with store.transaction():
            replayed = retry_tokens.replay(store, tenancy, token, fingerprint)
            if replayed is not None:
                return replayed
            reply = route.handler(call, **params)
            if reply.status < 300:
                retry_tokens.remember(store, tenancy, token, fingerprint, reply)
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
