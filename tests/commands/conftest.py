"""Command tests: ocmp's own retries stay bounded and fast."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import fast
from tests.conftest import RunCli


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Back off for milliseconds, not seconds, when a test injects 429s or 5xx.

    The schedule and the bounds themselves are tested in tests/core/publish/test_retry.py;
    a test that counts attempts sets ``OCMP_RETRY_MAX_ATTEMPTS`` itself.
    """
    if "OCMP_RETRY_BASE_DELAY" not in os.environ:
        monkeypatch.setenv("OCMP_RETRY_BASE_DELAY", "0.002")


@pytest.fixture
def project(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Path:
    """A new image listing project (``ocmp init``) beside a sandbox, polling fast: what most
    publish tests start from (a module that needs another project defines its own)."""
    fast(monkeypatch)
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    return tmp_path / "img"
