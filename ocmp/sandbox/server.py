"""The :class:`Sandbox`: state, a threaded werkzeug server on loopback, a throw-away API key
and an OCI config file that points at it."""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from werkzeug.serving import BaseWSGIServer

from ocmp.sandbox.app import SandboxApp
from ocmp.sandbox.core.auth import SANDBOX_USER, fingerprint
from ocmp.sandbox.core.controls import Controls
from ocmp.sandbox.core.faults import Fault
from ocmp.sandbox.core.store import Store
from ocmp.sandbox.keys import KeyPair, key_id, process_key_pair, write_config
from ocmp.sandbox.seed import DEFAULT_REGION, apply_seed, load_seed, tenancy_of
from ocmp.sandbox.services.publisher.models.review import decide
from ocmp.sandbox.serving import close_connections, connections, serve


class Sandbox:
    """A running local emulator of the OCI APIs ocmp uses (see ``docs/sandbox.md``)."""

    def __init__(self, *, state_file: Path | None = None, seed: Any = "demo",
                 config_dir: Path | None = None, host: str = "127.0.0.1", port: int = 0,
                 latency: float = 0.0, review_after_polls: int = 3,
                 profile: str = "DEFAULT", key_pair: KeyPair | None = None) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the sandbox binds to loopback only")
        self.store = Store(Path(state_file) if state_file is not None else None)
        self.controls = Controls(self.store, latency=latency)
        self.app = SandboxApp(self.controls)
        data = load_seed(seed)
        self.tenancy_id = tenancy_of(data)
        if seed is not None and self.store.get(self.tenancy_id, "tenancy", self.tenancy_id) is None:
            apply_seed(self.store, data)  # a state file that already holds it is not re-seeded
        elif seed is None:
            apply_seed(self.store, {"tenancy": {"id": self.tenancy_id}})
        tenancy = data.get("tenancy") or {}
        self.region = str(tenancy.get("home_region") or DEFAULT_REGION)
        self.controls.set_reviewer("auto", review_after_polls, None)
        self._own_config_dir = config_dir is None
        self.config_dir = Path(config_dir) if config_dir else Path(tempfile.mkdtemp("-ocmp-sb"))
        self.profile = profile
        self._pair = key_pair or process_key_pair()
        self.config_file = write_config(self.config_dir, self._pair, self.tenancy_id, self.region,
                                        profile)
        self.controls.keys.register(key_id(self.tenancy_id, self._pair), self._pair.public_pem,
                                    self.tenancy_id)
        self._server: BaseWSGIServer = serve(host, port, self.app)
        self._thread: threading.Thread | None = None
        self.host = host
        self.port = int(self._server.server_port)

    @property
    def endpoint(self) -> str:
        """Base URL to pass as ``service_endpoint=`` / ``--endpoint``."""
        return f"http://{self.host}:{self.port}"

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> Sandbox:
        """Serve in a background thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._server.serve_forever,
                                            kwargs={"poll_interval": 0.1},
                                            name="ocmp-sandbox", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; state on disk is already committed."""
        if self._thread is not None:
            self._server.shutdown()  # only a running serve_forever can acknowledge it
        self._server.server_close()
        close_connections(self._server)  # kept-alive clients must not reach a closed store
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.store.close()
        if self._own_config_dir:
            shutil.rmtree(self.config_dir, ignore_errors=True)

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- control --------------------------------------------------------------------------
    def seed(self, data: Any) -> str:
        """Merge a seed (dict, YAML path or ``"demo"``) into the state."""
        return apply_seed(self.store, load_seed(data))

    def reset(self, seed: Any = "demo") -> None:
        """Drop all state and re-seed; the sandbox's own key stays registered."""
        tenancy = self.app.admin.reset(seed)
        if tenancy is None:
            apply_seed(self.store, {"tenancy": {"id": self.tenancy_id}})

    def add_fault(self, *, method: str = "*", path_regex: str = ".*", status: int = 500,
                  count: int = 1, code: str = "", delay: float = 0.0,
                  drop_connection: bool = False, message: str = "Fault injected by the ocmp "
                  "sandbox") -> None:
        """The next ``count`` requests matching ``method`` and ``path_regex`` get the fault."""
        self.controls.faults.add(Fault(method=method, path_regex=path_regex, status=status,
                                       count=count, code=code, message=message,
                                       delay=delay, drop_connection=drop_connection))

    def clear_faults(self) -> None:
        """Disarm every fault."""
        self.controls.faults.clear()

    def set_reviewer(self, mode: str = "auto", after_polls: int = 3,
                     note: str | None = None) -> None:
        """How the simulated Oracle reviewer treats submitted revisions."""
        self.controls.set_reviewer(mode, after_polls, note)

    def review(self, revision_id: str, decision: str = "approve", note: str | None = None) -> None:
        """Decide a submitted revision now (manual reviewer)."""
        with self.store.transaction():
            decide(self.store, revision_id, decision, note)

    def set_latency(self, seconds: float) -> None:
        """Seconds added to every service request."""
        self.controls.latency = seconds

    def open_connections(self) -> int:
        """Client connections open right now (kept alive between requests)."""
        return len(connections(self._server))

    def stats(self) -> dict[str, Any]:
        """Request counters: ``requests``, ``writes``, ``by_route``."""
        return self.controls.stats.view()

    def reset_stats(self) -> None:
        """Zero the request counters."""
        self.controls.stats.reset()

    def add_key(self, public_pem: str, key_id: str | None = None,
                tenancy_id: str | None = None) -> str:
        """Register another API key; returns the ``keyId`` it must sign with."""
        tenancy = tenancy_id or self.tenancy_id
        ident = key_id or f"{tenancy}/{SANDBOX_USER}/{fingerprint(public_pem.encode())}"
        if self.store.get(tenancy, "tenancy", tenancy) is None:
            apply_seed(self.store, {"tenancy": {"id": tenancy}})
        self.controls.keys.register(ident, public_pem, tenancy)
        return ident

    def add_session_token(self, public_pem: str, *, tenancy_id: str | None = None,
                          ttl_seconds: int = 3600) -> str:
        """Issue a session token (what ``oci session authenticate`` writes to
        ``security_token_file``) for the holder of ``public_pem``; the SDK's
        ``SecurityTokenSigner`` and resource principal signers sign with ``ST$<token>``."""
        tenancy = tenancy_id or self.tenancy_id
        if self.store.get(tenancy, "tenancy", tenancy) is None:
            apply_seed(self.store, {"tenancy": {"id": tenancy}})
        return self.controls.add_session_token(public_pem, tenancy, ttl_seconds)
