"""Two listings that ship the same content each get their own resources (distinct retry tokens)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import fast, rm_stacks
from tests.conftest import RunCli


def test_two_stack_listings_with_the_same_terraform_both_publish(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast(monkeypatch)
    for name in ("Acme One", "Acme Two"):
        made = run_cli("init", name.split()[1], "--kind", "stack", "--non-interactive",
                       "--name", name)
        assert made.exit_code == 0
    # Same Terraform, same zip bytes: the second create used to reuse the first one's
    # opc-retry-token with another stack name → 409 InvalidatedRetryToken, exit 4.
    same = Path("One/terraform/compute.tf").read_bytes()
    assert same == Path("Two/terraform/compute.tf").read_bytes()
    first = run_cli("publish", "One", "--format", "json")
    assert first.exit_code == 0, first.stderr
    second = run_cli("publish", "Two", "--format", "json")
    assert second.exit_code == 0, second.stderr
    ids = [json.loads(r.stdout)["ids"]["stack"] for r in (first, second)]
    assert ids[0] != ids[1]
    assert sorted(s.display_name.split(" 1.0.0")[0] for s in rm_stacks(sandbox_env)) == [
        "Acme One", "Acme Two"]


def test_the_same_document_under_two_file_names_gives_two_term_versions(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast(monkeypatch)
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    assert run_cli("terms", "push", "img").exit_code == 0
    listing = Path("img/listing.yaml")
    Path("img/terms/eula.md").rename("img/terms/license.md")
    listing.write_text(listing.read_text().replace("terms/eula.md", "terms/license.md"))
    pushed = run_cli("terms", "push", "img")
    assert pushed.exit_code == 0, pushed.stderr  # was 409 InvalidatedRetryToken
    versions = json.loads(run_cli("terms", "list", "img", "--all", "--format", "json").stdout)
    names = sorted(v["name"].split()[0] for v in versions["terms"][0]["versions"])
    assert names == ["eula.md", "license.md"]
