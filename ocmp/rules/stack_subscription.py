"""STK080, STK081, STK084: the Marketplace image subscription — present, wired to its
agreement, switched on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.terraform.evaluate import is_known
from ocmp.core.terraform.expr import references
from ocmp.core.terraform.values import hcl_text
from ocmp.rules.base import rule
from ocmp.rules.stack_common import (
    needs_whole_configuration,
    stack_of,
)
from ocmp.rules.stack_image_facts import (
    AGREEMENTS,
    SUBSCRIPTIONS,
    image_uses,
    resources_of,
    switched_on,
)

if TYPE_CHECKING:
    from ocmp.core.project import Project
    from ocmp.core.terraform.model import Block, ModuleInstance


@rule("STK080", name="stack.image-subscription", severity=Severity.ERROR, scope=Scope.STACK,
      summary="The stack subscribes to the Marketplace image it launches")
@needs_whole_configuration
def subscription(project: Project) -> Iterator[Problem]:
    """STK080: only where a launch site that may be created uses (or may use) a
    Marketplace image; platform images (an OKE node pool's Oracle Linux image) need none."""
    uses = [u for u in image_uses(project) if u.on is not False and u.may_be_marketplace]
    if not uses:
        return
    agreements = resources_of(project, AGREEMENTS)
    subscriptions = resources_of(project, SUBSCRIPTIONS)
    if not agreements or not subscriptions:
        missing = "agreement and subscription" if not (agreements or subscriptions) else (
            "agreement" if not agreements else "subscription")
        use = uses[0]
        yield Problem(f"{use.block.address} launches a Marketplace image but the stack has no "
                      f"Marketplace {missing} resource", stack_of(project).at(use.block, use.attr),
                      hint="add image_subscription.tf (oci_core_app_catalog_listing_resource_"
                      "version_agreement + oci_core_app_catalog_subscription)")


_WIRED = ("listing_id", "listing_resource_version", "oracle_terms_of_use_link", "signature",
          "time_retrieved")


@rule("STK081", name="stack.subscription-wired", severity=Severity.ERROR, scope=Scope.STACK,
      summary="The subscription takes its signature and links from the agreement resource")
def wired(project: Project) -> Iterator[Problem]:
    """STK081."""
    stack = stack_of(project)
    for _, block in resources_of(project, ("oci_core_app_catalog_subscription",)):
        # for_each over the agreements: each.value is one agreement (each.value.signature).
        each_agreement = block.has("for_each") and any(
            r.startswith(AGREEMENTS[0] + ".") for r in references(block.expr("for_each")))
        for attr in _WIRED:
            refs = references(block.expr(attr)) if block.has(attr) else []
            if not any(r.startswith(AGREEMENTS[0] + ".") or (
                    each_agreement and r.startswith("each.value")) for r in refs):
                what = "is missing" if not block.has(attr) else "does not come from the agreement"
                yield Problem(f"{block.address}.{attr} {what}", stack.at(block, attr),
                              hint=f"{attr} = {AGREEMENTS[0]}.<name>.{attr} (signatures expire: "
                              "never a fixed value)")
        if not block.has("compartment_id"):
            yield Problem(f"{block.address} has no compartment_id", stack.at(block),
                          hint="compartment_id = var.compartment_ocid")
    for _, block in resources_of(project, (AGREEMENTS[0],)):
        for attr in ("listing_id", "listing_resource_version"):
            if not block.has(attr):
                yield Problem(f"{block.address}.{attr} is missing", stack.at(block),
                              hint=f"{attr} = var.mp_{attr}")


@rule("STK084", name="stack.subscription-enabled", severity=Severity.ERROR, scope=Scope.STACK,
      summary="The subscription is not switched off by default")
def enabled(project: Project) -> Iterator[Problem]:
    """STK084.

    Only a subscription (or agreement) a default launch needs: one whose image some launch
    site that is on by default may take — a site that reads it or depends on it, or any
    such site when no other subscription of the stack is on to cover it. An optional image
    subscribed only together with the instances that launch it is correct Terraform.
    """
    stack = stack_of(project)
    items = resources_of(project, AGREEMENTS + SUBSCRIPTIONS)
    state = {id(b): switched_on(project, i, b) for i, b in items}
    sites = [u for u in image_uses(project) if u.on is not False and u.may_be_marketplace]
    for inst, block in items:
        if state[id(block)] is True or not sites:
            continue
        kind = AGREEMENTS if block.labels[0] in AGREEMENTS else SUBSCRIPTIONS
        covered = any(state[id(b)] is True for _, b in items if b.labels[0] in kind)
        names = _related(inst, block, items)
        direct = [u for u in sites if any(a == n or a.startswith(n + ".") or
                                          n.startswith(a + ".") for a in u.orders_after()
                                          for n in names)]
        needing = direct or ([] if covered else sites)
        if not needing:
            continue
        attr = "count" if block.has("count") else "for_each"
        value = inst.value(block.expr(attr))
        raw = str(block.body.get(attr, ""))
        shown = hcl_text(value) if is_known(value) else (
            raw[2:-1] if raw.startswith("${") and raw.endswith("}") else raw)
        address = inst.prefix(block.address)
        launch = next((u for u in needing if u.on is True), None)
        if state[id(block)] is False and launch is not None:
            yield Problem(f"{address} is off by default ({attr} = {shown}), but "
                          f"{launch.inst.prefix(launch.block.address)}, created by default, "
                          "may launch its image", stack.at(block, attr),
                          hint="remove the count/for_each or make its default create it")
        else:
            what = (f"{attr} is not computable from defaults" if state[id(block)] is None
                    else f"{attr} = {shown}")
            yield Problem(f"cannot prove that {address} is created for the instances that "
                          f"launch its image ({what})", stack.at(block, attr),
                          severity=Severity.WARNING, hint="drop the switch: Marketplace "
                          "stacks always subscribe to the images they launch")


def _related(inst: ModuleInstance, block: Block,
             items: list[tuple[ModuleInstance, Block]]) -> set[str]:
    """The addresses that stand for one subscription: itself, the agreement it signs with,
    and the subscriptions signed with it (when it is an agreement)."""
    own = inst.prefix(block.address)
    names = {own}
    for ref in (r for _, refs in block.references() for r in refs):
        if ref.startswith(AGREEMENTS):
            names.add(inst.prefix(".".join(ref.split(".")[:2])))
    for other_inst, other in items:
        refs = {r for _, rs in other.references() for r in rs}
        if other_inst is inst and any(r == block.address or r.startswith(block.address + ".")
                                      or r.startswith(block.address + "[") for r in refs):
            names.add(other_inst.prefix(other.address))
    return names
