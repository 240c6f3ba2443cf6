"""STK088, STK089, STK090, STK092: the contract of Oracle's oci_images.tf template — the
marketplace_source_images map, its pricing flag, its comments, the hidden mp_ variables."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.rules.base import rule
from ocmp.rules.stack_common import (
    REGION_FREE_IMAGE,
    needs_whole_configuration,
    stack_of,
)
from ocmp.rules.stack_image_facts import (
    image_uses,
    marketplace_images,
    root_default,
)

if TYPE_CHECKING:
    from ocmp.core.project import Project


_FIELDS = ("ocid", "is_pricing_associated", "compatible_shapes")


@rule("STK088", name="stack.oci-images-contract", severity=Severity.WARNING, scope=Scope.STACK,
      summary="marketplace_source_images lists every Marketplace image the stack launches")
@needs_whole_configuration
def oci_images_contract(project: Project) -> Iterator[Problem]:
    """STK088."""
    stack = stack_of(project)
    block = stack.model.root.config.variables.get("marketplace_source_images")
    if block is None:
        # The map comes from Oracle's template (it drives replication of the listing to
        # other realms), not from the mandatory guidelines: a warning, and only when a
        # Marketplace image is launched.
        launched = next((u for u in image_uses(project) if u.marketplace), None)
        if launched is not None:
            yield Problem(f"{launched.block.address} launches a Marketplace image, but no "
                          "variable \"marketplace_source_images\" lists it (oci_images.tf of "
                          "Oracle's template)", stack.at(launched.block, launched.attr),
                          hint="add oci_images.tf listing every Marketplace image; "
                          "`ocmp init --kind stack` writes one")
        return
    type_text = str(block.body.get("type", ""))
    if not (type_text.startswith("${map(object(") and all(f in type_text for f in _FIELDS)):
        yield Problem("marketplace_source_images is not map(object({ocid, "
                      "is_pricing_associated, compatible_shapes}))", stack.at(block, "type"),
                      hint="use the type of Oracle's oci_images.tf")
    images = root_default(project, "marketplace_source_images")
    if not isinstance(images, dict) or not images:
        yield Problem("marketplace_source_images has no entries", stack.at(block, "default"),
                      hint="add one entry per Marketplace image")
        return
    known = set(marketplace_images(project))
    declared = {e.get("ocid") for e in images.values() if isinstance(e, dict)}
    for use in image_uses(project):
        if isinstance(use.value, str) and REGION_FREE_IMAGE.match(use.value) and \
                use.value not in declared:
            yield Problem(f"{use.block.address} launches {use.value}, which "
                          "marketplace_source_images does not list", stack.at(use.block, use.attr),
                          hint="add it to marketplace_source_images")
    del known


def _paid(project: Project) -> bool:
    try:
        pricing = project.listing.model.listing.pricing
    except Exception:  # no listing, or a listing without pricing
        return False
    kind = getattr(pricing, "type", pricing)
    return str(getattr(kind, "value", kind)).upper() == "PAYGO"


@rule("STK089", name="stack.pricing-flag", severity=Severity.WARNING, scope=Scope.STACK,
      summary="Exactly one Marketplace image carries is_pricing_associated = true")
def pricing_flag(project: Project) -> Iterator[Problem]:
    """STK089."""
    stack = stack_of(project)
    images = root_default(project, "marketplace_source_images")
    block = stack.model.root.config.variables.get("marketplace_source_images")
    if block is None or not isinstance(images, dict) or not images:
        return
    priced = [k for k, e in images.items() if isinstance(e, dict) and
              e.get("is_pricing_associated") is True]
    paid = project.listing_path is not None and _paid(project)
    # A free or BYOL release has no priced image at all: is_pricing_associated follows
    # the image listing's pricing (`ocmp stack subscribe` sets it so).
    if len(priced) > 1 or (not priced and paid):
        yield Problem(f"{len(priced)} images have is_pricing_associated = true", stack.at(
            block, "default"), severity=Severity.ERROR if paid else None,
            hint="mark the main image true and supporting images false")


_COMMENT = re.compile(r"^\s*(#|//|/\*|\*)")


@rule("STK090", name="stack.oci-images-comments", severity=Severity.WARNING, scope=Scope.STACK,
      summary="No word 'ocid' in comments of oci_images.tf")
def oci_images_comments(project: Project) -> Iterator[Problem]:
    """STK090."""
    stack = stack_of(project)
    text = stack.files.text("oci_images.tf")
    for number, line in enumerate((text or "").splitlines(), 1):
        if _COMMENT.match(line) and "ocid" in line.lower():
            yield Problem("a comment in oci_images.tf says 'ocid', which has blocked Oracle's "
                          "stack validation", stack.where("oci_images.tf", number),
                          hint="reword the comment (e.g. 'image id')")


_MP_VARIABLES = ("mp_listing_id", "mp_listing_resource_id", "mp_listing_resource_version",
                 "marketplace_source_images", "mp_subscription_enabled")


@rule("STK092", name="stack.marketplace-variables-hidden", severity=Severity.WARNING,
      scope=Scope.STACK, summary="Marketplace variables sit in a hidden schema group")
def mp_hidden(project: Project) -> Iterator[Problem]:
    """STK092."""
    stack = stack_of(project)
    schema = stack.schema
    if schema is None or schema.error:
        return
    for name in _MP_VARIABLES:
        block = stack.model.root.config.variables.get(name)
        if block is not None and not schema.hidden(name):
            yield Problem(f"{name} is shown to customers", stack.where(
                schema.file, schema.line_of("variables", name)),
                hint="list it in a group with visible: false")
