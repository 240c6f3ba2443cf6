"""`ocmp validate` on stack folders and zips: bad input, and the traps of real stacks."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path
from typing import Any

from tests.conftest import RunCli

TEMPLATE = Path(__file__).parents[2] / "ocmp" / "templates" / "stack" / "terraform"


def _findings(run_cli: RunCli, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli("validate", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    return result.exit_code, json.loads(result.stdout)["findings"]


def _render(text: str) -> str:
    # The template is Jinja (version, pricing): render it as `ocmp init` does.
    import jinja2

    return jinja2.Template(text).render(version="1.0.0", pricing="FREE")


def _stack(root: Path) -> Path:
    folder = root / "stack"
    folder.mkdir()
    for path in TEMPLATE.iterdir():
        name = path.name.removesuffix(".j2")
        folder.joinpath(name).write_text(_render(path.read_text()))
    return folder


def test_bare_stack_folder_validates_clean(run_cli: RunCli) -> None:
    _stack(Path.cwd())
    assert _findings(run_cli, "stack") == (0, [])


def test_non_utf8_and_rejected_tf_are_located_findings(run_cli: RunCli) -> None:
    folder = _stack(Path.cwd())
    (folder / "latin1.tf").write_bytes(b'locals {\n  a = "caf\xe9"\n}\n')
    (folder / "broken.tf").write_text('resource "x" "y" {\n  a = [1,\n}\n')
    code, findings = _findings(run_cli, "stack")
    located = {(f["file"], f["line"]) for f in findings if f["rule"] == "STK020"}
    assert code == 1
    assert ("stack/latin1.tf", 2) in located
    assert any(file == "stack/broken.tf" and line >= 2 for file, line in located)


def test_every_finding_has_a_file_and_a_line(run_cli: RunCli) -> None:
    folder = _stack(Path.cwd())
    (folder / "compute.tf").write_text(
        (folder / "compute.tf").read_text().replace(
            "var.mp_listing_resource_id", '"ocid1.image.oc1.iad.aaaaaaaaregional"'
        )
    )
    (folder / "schema.yaml").write_text(
        (folder / "schema.yaml").read_text().replace("maxLength: 64", "maxLenght: 64")
    )
    code, findings = _findings(run_cli, "stack")
    assert code == 1
    assert {"STK082", "STK085", "SCH010"} <= {f["rule"] for f in findings}
    assert all(f["file"] and f["line"] for f in findings if f["rule"] != "STK003")


def test_zip_slip_entry_is_a_finding_not_a_crash(run_cli: RunCli) -> None:
    folder = _stack(Path.cwd())
    with zipfile.ZipFile("evil.zip", "w") as zf:
        for path in folder.iterdir():
            zf.write(path, path.name)
        zf.writestr("../../etc/cron.d/evil", "* * * * * root true\n")
    code, findings = _findings(run_cli, "evil.zip")
    assert code == 1
    stk011 = [f for f in findings if f["rule"] == "STK011"]
    assert stk011 and stk011[0]["file"] == "evil.zip!../../etc/cron.d/evil"
    assert not Path("../etc").exists()


def test_schema_with_ten_thousand_variables(run_cli: RunCli) -> None:
    folder = _stack(Path.cwd())
    extra = "".join(f"  extra_{i}:\n    type: string\n    default: v{i}\n" for i in range(10_000))
    schema = (folder / "schema.yaml").read_text()
    text = schema.replace("\nvariables:\n", "\nvariables:\n" + extra, 1)
    (folder / "schema.yaml").write_text(text)
    start = time.perf_counter()
    code, findings = _findings(run_cli, "--select", "STK040", "--select", "SCH", "stack")
    assert time.perf_counter() - start < 120  # a generous bound: it must finish, not hang
    assert code == 1
    assert len([f for f in findings if f["rule"] == "STK040"]) == 10_000


def test_missing_stack_of_a_listing_is_invalid_input(run_cli: RunCli) -> None:
    assert run_cli("init", "demo", "--kind", "stack", "--non-interactive").exit_code == 0
    listing = Path("demo/listing.yaml")
    listing.write_text(listing.read_text().replace("path: terraform/", "path: tf-missing/"))
    result = run_cli("validate", "demo")
    assert result.exit_code == 3
    assert "tf-missing" in result.stderr and "Traceback" not in result.stderr


QUICKSTART_COMPUTE = '''
locals {
  platform_image_id = data.oci_core_images.autonomous_ol8.images[0].id
  image_id = local.mp_subscription_enabled ? var.mp_listing_resource_id : local.platform_image_id
  mp_subscription_enabled = var.mp_subscription_enabled ? 1 : 0
}

data "oci_core_images" "autonomous_ol8" {
  compartment_id   = var.compartment_ocid
  operating_system = "Oracle Autonomous Linux"
}

resource "oci_core_instance" "app" {
  compartment_id      = var.compartment_ocid
  availability_domain = "AD-1"
  shape               = "VM.Standard.E4.Flex"
  source_details {
    source_type = "image"
    source_id   = local.image_id
  }
}
'''

QUICKSTART_SUBSCRIPTION = '''
variable "mp_subscription_enabled" {
  default = false
}

resource "oci_core_app_catalog_listing_resource_version_agreement" "mp_image_agreement" {
  count                    = local.mp_subscription_enabled
  listing_id               = var.mp_listing_id
  listing_resource_version = var.mp_listing_resource_version
}

resource "oci_core_app_catalog_subscription" "mp_image_subscription" {
  count                    = local.mp_subscription_enabled
  compartment_id           = var.compartment_ocid
  eula_link                = AGREEMENT.eula_link
  listing_id               = AGREEMENT.listing_id
  listing_resource_version = AGREEMENT.listing_resource_version
  oracle_terms_of_use_link = AGREEMENT.oracle_terms_of_use_link
  signature                = AGREEMENT.signature
  time_retrieved           = AGREEMENT.time_retrieved
}
'''.replace(
    "AGREEMENT", "oci_core_app_catalog_listing_resource_version_agreement.mp_image_agreement[0]"
)


def test_quickstart_template_traps_are_reported(run_cli: RunCli) -> None:
    # A re-creation of what validation-rules §4a says makes Oracle's own quickstart template
    # non-compliant: subscription off by default, platform image through a ternary,
    # placeholder image id, "ocid" in an oci_images.tf comment, schema-only variables.
    folder = _stack(Path.cwd())
    (folder / "compute.tf").write_text(QUICKSTART_COMPUTE)
    (folder / "image_subscription.tf").write_text(QUICKSTART_SUBSCRIPTION)
    images = (folder / "oci_images.tf").read_text()
    (folder / "oci_images.tf").write_text(
        "# Image ocid from the partner portal\n"
        + images.replace('"ocid1.image.oc1..aaaaaaaaocmpdemomarketplaceimage"',
                         '"ocid1.image.oc1..<unique_id>"')
    )
    schema = (folder / "schema.yaml").read_text()
    (folder / "schema.yaml").write_text(schema.replace(
        "      - ssh_source_cidr\n", "      - ssh_source_cidr\n      - nsg_configuration_strategy\n"
    ))
    code, findings = _findings(run_cli, "stack")
    fired = {f["rule"] for f in findings if f["severity"] == "error"}
    assert code == 1
    assert {"STK040", "STK082", "STK084", "STK086"} <= fired
    assert "STK090" in {f["rule"] for f in findings}
    stk084 = [f for f in findings if f["rule"] == "STK084"]
    assert {f["line"] for f in stk084} == {7, 13}


def test_committed_credentials_cannot_be_ignored_and_never_print(run_cli: RunCli,
                                                                  tmp_path: Path) -> None:
    assert run_cli("init", "s", "--kind", "stack", "--non-interactive").exit_code == 0
    (tmp_path / "s/terraform/boot.tf").write_text(
        'resource "oci_core_instance" "extra" {\n'
        '  availability_domain = "x"\n  compartment_id = var.compartment_ocid\n'
        '  shape = "VM.Standard.E4.Flex"\n'
        '  source_details {\n    source_type = "image"\n'
        '    source_id = var.mp_listing_resource_id\n  }\n'
        '  metadata = {\n    user_data = base64encode("#!/bin/sh\\n'
        'curl -fsSL https://bob:s3cr3tpw@repo.acme.io/setup.sh | sh\\n'
        'echo opc:Welcome1 | chpasswd\\n")\n  }\n'
        '  depends_on = [oci_marketplace_accepted_agreement.mp_image_agreement]\n}\n')
    listing = tmp_path / "s/listing.yaml"
    listing.write_text(listing.read_text() + "ignore:\n  - rule: STK104\n    reason: demo\n"
                       "  - rule: LST999\n    reason: a typo\n")
    result = run_cli("validate", "s", "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    rules = {f["rule"] for f in findings}
    # STK100 quotes the curl; an ignore: entry does not switch the secrets check off
    assert {"STK100", "STK104"} <= rules
    notes = [f for f in findings if f["file"] == "s/listing.yaml"]
    assert sorted(f["rule"] for f in notes) == ["LST999", "STK104"]
    assert all(f["severity"] == "warning" for f in notes)
    assert any("no rule of the catalogue" in f["message"] for f in notes)
    # the commands are quoted, their secrets are not
    assert "s3cr3tpw" not in result.stdout + result.stderr
    assert "Welcome1" not in result.stdout + result.stderr
