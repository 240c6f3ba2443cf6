"""Artifact validation as Marketplace does it after CREATE_ARTIFACT / UPDATE_ARTIFACT.

Image artifacts: the image must exist, be AVAILABLE and live in us-ashburn-1, every shape
must be one the image supports, no ``*.Generic`` alias shapes, and flexible shapes need OCPU
and memory constraints. Stack artifacts: the Resource Manager stack must exist, not be
FAILED, and its Terraform must unpack and parse. Both need Marketplace's root policy.
"""

from __future__ import annotations

import base64
from typing import Any

from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.services.publisher.models.scope import policy_allows
from ocmp.sandbox.services.terraform_check import zip_errors

HOME_OF_ARTIFACTS = "us-ashburn-1"


def _shape_errors(store: Store, tenancy: str, image: Doc, entries: list[Any]) -> list[str]:
    if not entries:
        return ["imageShapeCompatibilityEntries must list at least one shape"]
    errors = []
    compatible = {s["shape"] for s in image.get("_shapes", [])}
    for entry in entries:
        shape = str(entry.get("shape") or "")
        if shape.endswith(".Generic"):
            errors.append(f"Shape {shape} is a generic alias; list the concrete shapes instead")
            continue
        known = store.get(tenancy, "supportedShape", shape)
        if known is None:
            errors.append(f"Shape {shape} is not supported by Marketplace")
            continue
        if shape not in compatible:
            errors.append(f"Shape {shape} is not compatible with image {image['id']}")
        if known.get("isFlexible") and not (entry.get("ocpuConstraints")
                                            and entry.get("memoryConstraints")):
            errors.append(f"Flexible shape {shape} needs ocpuConstraints and memoryConstraints")
        elif known.get("isFlexible"):
            errors.extend(_range_errors(shape, entry, known))
    return errors


def _range_errors(shape: str, entry: Doc, known: Doc) -> list[str]:
    """Flexible limits must lie inside what the shape offers."""
    errors = []
    for field, low, high, options, lo_key, hi_key in (
            ("ocpuConstraints", "min", "max", "ocpuOptions", "min", "max"),
            ("memoryConstraints", "minInGBs", "maxInGBs", "memoryOptions", "minInGBs",
             "maxInGBs")):
        given, allowed = entry.get(field) or {}, known.get(options) or {}
        lowest, highest = given.get(low), given.get(high)
        if lowest is None or highest is None or lowest > highest:
            errors.append(f"Shape {shape}: {field} needs {low} <= {high}")
        elif lowest < allowed.get(lo_key, lowest) or highest > allowed.get(hi_key, highest):
            errors.append(f"Shape {shape}: {field} {lowest}-{highest} is outside the shape's "
                          f"range {allowed.get(lo_key)}-{allowed.get(hi_key)}")
    return errors


def machine_image_errors(store: Store, tenancy: str, details: Doc) -> list[str]:
    """Why a MACHINE_IMAGE artifact is not usable (empty when it is)."""
    if not policy_allows(store, tenancy, "instance-images"):
        return ["Marketplace cannot read your images: add the root policy statement 'ALLOW "
                "SERVICE marketplace to read instance-images IN TENANCY'"]
    image_id = str(details.get("sourceImageId") or "")
    image = store.get(tenancy, "image", image_id)
    if image is None or image.get("lifecycleState") == "DELETED":
        return [f"Image {image_id} was not found or is not accessible to Marketplace"]
    if image.get("lifecycleState") != "AVAILABLE":
        return [f"Image {image_id} is {image['lifecycleState']}; it must be AVAILABLE"]
    region = image.get("_region")
    if region not in (HOME_OF_ARTIFACTS, "all"):
        return [f"Image {image_id} is in {region}; Marketplace images must be in "
                f"{HOME_OF_ARTIFACTS}"]
    return _shape_errors(store, tenancy, image,
                         list(details.get("imageShapeCompatibilityEntries") or []))


def stack_errors(store: Store, tenancy: str, details: Doc) -> list[str]:
    """Why a STACK artifact is not usable (empty when it is)."""
    if not policy_allows(store, tenancy, "orm-stacks"):
        return ["Marketplace cannot read your stacks: add the root policy statement 'ALLOW "
                "SERVICE marketplace to read orm-stacks IN TENANCY'"]
    stack_id = str(details.get("sourceStackId") or "")
    stack = store.get(tenancy, "stack", stack_id)
    if stack is None or stack.get("lifecycleState") in ("DELETED", "DELETING"):
        return [f"Resource Manager stack {stack_id} was not found or is not accessible"]
    if stack.get("lifecycleState") == "FAILED":
        return [f"Resource Manager stack {stack_id} is FAILED"]
    content = store.get(tenancy, "content", f"stackZip:{stack_id}")
    if content is None:
        return [f"Resource Manager stack {stack_id} has no Terraform configuration"]
    errors = zip_errors(base64.b64decode(str(content["data"])),
                        (stack.get("configSource") or {}).get("workingDirectory"))
    return [f"Stack validation failed: {e}" for e in errors]


def artifact_errors(store: Store, tenancy: str, artifact: Doc) -> list[str]:
    """Validation errors for any artifact type the sandbox emulates."""
    if artifact["artifactType"] == "MACHINE_IMAGE":
        return machine_image_errors(store, tenancy, artifact["machineImage"])
    return stack_errors(store, tenancy, artifact["stack"])
