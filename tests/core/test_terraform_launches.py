"""The one query of launch sites that the image rules and `ocmp stack subscribe` share."""

from __future__ import annotations

from ocmp.core.terraform.hcl_reader import read_tf
from ocmp.core.terraform.launches import boots_from_volume, launch_sites, values_at
from ocmp.core.terraform.model import build_model

MAIN = '''
variable "boot" {
  default = "bootVolume"
}
resource "oci_core_instance" "from_image" {
  source_details {
    source_type = "image"
    source_id   = var.image
  }
}
resource "oci_core_instance" "from_volume" {
  source_details {
    source_type = var.boot
    source_id   = oci_core_boot_volume.b.id
  }
}
resource "oci_containerengine_node_pool" "pool" {
  dynamic "node_source_details" {
    for_each = [1]
    content {
      image_id = var.pool_image
    }
  }
}
data "oci_core_instance" "not_a_launch" {
  instance_id = "x"
}
'''


def test_launch_sites_are_resources_and_values_are_found_through_dynamic_blocks() -> None:
    model = build_model({"main.tf": read_tf(MAIN)}, {""})
    sites = [(b.labels[1], b) for _, b in launch_sites(model)]
    assert [name for name, _ in sites] == ["from_image", "from_volume", "pool"]
    pool = dict(sites)["pool"]
    assert list(values_at(pool.body, ("node_source_details", "image_id"))) == \
        ["${var.pool_image}"]
    only_instances = [b.labels[1] for _, b in launch_sites(model, ("oci_core_instance",))]
    assert only_instances == ["from_image", "from_volume"]


def test_a_boot_volume_is_known_from_the_evaluated_source_type() -> None:
    model = build_model({"main.tf": read_tf(MAIN)}, {""})
    booted = {b.labels[1]: boots_from_volume(inst, b) for inst, b in launch_sites(model)}
    assert booted == {"from_image": False, "from_volume": True, "pool": False}
