"""Shared by the Marketplace image rules: where images are launched, which ids are Marketplace's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ocmp.core.terraform.evaluate import UNKNOWN, Scope, evaluate
from ocmp.core.terraform.expr import Node, parse_value, references
from ocmp.core.terraform.launches import LAUNCH_SITES, boots_from_volume, launch_sites, values_at
from ocmp.rules.stack_common import REGION_FREE_IMAGE, stack_of

if TYPE_CHECKING:
    from ocmp.core.project import Project
    from ocmp.core.terraform.model import Block, ModuleInstance

AGREEMENTS = ("oci_core_app_catalog_listing_resource_version_agreement",
              "oci_marketplace_listing_package_agreement")
_MARKETPLACE_REFS = ("var.mp_listing_resource_id", "var.marketplace_source_images",
                     "data.oci_core_app_catalog_listing_resource_version",
                     "oci_core_app_catalog_subscription", "data.oci_core_app_catalog_subscriptions",
                     "oci_marketplace_accepted_agreement")
SUBSCRIPTIONS = ("oci_core_app_catalog_subscription", "oci_marketplace_accepted_agreement")


@dataclass
class ImageUse:
    """One place where an instance-like resource takes its image."""

    inst: ModuleInstance
    block: Block
    attr: str  # dotted path, for the line
    node: Node
    value: Any  # evaluated with defaults (UNKNOWN when not provable)
    refs: set[str]  # references, locals expanded

    @property
    def marketplace(self) -> bool:
        """Whether this launches a Marketplace image: a region-free image id, or an id taken
        from the Marketplace variables or the subscription. Platform images (a regional
        OCID, data.oci_core_images) and ids the user picks are not."""
        if isinstance(self.value, str):
            return bool(REGION_FREE_IMAGE.match(self.value))
        return any(r.startswith(_MARKETPLACE_REFS) for r in self.refs)


def expanded_refs(inst: ModuleInstance, node: Node, depth: int = 0) -> set[str]:
    """References of an expression, following ``local.`` definitions of the same module."""
    found: set[str] = set()
    for ref in references(node):
        found.add(ref)
        parts = ref.split(".")
        if parts[0] == "local" and len(parts) > 1 and depth < 10 and \
                parts[1] in inst.config.locals:
            found |= expanded_refs(inst, inst.config.local_exprs[parts[1]], depth + 1)
    return found


def image_uses(project: Project) -> list[ImageUse]:
    """Every launch site of the stack, in every module instance (computed once per stack)."""
    stack = stack_of(project)
    cached = stack.__dict__.get("_image_uses")
    if cached is None:
        cached = stack.__dict__["_image_uses"] = _image_uses(project)
    return list(cached)


def _image_uses(project: Project) -> list[ImageUse]:
    uses = []
    for inst, block in launch_sites(stack_of(project).model):
        for path in LAUNCH_SITES[block.labels[0]]:
            if path[0] == "source_details" and boots_from_volume(inst, block):
                continue  # source_id is a boot volume there, not an image
            for raw in values_at(block.body, path):
                node = parse_value(raw)
                scope = inst.scope
                if block.has("count"):
                    scope = Scope(inst.scope.variables, inst.scope.locals, count_index=0,
                                  module_path=inst.scope.module_path)
                uses.append(ImageUse(inst, block, ".".join(path), node, evaluate(node, scope),
                                     expanded_refs(inst, node)))
    return uses


def marketplace_images(project: Project) -> dict[str, dict[str, Any]]:
    """Region-free image ids the stack declares: ``marketplace_source_images`` entries and
    ``mp_listing_resource_id`` defaults, id → facts (compatible_shapes, is_pricing_associated)."""
    found: dict[str, dict[str, Any]] = {}
    for inst in stack_of(project).model.instances():
        images = inst.scope.variables.get("marketplace_source_images")
        if isinstance(images, dict):
            for entry in images.values():
                if isinstance(entry, dict) and isinstance(entry.get("ocid"), str):
                    found.setdefault(entry["ocid"], entry)
        mp = inst.scope.variables.get("mp_listing_resource_id")
        if isinstance(mp, str) and REGION_FREE_IMAGE.match(mp):
            found.setdefault(mp, {})
    return found


def resources_of(project: Project, types: tuple[str, ...]) -> list[tuple[ModuleInstance, Block]]:
    """Resources (not data sources) of the given types in every module instance."""
    return [(i, b) for i, b in stack_of(project).model.resources(*types) if b.kind == "resource"]


def root_default(project: Project, name: str) -> Any:
    """A root variable's default value (UNKNOWN when not declared or not literal)."""
    block = stack_of(project).model.root.config.variables.get(name)
    if block is None or "default" not in block.body:
        return UNKNOWN
    return evaluate(parse_value(block.body["default"]), Scope())
