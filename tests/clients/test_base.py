"""Pure helpers of the client base: polling with a deadline."""

from __future__ import annotations

import pytest

from ocmp.clients._base import wait_until
from ocmp.errors import CloudError


def test_wait_until_returns_the_first_result_that_is_done() -> None:
    reads = iter(["ACCEPTED", "IN_PROGRESS", "SUCCEEDED", "never read"])
    seen: list[str] = []

    def read() -> str:
        seen.append(next(reads))
        return seen[-1]

    result = wait_until(read, lambda s: s == "SUCCEEDED", timeout=5, interval=0.01)
    assert result == "SUCCEEDED"
    assert seen == ["ACCEPTED", "IN_PROGRESS", "SUCCEEDED"]


def test_wait_until_gives_up_at_the_deadline_with_a_cloud_error() -> None:
    calls = 0

    def read() -> int:
        nonlocal calls
        calls += 1
        return calls

    with pytest.raises(CloudError) as caught:
        wait_until(read, lambda _: False, timeout=0.2, interval=0.05, what="work request wr1")
    assert "work request wr1 did not finish within 0.2 s" in caught.value.message
    assert 2 <= calls <= 5  # backs off: 0.05, 0.1, … never past the deadline
