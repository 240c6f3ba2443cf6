"""A listing.yaml whose kind disagrees with the live listing of that name stops before any write."""

from __future__ import annotations

import json

import pytest

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import fast, rm_stacks, writes
from tests.conftest import RunCli


@pytest.mark.parametrize("command", ["publish", "plan"])
def test_stack_listing_named_like_an_image_listing_writes_nothing(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    fast(monkeypatch)
    for kind in ("image", "stack"):
        made = run_cli("init", kind, "--kind", kind, "--non-interactive", "--name", "Acme Twin")
        assert made.exit_code == 0
    assert run_cli("publish", "image").exit_code == 0
    before = writes(sandbox_env)
    result = run_cli(command, "stack", "--format", "json")
    assert result.exit_code == 4
    assert "exists with package type MACHINE_IMAGE, but listing.yaml is kind stack" in (
        result.stderr
    )
    report = json.loads(result.stdout)
    assert report["changes"] == [] and report["calls"]["writes"] == 0
    # It used to create the Resource Manager stack, a term version and a STACK artifact first.
    assert writes(sandbox_env) == before
    assert rm_stacks(sandbox_env) == []
