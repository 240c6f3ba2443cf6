"""The HTTP side: werkzeug's threaded server with a request handler that keeps connections
alive.

werkzeug's own handler answers ``Connection: close`` to every request and then waits on the
socket to drain it, so every SDK call paid for a new TCP connection, a new server thread and
that wait. The OCI SDK keeps a pooled ``requests`` session per client and reuses its
connection when the server allows it; this handler does: each response goes out in one write
with its ``Content-Length``, an unread request body is skipped so the next request line is
where the client put it, and the connection stays open (HTTP/1.1) unless the client asked to
close, sent a chunked body, or the sandbox is stopping.
"""

from __future__ import annotations

import re
import socket
import sys
from collections.abc import Iterable
from typing import IO, Any, cast

from werkzeug.exceptions import ClientDisconnected
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wsgi import LimitedStream

IDLE_SECONDS = 120
"""An idle kept-alive connection is closed after this long (its thread ends)."""

MAX_BODY_BYTES = 64 * 1024 * 1024
"""A request body larger than this is refused with 413 before it is read (docs/sandbox.md)."""

DRAIN_BYTES = 1024 * 1024
"""An unread body (a refused request) up to this size is skipped to keep the connection;
a larger one is not read at all: the connection is closed instead."""

_LENGTH = re.compile(r"[0-9]{1,18}")

_NO_BODY = frozenset({204, 304})


class KeepAliveHandler(WSGIRequestHandler):
    """werkzeug's handler, minus the log line per request, plus keep-alive."""

    protocol_version = "HTTP/1.1"
    timeout = IDLE_SECONDS
    disable_nagle_algorithm = True  # a response is one write: nothing to coalesce

    def setup(self) -> None:
        super().setup()
        connections(self.server).add(self.connection)

    def finish(self) -> None:
        connections(self.server).discard(self.connection)
        super().finish()

    def parse_request(self) -> bool:
        """The request line and headers, without the ``email`` package.

        ``http.server`` parses headers with ``email.parser``, which cost a third of the
        sandbox's CPU per request; OCI requests need plain ``Name: value`` lines only.
        """
        self.command = None  # type: ignore[assignment]
        self.request_version = "HTTP/1.1"  # so that even a bad request line gets a status line
        self.close_connection = True
        self.requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        words = self.requestline.split()
        if len(words) != 3 or not words[2].startswith("HTTP/1."):
            self.send_error(400, f"Bad request line {self.requestline!r}")
            return False
        self.command, self.path, self.request_version = words
        if self.path.startswith("//"):
            self.path = "/" + self.path.lstrip("/")
        pairs = _read_headers(self.rfile)
        if pairs is None:
            self.send_error(431, "Too many or too long header lines")
            return False
        self.headers = _Headers(pairs)  # type: ignore[assignment]
        connection = (self.headers.get("Connection") or "").lower()
        self.close_connection = self.request_version == "HTTP/1.0" or connection == "close"
        problem = _framing_problem(pairs)
        if problem is not None:
            # A body whose end is unknown would be read as the next request: answer, close.
            self.close_connection = True
            self.send_error(*problem)
            return False
        if (self.headers.get("Expect") or "").lower() == "100-continue":
            return self.handle_expect_100()
        return True

    def run_wsgi(self) -> None:
        environ = self.make_environ()
        chunked = bool(environ.get("wsgi.input_terminated"))
        body_in: LimitedStream | None = None
        if not chunked:
            length = environ.get("CONTENT_LENGTH", "")
            body_in = LimitedStream(cast("IO[bytes]", self.rfile),
                                    int(length) if length.isdigit() else 0)
            environ["wsgi.input"] = body_in
        started: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]],
                           exc_info: Any = None) -> Any:
            started[:] = [status, headers]
            return self.wfile.write  # the sandbox never streams; here for WSGI's sake

        try:
            chunks: Iterable[bytes] = self.server.app(environ, start_response)
            try:
                body = b"".join(chunks)
            finally:
                close = getattr(chunks, "close", None)
                if close is not None:
                    close()
            drained = True
            if body_in is not None and not body_in.is_exhausted:
                # A body the app did not read must not become the next request: skip a
                # small one, close the connection rather than read a large one.
                drained = body_in.limit - body_in._pos <= DRAIN_BYTES
                if drained:
                    body_in.exhaust()
        except ClientDisconnected:
            self._dropped("the client went away in the middle of its request body")
            return
        keep = (drained and not chunked and not self.close_connection
                and not getattr(self.server, "stopping", False))
        self.close_connection = not keep
        self._send(started[0], started[1], body, keep)

    def _dropped(self, why: str) -> None:
        """One line, no traceback, no answer: the other end is gone."""
        self.close_connection = True
        sys.stderr.write(f"ocmp sandbox: {self.command} {self.path}: {why}\n")

    def _send(self, status: str, headers: list[tuple[str, str]], body: bytes,
              keep: bool) -> None:
        code = int(status.split(" ", 1)[0])
        lines = [f"HTTP/1.1 {status}", f"Server: {self.version_string()}",
                 f"Date: {self.date_time_string()}"]
        lines += [f"{k}: {v}" for k, v in headers
                  if k.lower() not in ("content-length", "connection", "transfer-encoding")]
        if code not in _NO_BODY:
            lines.append(f"Content-Length: {len(body)}")
        else:
            body = b""
        if not keep:
            lines.append("Connection: close")
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return

    def log(self, type: str, message: str, *args: Any) -> None:
        if type == "error" and not message.startswith("Request timed out"):
            super().log(type, message, *args)


