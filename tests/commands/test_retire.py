"""`ocmp withdraw`, `ocmp unpublish`, `ocmp delete`, `package.keep_published` and
`ocmp status --all`, through the CLI against the sandbox (the consumer side read back with
the real SDK)."""

from __future__ import annotations

import json
from pathlib import Path

import oci

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import api_for, bump_version, inventory, set_field
from tests.conftest import RunCli
from tests.sandbox.sdk import client


def run_json(run_cli: RunCli, *args: str, code: int = 0) -> dict:
    result = run_cli(*args, "--format", "json")
    assert result.exit_code == code, result.stderr
    return json.loads(result.stdout)


def consumer(sb: Sandbox) -> list[tuple[str, list[str]]]:
    """The consumer Marketplace as a customer of the demo tenancy sees it: (name, versions)."""
    market = client(sb, oci.marketplace.MarketplaceClient)
    found = []
    for listing in market.list_listings(compartment_id=sb.tenancy_id).data:
        packages = market.list_packages(listing.id, compartment_id=sb.tenancy_id).data
        found.append((listing.name, sorted(p.package_version for p in packages)))
    return found


def two_versions(run_cli: RunCli, project: Path) -> None:
    """Publish 1.0.0, then 1.1.0: the revision then holds both, 1.1.0 the default."""
    run_json(run_cli, "publish", "img", "--private")
    bump_version(project / "listing.yaml", "1.1.0")
    run_json(run_cli, "publish", "img", "--private")


