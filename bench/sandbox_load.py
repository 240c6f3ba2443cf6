"""Load on the sandbox: many concurrent real SDK clients, signed requests per second, p99.

Usage: ``.venv/bin/python bench/sandbox_load.py [--processes 2] [--threads 8]
[--seconds 10] [--state FILE] [--server werkzeug|cheroot|waitress]``

The sandbox runs in this process; client processes each run threads with their own
``MarketplacePublisherClient``. Every thread mixes reads (get/list of listings, work
requests) with creates (one write in five: a listing with a unique name). Afterwards every
created listing is read back, so "lost writes" counts creates that cannot be read; the
server's own request counter must match the clients'.

``--server`` serves the same WSGI application with another HTTP server, to measure whether
a well-kept one could replace ``ocmp/sandbox/serving.py`` (``pip install cheroot waitress``
first; they are not dependencies of ocmp). The README's sandbox section has the figures.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

DEMO = "ocid1.tenancy.oc1..aaaaaaaaocmpsandboxdemotenancy"


def _client(config_file: str, endpoint: str) -> Any:
    import oci

    config = oci.config.from_file(config_file, "DEFAULT")
    return oci.marketplace_publisher.MarketplacePublisherClient(
        config, service_endpoint=endpoint, retry_strategy=oci.retry.NoneRetryStrategy(),
        circuit_breaker_strategy=oci.circuit_breaker.NoCircuitBreakerStrategy())


def _thread(config_file: str, endpoint: str, deadline: float, out: dict[str, Any]) -> None:
    from oci.marketplace_publisher import models as m

    pub = _client(config_file, endpoint)
    latencies: list[float] = []
    created: list[str] = []
    errors: list[str] = []
    known: str | None = None
    step = 0
    while time.perf_counter() < deadline:
        step += 1
        start = time.perf_counter()
        try:
            if step % 5 == 1 or known is None:
                listing = pub.create_listing(m.CreateListingDetails(
                    compartment_id=DEMO, name=f"load-{uuid.uuid4().hex}",
                    listing_type="OCI_APPLICATION", package_type="STACK")).data
                created.append(listing.id)
                known = listing.id
            elif step % 5 == 2:
                pub.list_products(compartment_id=DEMO)
            else:
                pub.get_listing(known)
        except Exception as exc:  # counted and reported, never hidden
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
        latencies.append(time.perf_counter() - start)
    out.update(latencies=latencies, created=created, errors=errors,
               connections=_connections_opened(pub))


def _connections_opened(client: Any) -> int:
    """TCP connections the client's pool opened (1 when the server keeps it alive)."""
    adapter = client.base_client.session.get_adapter("http://")
    return sum(pool.num_connections for pool in adapter.poolmanager.pools._container.values())


def _worker(config_file: str, endpoint: str, threads: int, seconds: float,
            queue: Any) -> None:
    import oci.marketplace_publisher  # noqa: F401  (import before the clock starts)

    cpu_start = time.process_time()
    deadline = time.perf_counter() + seconds
    results: list[dict[str, Any]] = [{} for _ in range(threads)]
    pool = [threading.Thread(target=_thread, args=(config_file, endpoint, deadline, results[i]))
            for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put({"latencies": [x for r in results for x in r["latencies"]],
               "created": [x for r in results for x in r["created"]],
               "errors": [x for r in results for x in r["errors"]],
               "connections": sum(r["connections"] for r in results),
               "cpu": time.process_time() - cpu_start})


class _OtherServer:
    """``app`` served by cheroot or waitress on an ephemeral loopback port, in a thread."""

    def __init__(self, kind: str, app: Any, threads: int) -> None:
        self.kind = kind
        if kind == "cheroot":
            from cheroot.wsgi import Server

            self._server: Any = Server(("127.0.0.1", 0), app, numthreads=threads)
            self._server.prepare()
            self.port = int(self._server.bind_addr[1])
            target = self._server.serve
        else:
            from waitress.server import create_server

            self._server = create_server(app, host="127.0.0.1", port=0, threads=threads)
            self.port = int(self._server.effective_port)
            target = self._server.run
        self._thread = threading.Thread(target=target, daemon=True, name=f"bench-{kind}")
        self._thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.kind == "cheroot":
            self._server.stop()
        else:
            self._server.close()
            self._server.task_dispatcher.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--state", type=Path, default=None, help="SQLite state file")
    parser.add_argument("--server", choices=("werkzeug", "cheroot", "waitress"),
                        default="werkzeug", help="HTTP server in front of the sandbox's WSGI app")
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from ocmp.sandbox import Sandbox

    context = multiprocessing.get_context("spawn")
    with Sandbox(state_file=args.state) as sb:
        other = (_OtherServer(args.server, sb.app, args.processes * args.threads)
                 if args.server != "werkzeug" else None)
        endpoint = other.endpoint if other is not None else sb.endpoint
        queue = context.Queue()
        workers = [context.Process(target=_worker, args=(str(sb.config_file), endpoint,
                                                          args.threads, args.seconds, queue))
                   for _ in range(args.processes)]
        # Let the spawned interpreters import the SDK before the clock starts.
        for worker in workers:
            worker.start()
        cpu_start = time.process_time()
        parts = [queue.get() for _ in workers]
        server_cpu = time.process_time() - cpu_start
        for worker in workers:
            worker.join()
        served = sb.stats()["requests"]
        latencies = sorted(x for p in parts for x in p["latencies"])
        created = [x for p in parts for x in p["created"]]
        errors = [x for p in parts for x in p["errors"]]
        reader = _client(str(sb.config_file), endpoint)
        lost = 0
        for listing_id in created:
            try:
                reader.get_listing(listing_id)
            except Exception:
                lost += 1
        if other is not None:
            other.stop()
    total = len(latencies)
    p50 = statistics.median(latencies) * 1000 if latencies else 0.0
    p99 = latencies[int(0.99 * (total - 1))] * 1000 if latencies else 0.0
    mode = f"state file {args.state}" if args.state else "in memory"
    print(f"sandbox load ({args.server}): {args.processes} processes × {args.threads} "
          f"threads, {args.seconds:.0f} s, {mode}")
    print(f"requests {total} (server counted {served}), errors {len(errors)}, "
          f"creates {len(created)}, lost writes {lost}")
    print(f"throughput {total / args.seconds:.0f} signed requests/s, "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    opened = sum(p["connections"] for p in parts)
    print(f"connections opened {opened} by {args.processes * args.threads} clients "
          f"({total / max(opened, 1):.0f} requests per connection: keep-alive "
          f"{'held' if opened <= args.processes * args.threads else 'lost'})")
    server_ms = server_cpu * 1000 / max(total, 1)
    client_ms = sum(p["cpu"] for p in parts) * 1000 / max(total, 1)
    print(f"CPU per request: sandbox {server_ms:.2f} ms, SDK clients {client_ms:.2f} ms "
          f"→ CPU-bound ceiling on 2 idle cores ≈ {2000 / (server_ms + client_ms):.0f}/s "
          f"(sandbox alone ≈ {1000 / server_ms:.0f}/s)")
    print(f"machine load average during the run: {os.getloadavg()[0]:.1f}")
    for message in sorted(set(errors))[:5]:
        print(f"  error: {message}")
    return 0 if not errors and not lost and served == total else 1


if __name__ == "__main__":
    raise SystemExit(main())
