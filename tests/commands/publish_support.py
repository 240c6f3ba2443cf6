"""Helpers for the end-to-end publish tests: a fast environment and a live inventory."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from ocmp.clients import AuthSettings, Clients, ClientSettings
from ocmp.clients.publisher import PublisherApi
from ocmp.sandbox import Sandbox


def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """Poll and back off in milliseconds, so the sandbox's asynchrony costs little."""
    monkeypatch.setenv("OCMP_POLL_INTERVAL", "0.01")
    monkeypatch.setenv("OCMP_RETRY_BASE_DELAY", "0.005")
    monkeypatch.setenv("OCMP_RETRY_MAX_ATTEMPTS", "12")


def api_for(sb: Sandbox) -> PublisherApi:
    """Our Publisher client on the sandbox, for looking at the state a test left."""
    auth = AuthSettings(config_file=Path(sb.config_file), profile=sb.profile)
    clients = Clients(ClientSettings(auth=auth, endpoint=sb.endpoint))
    return clients.get(PublisherApi)


def inventory(sb: Sandbox) -> dict[str, Any]:
    """Every Publisher resource of the demo tenancy, counted, plus the revisions' states."""
    api = api_for(sb)
    t = sb.tenancy_id
    listings = api.find_listings(t)
    revisions = [r for listing in listings for r in api.list_revisions(listing.id)]
    # package summaries have no isDefault in the SDK: read each package
    packages = [api.get_package(p.id) for r in revisions for p in api.list_packages(r.id)]
    attachments = [a for r in revisions for a in api.list_attachments(r.id)]
    terms = api.find_terms(t)
    versions = [v for term in terms for v in api.list_term_versions(term.id)]
    return {
        "listings": Counter(x.name for x in listings),
        "revisions": len(revisions),
        "revision_statuses": sorted(str(r.status) for r in revisions),
        "packages": len(packages),
        "package_versions": sorted(
            (str(p.version), p.is_default) for p in packages
        ),
        "attachments": len(attachments),
        "artifacts": len(api.find_artifacts(t)),
        "terms": len(terms),
        "term_versions": len(versions),
    }


def rm_stacks(sb: Sandbox) -> list[Any]:
    """Resource Manager stacks of the demo tenancy (SDK models)."""
    import oci

    auth = AuthSettings(config_file=Path(sb.config_file), profile=sb.profile)
    rm = Clients(ClientSettings(auth=auth, endpoint=sb.endpoint)).sdk_client("resource_manager")
    return list(
        oci.pagination.list_call_get_all_results(rm.list_stacks, compartment_id=sb.tenancy_id).data
    )


def writes(sb: Sandbox) -> int:
    """Write requests the sandbox has served so far."""
    return int(sb.stats()["writes"])


def write_routes(sb: Sandbox) -> dict[str, int]:
    """Non-GET routes served so far, with counts."""
    return {k: v for k, v in sb.stats()["by_route"].items() if not k.startswith("GET ")}


def set_field(listing: Path, old: str, new: str) -> None:
    """Edit listing.yaml textually (as a user would)."""
    text = listing.read_text()
    assert old in text, old
    listing.write_text(text.replace(old, new))


def bump_version(listing: Path, new: str, extra: str = "") -> None:
    """Release ``new``: package.version and listing.version.number (LST006 wants them equal),
    with ``extra`` lines added under ``package:`` (e.g. keep_published)."""
    text = listing.read_text()
    old = re.search(r'^  version: "([^"]+)"$', text, re.M)
    assert old, "package.version not found"
    set_field(listing, f'version: "{old.group(1)}"', f'version: "{new}"{extra}')
    set_field(listing, f'number: "{old.group(1)}"', f'number: "{new}"')


class ThrottlingProxy:
    """A loopback HTTP proxy in front of the sandbox answering a share of requests with 429.

    Requests are forwarded byte for byte (the Host header too, so OCI signatures still
    verify); a seeded random draw decides which ones get ``429 TooManyRequests`` instead.
    """

    def __init__(self, upstream: str, share: float, seed: int = 6) -> None:
        import http.client
        import random
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import urlsplit

        target = urlsplit(upstream)
        draw = random.Random(seed)
        lock = threading.Lock()
        self.throttled = 0
        self.forwarded = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else None
                with lock:
                    throttle = draw.random() < share
                    if throttle:
                        proxy.throttled += 1
                    else:
                        proxy.forwarded += 1
                if throttle:
                    payload = b'{"code": "TooManyRequests", "message": "slow down"}'
                    self.send_response(429)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                conn.request(self.command, self.path, body=body, headers=dict(self.headers))
                resp = conn.getresponse()
                data = resp.read()
                self.send_response(resp.status)
                for key, value in resp.getheaders():
                    if key.lower() not in {"transfer-encoding", "connection", "content-length"}:
                        self.send_header(key, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = do_PUT = do_DELETE = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()