def test_withdraw_takes_the_listing_off_the_marketplace_once(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    run_json(run_cli, "publish", "img", "--private")
    assert consumer(sandbox_env) == [("Acme Demo App", ["1.0.0"])]

    plan = run_json(run_cli, "withdraw", "img", "--dry-run")
    assert plan["dry_run"] and [c["action"] for c in plan["changes"]] == ["withdraw"]
    assert plan["calls"]["writes"] == 0 and consumer(sandbox_env) != []

    done = run_json(run_cli, "withdraw", "img")
    assert [c["action"] for c in done["changes"]] == ["withdraw"]
    assert done["statuses"]["revision"] == "UNPUBLISHED"
    assert consumer(sandbox_env) == []  # the consumer listing is gone

    again = run_json(run_cli, "withdraw", "img")
    assert again["up_to_date"] and again["calls"]["writes"] == 0


def test_unpublish_retires_one_version_and_never_the_default(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    two_versions(run_cli, project)
    assert consumer(sandbox_env) == [("Acme Demo App", ["1.0.0", "1.1.0"])]

    refused = run_cli("unpublish", "img", "--package-version", "1.1.0")
    assert refused.exit_code == 3
    assert "1.1.0 is the listing's default package" in refused.stderr
    unknown = run_cli("unpublish", "img", "--package-version", "9.9.9")
    assert unknown.exit_code == 3 and "1.0.0, 1.1.0" in unknown.stderr
    # Under --format json the refusal is the contract's error document (validated by
    # run_cli against the unpublish schema), still naming what to do.
    as_doc = run_json(run_cli, "unpublish", "img", "--package-version", "1.1.0", code=3)
    assert (as_doc["command"], as_doc["outcome"], as_doc["error"]["type"]) == (
        "unpublish", "error", "input")
    assert "default package" in as_doc["error"]["message"]
    assert consumer(sandbox_env) == [("Acme Demo App", ["1.0.0", "1.1.0"])]

    done = run_json(run_cli, "unpublish", "img", "--package-version", "1.0.0")
    assert [(c["action"], c["target"]) for c in done["changes"]] == [
        ("unpublish", "package 1.0.0")
    ]
    assert consumer(sandbox_env) == [("Acme Demo App", ["1.1.0"])]
    again = run_json(run_cli, "unpublish", "img", "--package-version", "1.0.0")
    assert again["up_to_date"]

    # status hides the retired package unless asked
    hidden = run_json(run_cli, "status", "img")
    assert [p["version"] for p in hidden["packages"]] == ["1.1.0"] and hidden["hidden"] >= 1
    shown = run_json(run_cli, "status", "img", "--all")
    assert sorted((p["version"], p["status"]) for p in shown["packages"]) == [
        ("1.0.0", "UNPUBLISHED"),
        ("1.1.0", "PUBLISHED_AS_PRIVATE"),
    ]
    assert len(shown["revisions"]) == 2 and len(hidden["revisions"]) == 1
    human = run_cli("status", "img")
    assert (f"{hidden['hidden']} older entries (withdrawn revisions, unpublished packages) "
            "not shown; --all shows them") in human.stdout


def test_keep_published_retires_the_older_versions_after_a_publish(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    run_json(run_cli, "publish", "img", "--private")
    bump_version(project / "listing.yaml", "1.1.0", "\n  keep_published: 1")
    report = run_json(run_cli, "publish", "img", "--private")
    assert ("unpublish", "package 1.0.0") in [(c["action"], c["target"]) for c in report["changes"]]
    assert report["steps"]["retire"] == "done"
    assert consumer(sandbox_env) == [("Acme Demo App", ["1.1.0"])]
    again = run_json(run_cli, "publish", "img", "--private")
    assert again["up_to_date"], again["changes"]


def test_keep_published_must_keep_the_version_being_published(
    run_cli: RunCli, project: Path
) -> None:
    set_field(
        project / "listing.yaml", 'version: "1.0.0"', 'version: "1.0.0"\n  keep_published: ["0.9"]'
    )
    result = run_cli("validate", "img")
    assert result.exit_code in (1, 3)
    assert "keep_published must include this package's version 1.0.0" in (
        result.stdout + result.stderr
    )


def test_delete_needs_the_name_and_refuses_a_published_listing(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    run_json(run_cli, "publish", "img", "--private")
    unconfirmed = run_cli("delete", "img")
    assert unconfirmed.exit_code == 2 and "--confirm 'Acme Demo App'" in unconfirmed.stderr
    wrong = run_cli("delete", "img", "--confirm", "Acme")
    assert wrong.exit_code == 3 and "needs its name as confirmation" in wrong.stderr
    published = run_cli("delete", "img", "--confirm", "Acme Demo App")
    assert published.exit_code == 4 and "withdraw it first" in published.stderr
    assert "delete 'Acme Demo App' (delete): 1 step\n" in published.stderr  # progress off a TTY
    assert inventory(sandbox_env)["listings"] == {"Acme Demo App": 1}

    run_json(run_cli, "withdraw", "img")
    plan = run_json(run_cli, "delete", "img", "--dry-run")
    assert [c["action"] for c in plan["changes"]] == ["delete"]
    assert inventory(sandbox_env)["listings"] == {"Acme Demo App": 1}
    done = run_json(run_cli, "delete", "img", "--confirm", "Acme Demo App")
    assert done["statuses"]["listing"] == "DELETED"
    assert inventory(sandbox_env)["listings"] == {}
    again = run_json(run_cli, "delete", "img", "--confirm", "Acme Demo App")
    assert again["up_to_date"]


def test_withdraw_of_a_listing_that_does_not_exist_is_a_cloud_error(
    run_cli: RunCli, project: Path
) -> None:
    result = run_cli("withdraw", "img")
    assert result.exit_code == 4 and "no listing named 'Acme Demo App'" in result.stderr


def test_a_withdraw_left_in_flight_is_resumed_not_reissued(
    run_cli: RunCli, project: Path, sandbox_env: Sandbox
) -> None:
    """What the crash matrix checks in a subprocess, here in-process: a withdraw whose
    work request was started (and never journaled) is waited for, not sent again."""
    run_json(run_cli, "publish", "img", "--private")
    api = api_for(sandbox_env)
    listing = api.find_listings(sandbox_env.tenancy_id, "Acme Demo App")[0]
    revision = api.list_revisions(listing.id)[0]
    api.withdraw(revision.id)  # as if by a run that died right after this write
    sandbox_env.reset_stats()
    done = run_json(run_cli, "withdraw", "img")
    assert done["statuses"]["revision"] == "UNPUBLISHED"
    routes = sandbox_env.stats()["by_route"]
    assert not any("withdraw" in route for route in routes), routes
