"""STK080, STK081, STK084: the Marketplace image subscription — present, wired to its
agreement, switched on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.terraform.evaluate import UNKNOWN, is_known
from ocmp.core.terraform.expr import references
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
)

if TYPE_CHECKING:
    from ocmp.core.project import Project


@rule("STK080", name="stack.image-subscription", severity=Severity.ERROR, scope=Scope.STACK,
      summary="The stack subscribes to the Marketplace image it launches")
@needs_whole_configuration
def subscription(project: Project) -> Iterator[Problem]:
    """STK080."""
    uses = image_uses(project)
    if not uses:
        return
    agreements = resources_of(project, AGREEMENTS)
    subscriptions = resources_of(project, SUBSCRIPTIONS)
    if not agreements or not subscriptions:
        missing = "agreement and subscription" if not (agreements or subscriptions) else (
            "agreement" if not agreements else "subscription")
        use = uses[0]
        yield Problem(f"{use.block.address} launches an image but the stack has no Marketplace "
                      f"{missing} resource", stack_of(project).at(use.block, use.attr),
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
        for attr in _WIRED:
            refs = references(block.expr(attr)) if block.has(attr) else []
            if not any(r.startswith(AGREEMENTS[0] + ".") for r in refs):
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
    """STK084."""
    stack = stack_of(project)
    for inst, block in resources_of(project, AGREEMENTS + SUBSCRIPTIONS):
        for attr in ("count", "for_each"):
            if not block.has(attr):
                continue
            value = inst.value(block.expr(attr))
            if value is UNKNOWN or not is_known(value):
                yield Problem(f"cannot prove that {inst.prefix(block.address)} is created "
                              f"({attr} is not computable from defaults)", stack.at(block, attr),
                              severity=Severity.WARNING, hint="drop the switch: Marketplace "
                              "stacks always subscribe")
            elif value in (0, False, None) or (isinstance(value, list | dict) and not value):
                yield Problem(f"{inst.prefix(block.address)} is off by default ({attr} = "
                              f"{value!r})", stack.at(block, attr),
                              hint="remove the count/for_each or make its default create it")
