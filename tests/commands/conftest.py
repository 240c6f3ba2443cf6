"""Command tests: ocmp's own retries stay bounded and fast."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Back off for milliseconds, not seconds, when a test injects 429s or 5xx.

    The schedule and the bounds themselves are tested in tests/core/publish/test_retry.py;
    a test that counts attempts sets ``OCMP_RETRY_MAX_ATTEMPTS`` itself.
    """
    if "OCMP_RETRY_BASE_DELAY" not in os.environ:
        monkeypatch.setenv("OCMP_RETRY_BASE_DELAY", "0.002")
