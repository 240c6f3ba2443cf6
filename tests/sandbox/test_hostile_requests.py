"""Tampered and malformed requests on the sandbox's HTTP surface (issue 10, defect 3)."""

from __future__ import annotations

import email.utils
import json
import socket
import time

import oci
import pytest
from oci._vendor import requests

from ocmp.sandbox import Sandbox
from ocmp.sandbox.serving import MAX_BODY_BYTES
from tests.sandbox.flows import ready_revision
from tests.sandbox.sdk import client, config

DEMO = "ocid1.tenancy.oc1..aaaaaaaaocmpsandboxdemotenancy"


def _signer(sb: Sandbox) -> oci.signer.Signer:
    cfg = config(sb)
    return oci.signer.Signer(cfg["tenancy"], cfg["user"], cfg["fingerprint"], cfg["key_file"])


def _signed(sb: Sandbox, method: str, path: str, body: bytes | None,
            date: float) -> requests.PreparedRequest:
    prepared = requests.Request(method, sb.endpoint + path, data=body,
                                headers={"content-type": "application/json"}).prepare()
    prepared.headers["date"] = email.utils.formatdate(date, usegmt=True)
    _signer(sb)(prepared)
    return prepared


def _raw(sb: Sandbox, data: bytes, *, half_close: bool = False) -> bytes:
    """Send ``data`` on a new connection; everything the server answers until it closes."""
    with socket.create_connection(("127.0.0.1", sb.port), timeout=10) as sock:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


def test_an_unsigned_current_x_date_does_not_reopen_the_replay_window(sandbox: Sandbox) -> None:
    body = json.dumps({"compartmentId": DEMO, "name": "Replayed", "productCodes": ["x"]}).encode()
    old = _signed(sandbox, "POST", "/20241201/listings", body, time.time() - 400)
    assert "x-date" not in [h.lower() for h in old.headers]
    old.headers["x-date"] = email.utils.formatdate(time.time(), usegmt=True)  # not signed
    with requests.Session() as session:
        answer = session.send(old, timeout=10)
    assert answer.status_code == 401, answer.text
    assert "clock skew" in answer.json()["message"]


def test_a_current_signed_request_still_passes(sandbox: Sandbox) -> None:
    fresh = _signed(sandbox, "GET", f"/20160918/tenancies/{DEMO}", None, time.time())
    with requests.Session() as session:
        assert session.send(fresh, timeout=10).status_code == 200


@pytest.mark.parametrize("lengths", [[b"abc"], [b"-1"], [b"5", b"5"], [b"1" * 40]],
                         ids=["letters", "negative", "twice", "huge-number"])
def test_a_bad_content_length_is_400_and_the_body_is_never_a_second_request(
    sandbox: Sandbox, lengths: list[bytes]
) -> None:
    smuggled = b"GET /_sandbox/stats HTTP/1.1\r\nHost: x\r\n\r\n"
    head = b"POST /20241201/listings HTTP/1.1\r\nHost: x\r\n" + b"".join(
        b"Content-Length: " + n + b"\r\n" for n in lengths)
    answer = _raw(sandbox, head + b"\r\n" + smuggled)
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert answer.count(b"HTTP/1.1 ") == 1  # then closed: the smuggled request is not served


def test_a_body_over_the_limit_is_413_before_it_is_read(sandbox: Sandbox) -> None:
    started = time.monotonic()
    head = (b"PUT /20241201/listingRevisionAttachments/x/content HTTP/1.1\r\nHost: x\r\n"
            b"Content-Length: %d\r\n\r\n" % (MAX_BODY_BYTES + 1))
    answer = _raw(sandbox, head + b"x" * 1000)  # not the body it announced: never read
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert time.monotonic() - started < 5


def test_an_unauthenticated_large_body_is_not_read_at_all(sandbox: Sandbox) -> None:
    # 8 MiB announced, nothing sent: the old server read (and waited for) all of it.
    head = (b"POST /20241201/listings HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % (8 * 1024 * 1024))
    started = time.monotonic()
    answer = _raw(sandbox, head)
    assert answer.startswith(b"HTTP/1.1 401 "), answer[:200]
    assert b"Connection: close" in answer
    assert time.monotonic() - started < 5


def test_a_client_gone_mid_body_is_one_log_line(
    sandbox: Sandbox, capfd: pytest.CaptureFixture[str]
) -> None:
    head = (b"POST /20241201/listings HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n")
    _raw(sandbox, head + b'{"name": "x', half_close=True)
    for _ in range(100):  # the server thread writes its line after answering
        if "went away" in capfd.readouterr().err:
            break
        time.sleep(0.02)
    else:
        pytest.fail("no log line for the disconnect")
    _raw(sandbox, head + b'{"name": "y', half_close=True)
    time.sleep(0.3)
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert len([ln for ln in err.splitlines() if ln.strip()]) == 1, err
    assert "went away in the middle of its request body" in err


def test_a_change_the_state_forbids_is_409_whatever_its_body(sandbox: Sandbox) -> None:
    # The state checks come before the body is read: an unparseable body on a revision under
    # review answers why the change is refused, not that the body is bad.
    sandbox.set_reviewer("manual")
    pub = client(sandbox, oci.marketplace_publisher.MarketplacePublisherClient)
    _, revision, _ = ready_revision(pub)
    package = pub.list_listing_revision_packages(revision).data.items[0].id
    pub.submit_listing_revision_for_review(
        oci.marketplace_publisher.models.SubmitListingRevisionForReviewDetails(), revision)
    for method, path, says in (
            ("PUT", f"/listingRevisions/{revision}", "can be changed"),
            ("PUT", f"/listingRevisionPackages/{package}", "can be changed"),
            ("POST", f"/listingRevisions/{revision}/actions/submitForReview", "submitted"),
            ("POST", f"/listingRevisions/{revision}/actions/publishAsPrivate", "approve")):
        with requests.Session() as session:
            answer = session.send(_signed(sandbox, method, "/20241201" + path, b"{",
                                          time.time()), timeout=10)
        assert (answer.status_code, answer.json()["code"]) == (409, "IncorrectState"), path
        assert says in answer.json()["message"]
    assert pub.get_listing_revision(revision).data.status == "PENDING_REVIEW"
