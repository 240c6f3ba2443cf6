"""The HTTP side: kept-alive connections, unread bodies, bad requests, stopping."""

from __future__ import annotations

import http.client
import json
from contextlib import closing

import oci
import pytest

from ocmp.sandbox import Sandbox
from tests.sandbox.sdk import client

DEMO = "ocid1.tenancy.oc1..aaaaaaaaocmpsandboxdemotenancy"


def _connection(sb: Sandbox) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", sb.port, timeout=10)


def test_one_connection_serves_many_requests_even_with_unread_bodies(sandbox: Sandbox) -> None:
    body = json.dumps({"compartmentId": DEMO, "name": "x" * 5000})
    with closing(_connection(sandbox)) as conn:
        for _ in range(3):
            # Unsigned: refused before the body is read; the body must still be skipped.
            conn.request("POST", "/20241201/listings", body=body,
                         headers={"content-type": "application/json"})
            response = conn.getresponse()
            assert response.status == 401
            assert json.loads(response.read())["code"] == "NotAuthenticated"
            assert response.getheader("connection") is None  # kept alive
            assert int(response.getheader("content-length") or -1) > 0
        conn.request("GET", "/_sandbox/stats")
        answer = conn.getresponse()
        assert answer.status == 200 and "requests" in json.loads(answer.read())
        assert sandbox.open_connections() == 1


def test_connection_close_is_honoured(sandbox: Sandbox) -> None:
    with closing(_connection(sandbox)) as conn:
        conn.request("GET", "/_sandbox/stats", headers={"connection": "close"})
        response = conn.getresponse()
        assert response.getheader("connection") == "close"
        assert response.status == 200 and response.read()
        assert response.will_close


def test_no_content_answers_carry_no_body(sandbox: Sandbox) -> None:
    with closing(_connection(sandbox)) as conn:
        conn.request("DELETE", "/_sandbox/faults")
        response = conn.getresponse()
        assert (response.status, response.read(), response.getheader("content-length")) == (
            204, b"", None)
        conn.request("GET", "/_sandbox/stats")  # the connection is still in step
        assert conn.getresponse().status == 200


@pytest.mark.parametrize(("raw", "status"), [
    (b"NONSENSE\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\n" + b"".join(b"x-h%d: v\r\n" % i for i in range(150)) + b"\r\n", 431),
])
def test_malformed_requests_get_a_status_not_a_hang(sandbox: Sandbox, raw: bytes,
                                                    status: int) -> None:
    import socket

    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=10) as sock:
        sock.sendall(raw)
        assert sock.recv(100).startswith(f"HTTP/1.1 {status} ".encode())


def test_the_sdk_reuses_its_connection_and_stop_cuts_it() -> None:
    sandbox = Sandbox().start()
    identity = client(sandbox, oci.identity.IdentityClient)
    try:
        for _ in range(5):
            assert identity.get_tenancy(DEMO).status == 200
        assert sandbox.open_connections() == 1
        assert sandbox.stats()["requests"] == 5
    finally:
        sandbox.stop()
    # A stopped sandbox refuses or resets: never an answer from a closed store.
    with pytest.raises(oci.exceptions.RequestException):
        identity.get_tenancy(DEMO)
