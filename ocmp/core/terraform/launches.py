"""Where a configuration launches images: the resources that boot one and the attribute
holding it.

One query over the model, used by the Marketplace image rules (what is launched) and by
``ocmp stack subscribe`` (what to point at the subscribed image), so that both see the
same launch sites.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ocmp.core.terraform.expr import parse_value
from ocmp.core.terraform.model import Block, ModuleInstance, TerraformModel

# Resource type → nested path of each attribute that can hold the image id it boots.
LAUNCH_SITES: dict[str, tuple[tuple[str, ...], ...]] = {
    "oci_core_instance": (("source_details", "source_id"), ("image",)),
    "oci_core_instance_configuration": (
        ("instance_details", "launch_details", "source_details", "image_id"),),
    "oci_containerengine_node_pool": (("node_source_details", "image_id"), ("node_image_id",)),
}


def launch_sites(model: TerraformModel,
                 types: tuple[str, ...] = tuple(LAUNCH_SITES)) -> Iterator[tuple[ModuleInstance,
                                                                                  Block]]:
    """Every resource (not data source) of a launching type, in every module instance."""
    for inst, block in model.resources(*types):
        if block.kind == "resource":
            yield inst, block


def values_at(body: dict[str, Any], path: tuple[str, ...]) -> Iterator[Any]:
    """The raw values at a nested path (``source_details.source_id``), through plain and
    ``dynamic`` nested blocks."""
    head, rest = path[0], path[1:]
    value = body.get(head)
    if not rest:
        if value is not None:
            yield value
        return
    nested = [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, dict)]
    for dyn in body.get("dynamic", []) or []:
        if isinstance(dyn, dict) and head in dyn:
            nested.extend(c for c in dyn[head].get("content", []) if isinstance(c, dict))
    for item in nested:
        yield from values_at(item, rest)


def boots_from_volume(inst: ModuleInstance, block: Block) -> bool:
    """Whether the instance boots a boot volume (its ``source_id`` is then no image)."""
    for raw in values_at(block.body, ("source_details", "source_type")):
        kind = inst.value(parse_value(raw))
        if isinstance(kind, str) and kind.lower() == "bootvolume":
            return True
    return False
