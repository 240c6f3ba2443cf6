"""`ocmp package` through the CLI: deterministic zips, refusals, JSON output."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from tests.conftest import RunCli


def _init(run_cli: RunCli, name: str = "demo") -> Path:
    result = run_cli("init", name, "--kind", "stack", "--non-interactive")
    assert result.exit_code == 0, result.stderr
    return Path.cwd() / name


def test_init_stack_validates_and_packages_identically_twice(run_cli: RunCli) -> None:
    project = _init(run_cli)
    assert run_cli("validate", "demo").exit_code == 0
    first = run_cli("package", "demo", "-o", "one.zip")
    assert first.exit_code == 0, first.stdout + first.stderr
    second = run_cli("package", "demo", "-o", "two.zip")
    assert second.exit_code == 0
    one, two = (Path("one.zip").read_bytes(), Path("two.zip").read_bytes())
    assert one == two
    assert hashlib.sha256(one).hexdigest() in first.stdout
    names = zipfile.ZipFile("one.zip").namelist()
    assert names == sorted(names) and "schema.yaml" in names and "main.tf" not in names
    assert all("/" not in n for n in names)
    checked = run_cli("validate", "--format", "json", "one.zip")
    assert checked.exit_code == 0, checked.stdout
    assert json.loads(checked.stdout)["findings"] == []
    # The default output of a listing project: dist/stack-<package.version>.zip.
    assert run_cli("package", "demo").exit_code == 0
    assert (project / "dist" / "stack-1.0.0.zip").read_bytes() == one


def test_json_output_is_one_document(run_cli: RunCli) -> None:
    _init(run_cli)
    result = run_cli("package", "demo/terraform", "-o", "s.zip", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["written"] is True
    assert doc["sha256"] == hashlib.sha256(Path("s.zip").read_bytes()).hexdigest()
    assert doc["size"] == Path("s.zip").stat().st_size
    assert "versions.tf" in doc["entries"]


def test_a_private_key_is_never_packaged(run_cli: RunCli) -> None:
    project = _init(run_cli)
    (project / "terraform" / "notes.txt").write_text(
        "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"
    )
    result = run_cli("package", "demo", "-o", "s.zip", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["written"] is False
    finding = next(f for f in doc["findings"] if f["rule"] == "STK009")
    assert finding["file"] == "demo/terraform/notes.txt" and finding["line"] == 1
    assert "MIIB" not in result.stdout + result.stderr
    assert not Path("s.zip").exists()
    assert not list(Path.cwd().glob(".s.zip.*"))


def test_local_apply_leftovers_are_left_out(run_cli: RunCli) -> None:
    project = _init(run_cli)
    tf = project / "terraform"
    (tf / "terraform.tfstate").write_text("{}")
    (tf / "terraform.tfvars").write_text('region = "us-ashburn-1"\n')
    (tf / ".terraform" / "providers").mkdir(parents=True)
    (tf / ".terraform" / "providers" / "x").write_text("x")
    (tf / ".ocmpignore").write_text("notes/\n")
    (tf / "notes").mkdir()
    (tf / "notes" / "todo.md").write_text("x")
    assert run_cli("validate", "demo/terraform").exit_code == 0
    result = run_cli("package", "demo/terraform", "-o", "s.zip", "--format", "json")
    assert result.exit_code == 0
    names = zipfile.ZipFile("s.zip").namelist()
    assert not any(n.startswith((".terraform", "notes")) or "tfstate" in n or "tfvars" in n
                   for n in names)
    assert "terraform.tfstate" in json.loads(result.stdout)["left_out"]


def test_symlinked_module_is_materialised(run_cli: RunCli) -> None:
    project = _init(run_cli)
    shared = project / "shared" / "tags"
    shared.mkdir(parents=True)
    (shared / "main.tf").write_text(
        'variable "name" {}\noutput "tags" {\n  value = { "app" = var.name }\n}\n'
    )
    (project / "terraform" / "modules").symlink_to("../shared")
    (project / "terraform" / "tags.tf").write_text(
        'module "tags" {\n  source = "./modules/tags"\n  name   = var.instance_display_name\n}\n'
        'output "tags" {\n  value = module.tags.tags\n}\n'
    )
    assert run_cli("package", "demo", "-o", "s.zip").exit_code == 0
    zf = zipfile.ZipFile("s.zip")
    assert "modules/tags/main.tf" in zf.namelist()
    info = zf.getinfo("modules/tags/main.tf")
    assert info.date_time == (1980, 1, 1, 0, 0, 0) and info.external_attr >> 16 == 0o100644


def test_a_module_outside_the_stack_stops_packaging(run_cli: RunCli) -> None:
    project = _init(run_cli)
    (project / "shared").mkdir()
    (project / "shared" / "main.tf").write_text("locals {}\n")
    (project / "terraform" / "mods.tf").write_text('module "x" {\n  source = "../shared"\n}\n')
    result = run_cli("package", "demo", "-o", "s.zip")
    assert result.exit_code == 1
    assert "STK012" in result.stdout and not Path("s.zip").exists()


def test_a_zip_or_a_missing_path_is_invalid_input(run_cli: RunCli) -> None:
    _init(run_cli)
    assert run_cli("package", "demo", "-o", "s.zip").exit_code == 0
    again = run_cli("package", "s.zip")
    assert again.exit_code == 3 and "stack folder" in again.stderr
    missing = run_cli("package", "nowhere")
    assert missing.exit_code == 3 and "Traceback" not in missing.stderr


def test_listing_ignores_apply_but_never_to_secrets(run_cli: RunCli) -> None:
    project = _init(run_cli)
    listing = project / "listing.yaml"
    listing.write_text(
        listing.read_text()
        + "ignore:\n  - {rule: STK010, reason: the README is for customers}\n"
        + "  - {rule: STK009, reason: trying to sneak a key in}\n"
    )
    (project / "terraform" / "README.md").write_text("# read me\n")
    clean = run_cli("package", "demo", "-o", "s.zip", "--format", "json")
    assert clean.exit_code == 0
    assert json.loads(clean.stdout)["findings"] == []
    (project / "terraform" / "id_rsa").write_text(
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----\n"
    )
    refused = run_cli("package", "demo", "-o", "t.zip", "--format", "json")
    assert refused.exit_code == 1 and not Path("t.zip").exists()
    assert [f["rule"] for f in json.loads(refused.stdout)["findings"]] == ["STK009"]


def test_only_what_the_stack_reads_is_shipped_and_the_rest_is_named(run_cli: RunCli) -> None:
    project = _init(run_cli)
    tf = project / "terraform"
    (tf / "packer").mkdir()
    (tf / "packer" / "image.pkr.hcl").write_text(
        'source "oracle-oci" "x" {\n  base_image_ocid = "ocid1.image.oc1.iad.aaaaaaaaocmpx"\n}\n')
    (tf / ".github" / "workflows").mkdir(parents=True)
    (tf / ".github" / "workflows" / "ci.yml").write_text("on: push\n")
    (tf / "README.md").write_text("# Vendor stack\n")
    (tf / "config").mkdir()
    (tf / "config" / "defaults.json").write_text("{}\n")
    (tf / "scripts").mkdir()
    (tf / "scripts" / "boot.sh").write_text("#!/bin/sh\necho ready\n")
    compute = tf / "compute.tf"
    compute.write_text(compute.read_text().replace(
        "    ssh_authorized_keys = var.ssh_public_key\n",
        "    ssh_authorized_keys = var.ssh_public_key\n"
        '    user_data = base64encode(file("${path.module}/scripts/boot.sh"))\n'))
    (tf / ".ocmpinclude").write_text("# shipped on purpose\nconfig/*.json\n")
    result = run_cli("package", "demo", "-o", "s.zip", "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    doc = json.loads(result.stdout)
    assert doc["unread"] == [".github/workflows/ci.yml", "README.md", "packer/image.pkr.hcl"]
    names = zipfile.ZipFile("s.zip").namelist()
    assert "scripts/boot.sh" in names and "config/defaults.json" in names
    assert not any(n.startswith(("packer/", ".github/")) or n in ("README.md", ".ocmpinclude")
                   for n in names)
    # The human output says what was left out and how to keep it.
    human = run_cli("package", "demo", "-o", "h.zip")
    assert human.exit_code == 0
    assert "left out 3 files the stack never reads" in human.stderr
    assert ".ocmpinclude" in human.stderr
    # And the package passes its own validation.
    checked = run_cli("validate", "--format", "json", "s.zip")
    assert checked.exit_code == 0, checked.stdout
    assert json.loads(checked.stdout)["findings"] == []


def test_a_package_that_validation_refuses_is_not_written(run_cli: RunCli) -> None:
    project = _init(run_cli)
    schema = project / "terraform" / "schema.yaml"
    schema.write_text(schema.read_text().replace("      - ssh_source_cidr\n",
                                                 "      - ssh_source_cidr\n      - no_such_var\n"))
    result = run_cli("package", "demo", "-o", "s.zip", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["written"] is False
    assert "STK040" in {f["rule"] for f in doc["findings"]}
    assert not Path("s.zip").exists()


def test_the_summary_counts_the_files_packaged(run_cli: RunCli) -> None:
    # "N files packaged" counts the zip's entries, as validate counts the files it checks.
    project = _init(run_cli)
    (project / "terraform" / "extra.tf").write_text(
        'variable "unused_thing" {\n  default = "x"\n}\n')
    result = run_cli("package", "demo", "-o", "s.zip")
    assert result.exit_code == 0, result.stderr
    entries = zipfile.ZipFile("s.zip").namelist()
    assert f"{len(entries)} files packaged: 0 errors" in result.stderr, result.stderr
