"""A release repository: an image listing and the stack that launches it, as one run.

Through the CLI against the sandbox: validate/plan/publish/status of the repository root,
the stack subscribed to what the image listing's publication produced, the validation gate
(0 requests when it refuses), reference errors before any request, `stack subscribe
--check`, tenancy image OCIDs replaced, a subscription kept in a local module, and the
crash matrix of a two-listing release.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import api_for, fast, inventory, rm_stacks, writes
from tests.conftest import RunCli

IMAGE = "Acme Demo App"
STACK = "Acme Demo Stack"
TENANCY_IMAGE = "ocid1.image.oc1.iad.aaaaaaaatenancycustomimage"


@pytest.fixture
def repo(run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch,
         tmp_path: Path) -> Path:
    """A repository with an image listing and a stack listing wired to it (by name)."""
    fast(monkeypatch)
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    made = run_cli("init", "stk", "--kind", "stack", "--non-interactive", "--name", STACK,
                   "--image-listing", IMAGE)
    assert made.exit_code == 0, made.stderr
    return tmp_path


def _publish(run_cli: RunCli, *args: str) -> dict[str, Any]:
    result = run_cli("publish", ".", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr + result.stdout
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _machine_image_details(sb: Sandbox) -> dict[str, Any]:
    api = api_for(sb)
    listing = api.find_listings(sb.tenancy_id, IMAGE)[0]
    revision = next(r for r in api.list_revisions(listing.id)
                    if r.status == "PUBLISHED_AS_PRIVATE")
    package = api.get_package(api.list_packages(revision.id)[0].id)
    details = package.image
    assert details is not None, package
    return {"listing_id": listing.id, "computeAppCatalogId": details.app_catalog_listing_id,
            "computeImageId": details.image_id, "computePackageVersion": details.version}


def test_a_release_publishes_the_image_then_the_stack_subscribed_to_it(
    run_cli: RunCli, repo: Path, sandbox_env: Sandbox
) -> None:
    checked = run_cli("validate", ".")
    stack_files = len(list((repo / "stk" / "terraform").glob("*.tf"))) + 1  # and schema.yaml
    assert checked.exit_code == 0 and f"{2 + stack_files} files checked" in checked.stderr
    sandbox_env.reset_stats()
    doc = _publish(run_cli, "--private")
    assert doc["version"] == 1 and doc["exit_code"] == 0
    assert [(r["name"], r["kind"]) for r in doc["listings"]] == [(IMAGE, "image"),
                                                                (STACK, "stack")]
    stack = doc["listings"][1]
    assert stack["outcome"]["statuses"]["revision"] == "PUBLISHED_AS_PRIVATE"
    assert stack["outcome"]["statuses"]["verify"] == "SUCCEEDED"  # seed step 5, by default
    assert [f["path"] for f in stack["subscription"]["files"]] == ["oci_images.tf"]

    # The stack's Terraform holds exactly what the image listing's publication produced.
    details = _machine_image_details(sandbox_env)
    images_tf = (repo / "stk" / "terraform" / "oci_images.tf").read_text()
    assert f'default = "{details["computeAppCatalogId"]}"' in images_tf
    assert f'default = "{details["computeImageId"]}"' in images_tf
    assert f'default = "{details["computePackageVersion"]}"' in images_tf
    assert "is_pricing_associated = false" in images_tf  # a FREE image listing
    assert "ocmpdemo" not in images_tf  # no placeholder of the template left
    # … and the uploaded stack artifact names the image listing.
    api = api_for(sandbox_env)
    artifact = api.get_artifact(stack["outcome"]["ids"]["artifact"])
    assert artifact.stack is not None
    assert artifact.stack.image_listing_ids == (details["listing_id"],)
    # The subscribed stack validates clean on the Marketplace image rules.
    rules = run_cli("validate", "stk", "--select", "STK08", "--select", "STK09")
    assert rules.exit_code == 0 and "0 errors, 0 warnings" in rules.stderr, rules.stdout

    status = run_cli("status", ".", "--format", "json")
    assert status.exit_code == 0
    assert [x["listing"]["name"] for x in json.loads(status.stdout)["listings"]] == [IMAGE, STACK]

    sandbox_env.reset_stats()
    again = _publish(run_cli, "--private")
    assert writes(sandbox_env) == 0 and again["calls"]["writes"] == 0
    assert all(r["outcome"]["up_to_date"] for r in again["listings"])
    assert len(rm_stacks(sandbox_env)) == 1


def test_a_plan_after_the_image_listing_moved_on_shows_the_stack_it_would_rebuild(
    run_cli: RunCli, repo: Path, sandbox_env: Sandbox
) -> None:
    _publish(run_cli, "--private")
    img = repo / "img" / "listing.yaml"
    text = img.read_text().replace('"1.0.0"', '"1.1.0"')
    img.write_text(text)
    assert run_cli("publish", "img", "--private", "--format", "json").exit_code == 0
    images_tf = (repo / "stk" / "terraform" / "oci_images.tf").read_text()
    planned = run_cli("plan", ".", "--format", "json")
    assert planned.exit_code == 0, planned.stderr
    stack = json.loads(planned.stdout)["listings"][1]
    assert stack["subscription"]["files"] and not stack["outcome"]["up_to_date"]
    # what the plan lists (a draft's changes) the publish then does, and the plan wrote no file
    planned_steps = [(c["step"], c["action"]) for c in stack["outcome"]["changes"]]
    assert ("stack", "create") in planned_steps or ("stack", "update") in planned_steps
    assert (repo / "stk" / "terraform" / "oci_images.tf").read_text() == images_tf
    done = _publish(run_cli, "--private")["listings"][1]
    made = [(c["step"], c["action"]) for c in done["outcome"]["changes"]]
    assert [m for m in made if m in planned_steps] == planned_steps


def test_plan_of_a_fresh_repository_writes_nothing_and_only_limits_it(
    run_cli: RunCli, repo: Path, sandbox_env: Sandbox
) -> None:
    before = (repo / "stk" / "terraform" / "oci_images.tf").read_text()
    planned = run_cli("plan", ".", "--format", "json")
    assert planned.exit_code == 0, planned.stderr
    doc = json.loads(planned.stdout)
    assert [r["name"] for r in doc["listings"]] == [IMAGE, STACK]
    assert writes(sandbox_env) == 0
    assert (repo / "stk" / "terraform" / "oci_images.tf").read_text() == before
    # not "up to date": the subscription cannot be planned before the image is published
    human = run_cli("plan", ".")
    assert "would subscribe once the image listings are published" in human.stderr + human.stdout
    only = run_cli("plan", ".", "--only", "img", "--format", "json")
    assert [r["name"] for r in json.loads(only.stdout)["listings"]] == [IMAGE]
    needs = run_cli("plan", ".", "--only", STACK, "--format", "json")
    assert [r["name"] for r in json.loads(needs.stdout)["listings"]] == [IMAGE, STACK]
    unknown = run_cli("plan", ".", "--only", "nope")
    assert unknown.exit_code == 3 and "--only 'nope'" in unknown.stderr


def _set(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize("case", ["missing", "cycle", "duplicate"])
def test_reference_errors_stop_the_release_before_any_request(
    run_cli: RunCli, repo: Path, sandbox_env: Sandbox, case: str
) -> None:
    listing = repo / "stk" / "listing.yaml"
    if case == "missing":
        _set(listing, f'image_listings: ["{IMAGE}"]', 'image_listings: ["Acme Nothing"]')
        expected = "no listing in this repository is called 'Acme Nothing'"
    elif case == "cycle":
        made = run_cli("init", "stk2", "--kind", "stack", "--non-interactive", "--name",
                       "Other Stack", "--image-listing", STACK)
        assert made.exit_code == 0
        _set(listing, f'image_listings: ["{IMAGE}"]', 'image_listings: ["stk2"]')
        expected = "cycle"
    else:
        # init picks a free default name, so the duplicate is the publisher's own choice
        made = run_cli("init", "img2", "--kind", "image", "--non-interactive", "--name", IMAGE)
        assert made.exit_code == 0
        expected = f"listing.name '{IMAGE}' is also the name of"
    sandbox_env.reset_stats()
    for command in ("validate", "plan", "publish", "status"):
        args = (command, ".") if command == "validate" else (command, ".", "--private") \
            if command == "publish" else (command, ".")
        result = run_cli(*args)
        assert result.exit_code == 3, (command, result.stderr)
        assert expected in result.stderr, (command, result.stderr)
        assert "listing.yaml:" in result.stderr  # located
    assert sandbox_env.stats()["requests"] == 0


@pytest.mark.parametrize("ignored", [False, True])
def test_a_private_key_in_the_stack_is_never_uploaded(
    run_cli: RunCli, repo: Path, sandbox_env: Sandbox, ignored: bool
) -> None:
    key = repo / "stk" / "terraform" / "deploy_key.pem"
    key.write_text("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsecret\n"
                   "-----END RSA PRIVATE KEY-----\n")
    if ignored:  # the secrets rules cannot be switched off
        with (repo / "stk" / "listing.yaml").open("a") as handle:
            handle.write('ignore:\n  - {rule: STK009, reason: "it is only a test key"}\n')
    sandbox_env.reset_stats()
    for args in (("publish", ".", "--private"), ("plan", "stk"), ("publish", "stk")):
        result = run_cli(*args)
        assert result.exit_code == 1, (args, result.stderr)
        assert "STK009" in result.stdout and "deploy_key.pem" in result.stdout
        assert "nothing was uploaded" in result.stderr
        if ignored:
            assert "has no effect" in result.stdout
    assert sandbox_env.stats()["requests"] == 0
    assert "MIIEowIBAAKCAQEAsecret" not in result.stdout + result.stderr


def test_an_error_finding_blocks_publish_and_warnings_do_not(
    run_cli: RunCli, repo: Path, sandbox_env: Sandbox
) -> None:
    compute = repo / "stk" / "terraform" / "compute.tf"
    _set(compute, "source_id   = var.mp_listing_resource_id", f'source_id   = "{TENANCY_IMAGE}"')
    _set(repo / "stk" / "listing.yaml", f'image_listings: ["{IMAGE}"]', "image_listings: []")
    sandbox_env.reset_stats()
    refused = run_cli("publish", "stk", "--format", "json")
    assert refused.exit_code == 1
    document = json.loads(refused.stdout)
    assert document["error"]["type"] == "validation_failed"
    assert {f["rule"] for f in document["validation"]["findings"]} >= {"STK085"}
    assert sandbox_env.stats()["requests"] == 0


def test_stack_subscribe_check_then_write_then_up_to_date(
    run_cli: RunCli, repo: Path, sandbox_env: Sandbox
) -> None:
    _publish(run_cli, "--private", "--only", "img")
    images_tf = repo / "stk" / "terraform" / "oci_images.tf"
    before = images_tf.read_text()
    stale = run_cli("stack", "subscribe", "stk", "--check")
    assert stale.exit_code == 1
    assert "+++ b/stk/terraform/oci_images.tf" in stale.stderr
    assert images_tf.read_text() == before  # --check writes nothing
    refused = run_cli("stack", "subscribe", "stk")  # no terminal to confirm on
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    done = run_cli("stack", "subscribe", "stk", "--yes", "--format", "json")
    assert done.exit_code == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["applied"] is True and [f["path"] for f in doc["files"]] == ["oci_images.tf"]
    # only the values changed: the publisher's comments are kept
    assert images_tf.read_text().splitlines()[:3] == before.splitlines()[:3]
    current = run_cli("stack", "subscribe", "stk", "--check")
    assert current.exit_code == 0 and "up to date" in current.stderr
    again = run_cli("stack", "subscribe", "stk", "--yes", "--format", "json")
    assert json.loads(again.stdout)["up_to_date"] is True
    by_ocid = run_cli("stack", "subscribe", "stk/terraform", "--check", "--image-listing",
                      _machine_image_details(sandbox_env)["listing_id"])
    assert by_ocid.exit_code == 0, by_ocid.stderr


WORKER_TF = f"""variable "worker_images" {{
  type = map(string)
  # our golden images, per region
  default = {{
    us-ashburn-1 = "{TENANCY_IMAGE}"
  }}
}}