_MAX_LINE, _MAX_HEADERS = 65536, 100


def _framing_problem(pairs: list[tuple[str, str]]) -> tuple[int, str] | None:
    """Why the end of the body cannot be trusted (400), or why it is refused unread (413)."""
    lengths = [v for k, v in pairs if k.lower() == "content-length"]
    chunked = any(k.lower() == "transfer-encoding" for k, _ in pairs)
    if len(lengths) > 1:
        return 400, "More than one Content-Length header"
    if lengths and chunked:
        return 400, "Both Content-Length and Transfer-Encoding"
    if lengths and not _LENGTH.fullmatch(lengths[0]):
        return 400, f"Bad Content-Length {lengths[0][:40]!r}"
    if lengths and int(lengths[0]) > MAX_BODY_BYTES:
        return 413, f"The body is larger than the {MAX_BODY_BYTES >> 20} MiB the sandbox takes"
    return None


def _read_headers(stream: Any) -> list[tuple[str, str]] | None:
    """``(name, value)`` pairs up to the blank line; None when there are too many or too long."""
    pairs: list[tuple[str, str]] = []
    while True:
        line = stream.readline(_MAX_LINE + 1)
        if len(line) > _MAX_LINE or len(pairs) > _MAX_HEADERS:
            return None
        if line in (b"\r\n", b"\n", b""):
            return pairs
        text = line.decode("iso-8859-1").rstrip("\r\n")
        if text[:1] in (" ", "\t") and pairs:  # obsolete line folding
            name, value = pairs[-1]
            pairs[-1] = (name, f"{value} {text.strip()}")
            continue
        name, _, value = text.partition(":")
        pairs.append((name.strip(), value.strip()))


class _Headers:
    """The request headers as ``http.server`` and werkzeug's ``make_environ`` read them."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = pairs
        self._first: dict[str, str] = {}
        for name, value in pairs:
            self._first.setdefault(name.lower(), value)

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._first.get(name.lower(), default)

    def __getitem__(self, name: str) -> str | None:
        return self._first.get(name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._first

    def get_all(self, name: str, failobj: Any = None) -> Any:
        found = [v for k, v in self._pairs if k.lower() == name.lower()]
        return found or failobj

    def items(self) -> list[tuple[str, str]]:
        return list(self._pairs)


def connections(server: Any) -> set[socket.socket]:
    """The open client connections of a server made by :func:`serve`."""
    found: set[socket.socket] = server.open_connections
    return found


def serve(host: str, port: int, app: Any) -> BaseWSGIServer:
    """A threaded server for ``app`` on ``host:port`` (not started)."""
    server = make_server(host, port, app, threaded=True, request_handler=KeepAliveHandler)
    server.open_connections = set()  # type: ignore[attr-defined]
    return server


def close_connections(server: BaseWSGIServer) -> None:
    """Refuse further requests on kept-alive connections and cut them (the sandbox stops)."""
    server.stopping = True  # type: ignore[attr-defined]
    for sock in list(connections(server)):
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
