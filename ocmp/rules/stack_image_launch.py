"""STK082, STK083, STK091, STK093: how instances launch the Marketplace image — that
image, after the subscription, on a compatible shape, kept across image updates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.terraform.expr import references
from ocmp.rules.base import rule
from ocmp.rules.stack_common import (
    REGION_FREE_IMAGE,
    REGIONAL_IMAGE,
    needs_whole_configuration,
    stack_of,
)
from ocmp.rules.stack_image_facts import (
    SUBSCRIPTIONS,
    image_uses,
    marketplace_images,
    resources_of,
)

if TYPE_CHECKING:
    from ocmp.core.project import Project


def _refs_to_images_data(refs: set[str]) -> bool:
    return any(r.startswith("data.oci_core_images.") or r == "data.oci_core_images" for r in refs)


def _from_subscription(refs: set[str]) -> bool:
    return any(r.startswith(("data.oci_core_app_catalog_listing_resource_version",
                             "oci_core_app_catalog_subscription",
                             "data.oci_core_app_catalog_subscriptions")) for r in refs)


@rule("STK082", name="stack.launches-marketplace-image", severity=Severity.ERROR,
      scope=Scope.STACK, summary="Instances launch the subscribed Marketplace image")
@needs_whole_configuration
def launches_marketplace(project: Project) -> Iterator[Problem]:
    """STK082."""
    stack = stack_of(project)
    for use in image_uses(project):
        where = stack.at(use.block, use.attr)
        value = use.value
        if isinstance(value, str):
            if REGION_FREE_IMAGE.match(value):
                continue
            what = "a tenancy/platform image" if REGIONAL_IMAGE.search(value) else repr(value)
            yield Problem(f"{use.block.address} launches {what} ({value}), not a published "
                          "Marketplace image", where,
                          hint="launch var.mp_listing_resource_id (a region-free image id)")
        elif _refs_to_images_data(use.refs):
            yield Problem(f"{use.block.address} launches an image found with data.oci_core_images"
                          " at run time", where, hint="launch the Marketplace image by its id")
        elif not _from_subscription(use.refs):
            yield Problem(f"cannot prove which image {use.block.address} launches", where,
                          severity=Severity.WARNING,
                          hint="reference var.mp_listing_resource_id or "
                          "var.marketplace_source_images[...].ocid directly")


@rule("STK083", name="stack.launch-after-subscription", severity=Severity.WARNING,
      scope=Scope.STACK, summary="Instances are created after the subscription")
@needs_whole_configuration
def launch_after(project: Project) -> Iterator[Problem]:
    """STK083."""
    stack = stack_of(project)
    subs = resources_of(project, SUBSCRIPTIONS)
    if not subs:
        return
    sub_addresses = {inst.prefix(b.address) for inst, b in subs}
    for use in image_uses(project):
        if not use.marketplace:
            continue  # a platform image needs no subscription, so no ordering either
        chain, inst = [use.block], use.inst
        deps: set[str] = set()
        for block in chain:
            deps |= {inst.prefix(r) for r in references(block.expr("depends_on"))}
        # A module call's depends_on orders everything inside it.
        parent_addr = inst.address
        if inst.call is not None:
            base = parent_addr.rsplit(".module.", 1)[0] if ".module." in parent_addr else ""
            deps |= {f"{base}.{r}" if base else r for r in references(inst.call.expr("depends_on"))}
        ordered = any(d == s or s.startswith(d + ".") for d in deps for s in sub_addresses)
        if not ordered and not _from_subscription(use.refs):
            yield Problem(f"{use.block.address} does not depend on the Marketplace subscription",
                          stack.at(use.block), hint="add depends_on = [oci_core_app_catalog_"
                          "subscription.<name>] (or the module holding it)")


@rule("STK091", name="stack.shape-compatible", severity=Severity.WARNING, scope=Scope.STACK,
      summary="Default shapes are compatible with the Marketplace image")
def shape_compatible(project: Project) -> Iterator[Problem]:
    """STK091."""
    stack = stack_of(project)
    images = marketplace_images(project)
    for use in image_uses(project):
        facts = images.get(use.value) if isinstance(use.value, str) else None
        shapes = facts.get("compatible_shapes") if facts else None
        if not isinstance(shapes, list) or not shapes or not use.block.has("shape"):
            continue
        shape = use.inst.value(use.block.expr("shape"))
        if isinstance(shape, str) and shape not in shapes:
            yield Problem(f"{use.block.address} defaults to shape {shape}, which the image does "
                          f"not list ({', '.join(map(str, shapes))})", stack.at(use.block, "shape"),
                          hint="pick a compatible default shape")


@rule("STK093", name="stack.image-update-keeps-instances", severity=Severity.WARNING,
      scope=Scope.STACK, summary="Instances ignore changes of their source image")
def ignore_image_changes(project: Project) -> Iterator[Problem]:
    """STK093."""
    stack = stack_of(project)
    for use in image_uses(project):
        if use.block.labels[0] != "oci_core_instance":
            continue
        ignored = " ".join(str(lc.get("ignore_changes")) for lc in use.block.nested("lifecycle"))
        if "source_details" not in ignored and "all" not in ignored:
            yield Problem(f"{use.block.address} would be replaced when the image version changes",
                          stack.at(use.block), hint="lifecycle { ignore_changes = "
                          "[source_details[0].source_id] }")
