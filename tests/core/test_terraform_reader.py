"""The Terraform reader: python-hcl2's shape, line numbers, .tf.json, modules and symlinks."""

from __future__ import annotations

from pathlib import Path

import hcl2

from ocmp.core.stack_files import read_folder
from ocmp.core.terraform.hcl_reader import read_tf, read_tf_json
from ocmp.core.terraform.model import build_model
from ocmp.core.terraform.parse_cache import parse_files

TEMPLATE = Path(__file__).parents[2] / "ocmp" / "templates" / "stack" / "terraform"


def test_installed_python_hcl2_keeps_quotes_and_marks_blocks() -> None:
    # The normalisation in hcl_reader is written for this exact output shape (8.x).
    assert hcl2.__version__ == "8.1.4"
    data = hcl2.loads('resource "a" "b" {\n  x = "s"\n  y = var.v\n  n {\n  }\n}\n')
    body = data["resource"][0]['"a"']['"b"']
    assert body["x"] == '"s"'
    assert body["y"] == "${var.v}"
    assert body["__is_block__"] is True
    assert body["n"][0]["__is_block__"] is True


def test_blocks_carry_lines_of_their_attributes() -> None:
    parsed = read_tf((TEMPLATE / "compute.tf").read_text())
    assert parsed["error"] is None
    instance = next(b for b in parsed["blocks"] if b["labels"] == ["oci_core_instance", "app"])
    text = (TEMPLATE / "compute.tf").read_text().splitlines()
    assert text[instance["line"] - 1].startswith('resource "oci_core_instance" "app"')
    assert "source_id" in text[instance["lines"]["source_details.source_id"] - 1]
    assert "for_each" in text[instance["lines"]["shape_config.for_each"] - 1]
    assert instance["refs"]["depends_on"] == [
        "oci_core_app_catalog_subscription.mp_image_subscription"
    ]


def test_syntax_error_is_data_with_its_line() -> None:
    parsed = read_tf('locals {\n  a = 1\n  b = = 2\n}\n')
    assert parsed["blocks"] == []
    assert parsed["error"]["line"] == 3


def test_tf_json_reads_like_tf() -> None:
    parsed = read_tf_json('{\n  "variable": {\n    "region": {"default": "x"}\n  },\n'
                          '  "resource": {"oci_core_vcn": {"v": {"cidr_block": "${var.c}"}}}\n}\n')
    kinds = {(b["kind"], tuple(b["labels"])): b for b in parsed["blocks"]}
    assert kinds[("variable", ("region",))]["line"] == 3
    assert kinds[("resource", ("oci_core_vcn", "v"))]["refs"]["cidr_block"] == ["var.c"]


def test_non_utf8_file_is_a_located_error() -> None:
    parsed = parse_files({"main.tf": b'locals {\n  a = "caf\xe9"\n}\n'})
    assert parsed["main.tf"]["error"]["line"] == 2
    assert "UTF-8" in parsed["main.tf"]["error"]["message"]


def test_module_behind_a_symlink_is_read_and_bound(tmp_path: Path) -> None:
    shared = tmp_path / "repo" / "shared" / "sub"
    shared.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()  # links are followed inside the release repository
    (shared / "main.tf").write_text(
        'variable "enabled" {\n  default = false\n}\n'
        'resource "oci_core_app_catalog_subscription" "s" {\n'
        "  count = var.enabled ? 1 : 0\n}\n"
    )
    stack = tmp_path / "repo" / "stack"
    stack.mkdir()
    (stack / "modules").symlink_to("../shared")
    (stack / "main.tf").write_text(
        'module "subscribe" {\n  source  = "./modules/sub"\n  enabled = true\n}\n'
    )
    files = read_folder(stack)
    assert "modules/sub/main.tf" in files.files  # materialised, not left as a link
    model = build_model(parse_files(files.files), files.folders())
    child = model.root.children[0]
    assert child.address == "module.subscribe"
    block = child.config.resources["oci_core_app_catalog_subscription.s"]
    assert child.value(block.expr("count")) == 1  # the module input wins over the default


def test_duplicates_are_kept_aside() -> None:
    parsed = {
        "a.tf": read_tf('variable "x" {}\n'),
        "b.tf": read_tf('variable "x" {}\nlocals {\n  y = 1\n}\nlocals {\n  y = 2\n}\n'),
    }
    model = build_model(parsed, {""})
    dups = sorted(address for address, _ in model.root.config.duplicates)
    assert dups == ["local.y", "variable.x"]


def test_module_cycle_stops(tmp_path: Path) -> None:
    parsed = {
        "main.tf": read_tf('module "a" {\n  source = "./a"\n}\n'),
        "a/main.tf": read_tf('module "again" {\n  source = "../a"\n}\n'),
    }
    model = build_model(parsed, {"", "a"})
    depth = sum(1 for _ in model.instances())
    assert 2 < depth <= 20