resource "oci_core_instance_configuration" "workers" {{
  compartment_id = var.compartment_ocid
  instance_details {{
    instance_type = "compute"
    launch_details {{
      compartment_id = var.compartment_ocid
      shape          = var.instance_shape
      source_details {{
        source_type = "image"
        image_id    = var.worker_images[var.region]
      }}
    }}
  }}
}}
"""


def test_tenancy_image_ids_in_two_files_are_replaced_by_the_subscribed_image(
    run_cli: RunCli, repo: Path, sandbox_env: Sandbox
) -> None:
    tf = repo / "stk" / "terraform"
    _set(tf / "compute.tf", "source_id   = var.mp_listing_resource_id",
         f'source_id   = "{TENANCY_IMAGE}" # the golden image')
    subscription = "oci_core_app_catalog_subscription.mp_image_subscription"
    _set(tf / "compute.tf", f"  depends_on = [{subscription}]\n", "")
    (tf / "workers.tf").write_text(WORKER_TF)
    (tf / "image_subscription.tf").unlink()  # ocmp adds it back
    _set(tf / "outputs.tf", "data.oci_core_app_catalog_listing_resource_version.mp_image."
         "compatible_shapes", "var.instance_shape")
    doc = _publish(run_cli, "--private")
    plan = doc["listings"][1]["subscription"]
    assert plan["unrewritable"] == []
    assert sorted(f["path"] for f in plan["files"]) == [
        "compute.tf", "image_subscription.tf", "oci_images.tf", "workers.tf"]
    compute = (tf / "compute.tf").read_text()
    assert "source_id   = var.mp_listing_resource_id # the golden image" in compute
    assert "depends_on = [oci_core_app_catalog_subscription.mp_image_subscription]" in compute
    workers = (tf / "workers.tf").read_text()
    assert "image_id    = var.mp_listing_resource_id" in workers
    assert "worker_images" not in workers  # the variable that only held tenancy images
    assert "ocid1.image.oc1.iad" not in "".join(p.read_text() for p in tf.glob("*.tf"))
    assert (tf / "image_subscription.tf").read_text().startswith("# Managed by `ocmp stack")
    rules = run_cli("validate", "stk", "--select", "STK08", "--select", "STK09")
    assert rules.exit_code == 0 and " 0 errors" in rules.stderr, rules.stdout


def test_a_tenancy_image_ocmp_cannot_rewrite_is_reported_with_file_and_line(
    run_cli: RunCli, repo: Path, sandbox_env: Sandbox
) -> None:
    _publish(run_cli, "--private", "--only", "img")
    tf = repo / "stk" / "terraform"
    (tf / "extra.tf").write_text(f'locals {{\n  fallback_image = "{TENANCY_IMAGE}"\n}}\n')
    result = run_cli("stack", "subscribe", "stk", "--check")
    assert result.exit_code == 1
    assert f"stk/terraform/extra.tf:2: {TENANCY_IMAGE} is a regional" in result.stderr


def test_a_subscription_inside_a_local_module_is_kept(
    run_cli: RunCli, repo: Path, sandbox_env: Sandbox
) -> None:
    tf = repo / "stk" / "terraform"
    module = tf / "modules" / "marketplace"
    module.mkdir(parents=True)
    text = (tf / "image_subscription.tf").read_text()
    (module / "main.tf").write_text(
        'variable "compartment_ocid" {}\nvariable "mp_listing_id" {}\n'
        'variable "mp_listing_resource_version" {}\n\n'
        + text.replace("var.compartment_ocid", "var.compartment_ocid"))
    (module / "outputs.tf").write_text(
        'output "subscription_id" {\n  value = oci_core_app_catalog_subscription.'
        'mp_image_subscription.id\n}\n\noutput "compatible_shapes" {\n  value = data.'
        'oci_core_app_catalog_listing_resource_version.mp_image.compatible_shapes\n}\n')
    (tf / "image_subscription.tf").write_text(
        'module "marketplace" {\n  source                      = "./modules/marketplace"\n'
        "  compartment_ocid            = var.compartment_ocid\n"
        "  mp_listing_id               = var.mp_listing_id\n"
        "  mp_listing_resource_version = var.mp_listing_resource_version\n}\n")
    _set(tf / "compute.tf", "depends_on = [oci_core_app_catalog_subscription.mp_image_"
         "subscription]", "depends_on = [module.marketplace]")
    _set(tf / "outputs.tf", "data.oci_core_app_catalog_listing_resource_version.mp_image."
         "compatible_shapes", "module.marketplace.compatible_shapes")
    doc = _publish(run_cli, "--private")
    plan = doc["listings"][1]["subscription"]
    assert [f["path"] for f in plan["files"]] == ["oci_images.tf"]  # no second subscription
    assert 'module "marketplace"' in (tf / "image_subscription.tf").read_text()
    details = _machine_image_details(sandbox_env)
    assert details["computeAppCatalogId"] in (tf / "oci_images.tf").read_text()
    assert doc["listings"][1]["outcome"]["statuses"]["verify"] == "SUCCEEDED"


def test_a_bare_stack_with_its_terraform_in_a_subfolder_gets_stk002(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "bare" / "src").mkdir(parents=True)
    (tmp_path / "bare" / "src" / "main.tf").write_text('variable "x" {}\n')
    result = run_cli("validate", "bare")
    assert result.exit_code == 1
    assert "STK002" in result.stdout and "no listing.yaml" not in result.stderr


def test_init_adds_a_listing_to_an_existing_repository(
    run_cli: RunCli, repo: Path
) -> None:
    nested = repo / "listings" / "extra"
    made = run_cli("init", str(nested), "--kind", "image", "--non-interactive", "--name",
                   "Acme Extra")
    assert made.exit_code == 0
    result = run_cli("validate", ".", "--format", "json")
    assert result.exit_code == 0
    stack_files = len(list((repo / "stk" / "terraform").glob("*.tf"))) + 1  # and schema.yaml
    assert json.loads(result.stdout)["summary"]["files"] == 3 + stack_files
    (repo / ".ocmpignore").write_text("listings/\n")
    ignored = run_cli("validate", ".", "--format", "json")
    assert json.loads(ignored.stdout)["summary"]["files"] == 2 + stack_files


# -- the crash matrix of a two-listing release ---------------------------------------------

CRASH_EXIT = 86


def _ocmp(sb: Sandbox, cwd: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OCMP_ENDPOINT": sb.endpoint, "OCI_CLI_CONFIG_FILE": str(sb.config_file),
           "OCI_CLI_PROFILE": sb.profile, "OCMP_POLL_INTERVAL": "0.01",
           "OCMP_RETRY_BASE_DELAY": "0.005", "NO_COLOR": "1", **extra}
    return subprocess.run([sys.executable, "-m", "ocmp", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=180, check=False)


def _final_state(sb: Sandbox) -> dict[str, Any]:
    inv = inventory(sb)
    inv["rm_stacks"] = len(rm_stacks(sb))
    return inv


@pytest.mark.slow
def test_a_crash_after_any_write_of_a_release_recovers_to_the_clean_state(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path
) -> None:
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    assert run_cli("init", "stk", "--kind", "stack", "--non-interactive", "--name", STACK,
                   "--image-listing", IMAGE).exit_code == 0
    pristine = tmp_path / "pristine"
    pristine.mkdir()
    for name in ("img", "stk"):
        shutil.copytree(tmp_path / name, pristine / name)
    work = tmp_path / "work"
    shutil.copytree(pristine, work)
    clean = _ocmp(sandbox, work, "publish", ".", "--private", "--format", "json")
    assert clean.returncode == 0, clean.stderr
    total = json.loads(clean.stdout)["calls"]["writes"]
    expected = _final_state(sandbox)
    assert total >= 20 and expected["rm_stacks"] == 1
    for n in range(1, total + 1):
        sandbox.reset()
        shutil.rmtree(work)
        shutil.copytree(pristine, work)
        crashed = _ocmp(sandbox, work, "publish", ".", "--private",
                        OCMP_TEST_CRASH_AFTER_WRITE=str(n))
        assert crashed.returncode == CRASH_EXIT, (n, crashed.stderr)
        rerun = _ocmp(sandbox, work, "publish", ".", "--private", "--format", "json")
        assert rerun.returncode == 0, (n, rerun.stderr)
        doc = json.loads(rerun.stdout)
        assert [r["outcome"]["statuses"]["revision"] for r in doc["listings"]] == [
            "PUBLISHED_AS_PRIVATE", "PUBLISHED_AS_PRIVATE"], n
        assert _final_state(sandbox) == expected, f"after a crash following write {n}"
        again = _ocmp(sandbox, work, "publish", ".", "--private", "--format", "json")
        assert json.loads(again.stdout)["calls"]["writes"] == 0, n
