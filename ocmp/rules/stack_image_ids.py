"""STK085, STK086, STK087, STK094: how image and listing identifiers are written — no
regional image OCIDs, concrete Marketplace ids, well-formed listing ids, no lookup by name."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.terraform.comments import CommentIndex
from ocmp.core.terraform.evaluate import UNKNOWN
from ocmp.core.terraform.values import hcl_text
from ocmp.rules.base import rule
from ocmp.rules.stack_common import (
    LISTING_OCID,
    REGION_FREE_IMAGE,
    REGIONAL_IMAGE,
    stack_of,
)
from ocmp.rules.stack_image_facts import (
    AGREEMENTS,
    SUBSCRIPTIONS,
    default_at,
    image_uses,
    resources_of,
    root_default,
)

if TYPE_CHECKING:
    from ocmp.core.project import Project
    from ocmp.core.terraform.model import Block


@rule("STK085", name="stack.no-tenancy-image-ids", severity=Severity.ERROR, scope=Scope.STACK,
      summary="No regional (platform or custom) image OCID where Terraform or the schema reads it")
def no_tenancy_images(project: Project) -> Iterator[Problem]:
    """STK085."""
    stack = stack_of(project)
    for path, line, ocid, more in regional_image_ids(project):
        extra = f" (and {more} more in the same list or map)" if more else ""
        yield Problem(f"{ocid} is a regional image OCID — an Oracle platform image or a custom "
                      f"image of one tenancy — not a published Marketplace image{extra}",
                      stack.where(path, line),
                      hint="launch the published Marketplace image by its region-free id "
                      "(ocid1.image.oc1..…) and list it in marketplace_source_images")


def _read_by_stack(project: Project) -> list[str]:
    """Files Terraform or Resource Manager read: configuration, auto-loaded variable files,
    the schema, and the files the configuration reads with file()/templatefile()."""
    stack = stack_of(project)
    paths = set(stack.used_files) | set(stack.read_files)
    paths |= {p for p in stack.files.files if "/" not in p and (
        p in ("terraform.tfvars", "terraform.tfvars.json") or p.endswith(
            (".auto.tfvars", ".auto.tfvars.json")))}
    if stack.schema is not None:
        paths.add(stack.schema.file)
    return sorted(paths)


def _hash_commented(line: str, column: int) -> bool:
    """Whether ``column`` lies after a YAML/shell comment mark: a ``#`` that starts the line
    or follows a blank, outside quotes."""
    quote = ""
    for i, ch in enumerate(line[:column]):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return True
    return False


def _is_hcl(path: str) -> bool:
    return path.endswith((".tf", ".tfvars"))


def _indent_anchor(lines: list[str], number: int) -> int:
    """The line (1-based) of the nearest less-indented line above: the list or map holding
    an entry (YAML, tfvars, scripts)."""
    text = lines[number - 1]
    indent = len(text) - len(text.lstrip())
    for back in range(number - 1, 0, -1):
        above = lines[back - 1]
        if above.strip() and len(above) - len(above.lstrip()) < indent:
            return back
    return number


def regional_image_ids(project: Project) -> list[tuple[str, int, str, int]]:
    """(file, line, first OCID, how many more) once per list/map/attribute holding regional
    image OCIDs, in the files the stack reads. Comments are not read: ``#``, ``//`` and
    ``/* … */`` in HCL (.tf, .tfvars), ``#`` comments in the schema, YAML and scripts."""
    stack = stack_of(project)
    anchors: dict[str, list[int]] = {}
    for inst in stack.model.instances():
        for block in inst.config.blocks:
            anchors.setdefault(block.file, []).extend([block.line, *block.lines.values()])
    found: list[tuple[str, int, str, int]] = []
    for path in _read_by_stack(project):
        text = stack.files.text(path)
        if text is None or "ocid1.image." not in text:
            continue
        lines = text.splitlines()
        groups: dict[int, list[tuple[int, str]]] = {}
        tf = path.endswith(".tf")
        hcl_comments = CommentIndex(text) if _is_hcl(path) else None
        starts = sorted(set(anchors.get(path, [])))
        for m in REGIONAL_IMAGE.finditer(text):
            number = text.count("\n", 0, m.start()) + 1
            column = m.start() - (text.rfind("\n", 0, m.start()) + 1)
            if hcl_comments is not None:
                if m.start() in hcl_comments:
                    continue
            elif not path.endswith(".json") and _hash_commented(lines[number - 1], column):
                continue
            if tf and starts:
                anchor = max((s for s in starts if s <= number), default=number)
            else:
                anchor = _indent_anchor(lines, number)
            groups.setdefault(anchor, []).append((number, m.group()))
        for members in groups.values():
            found.append((path, members[0][0], members[0][1], len(members) - 1))
    return found


def _concrete(value: Any) -> bool:
    return isinstance(value, str) and bool(REGION_FREE_IMAGE.match(value)) and "<" not in value


def _reads_root_variable(project: Project, name: str) -> bool:
    """Whether a root block (local, resource, module input, output…) reads ``var.name``."""
    ref = f"var.{name}"
    for block in stack_of(project).model.root.config.blocks:
        for _, refs in block.references():
            if any(r == ref or r.startswith((ref + ".", ref + "[")) for r in refs):
                return True
    return False


def _uses_marketplace(project: Project) -> bool:
    """Whether the stack launches (or may launch) a Marketplace image or subscribes to one."""
    return any(u.may_be_marketplace for u in image_uses(project)) or bool(
        resources_of(project, AGREEMENTS + SUBSCRIPTIONS))


def _entry_line(project: Project, block: Block, key: str) -> int:
    """The line of ``ocid`` in entry ``key`` of a variable's map default (else the default's)."""
    start = block.line_of("default")
    text = stack_of(project).files.text(block.file) or ""
    lines = text.splitlines()
    seen_key = False
    for number in range(start, len(lines) + 1):
        line = lines[number - 1]
        if not seen_key and re.search(rf'(^|[\s{{"]){re.escape(key)}"?\s*[=:]', line):
            seen_key = True
        if seen_key and re.search(r'(^|[\s{"])ocid"?\s*[=:]', line):
            return number
        if number > start and line.startswith("}"):
            break
    return start


@rule("STK086", name="stack.image-ids-hard-coded", severity=Severity.ERROR, scope=Scope.STACK,
      summary="Marketplace image ids are concrete literals customers cannot change")
def hard_coded(project: Project) -> Iterator[Problem]:
    """STK086.

    The ids are checked where they matter: when the configuration reads the variable, or
    when the stack launches or subscribes to a Marketplace image (Marketplace then reads
    ``marketplace_source_images`` to replicate the listing). A template placeholder left
    in a stack that launches only platform images (an OKE node pool) is never used.
    """
    stack = stack_of(project)
    root = stack.model.root.config
    marketplace = _uses_marketplace(project)
    block = root.variables.get("mp_listing_resource_id")
    if block is not None and (marketplace or _reads_root_variable(
            project, "mp_listing_resource_id")) and not _concrete(
                root_default(project, "mp_listing_resource_id")):
        yield Problem("mp_listing_resource_id has no concrete region-free image id as default",
                      default_at(project, "mp_listing_resource_id"),
                      hint="paste the Published Image OCID")
    images = root_default(project, "marketplace_source_images")
    block = root.variables.get("marketplace_source_images")
    if block is not None and isinstance(images, dict) and (
            marketplace or _reads_root_variable(project, "marketplace_source_images")):
        for key, entry in images.items():
            ocid = entry.get("ocid") if isinstance(entry, dict) else None
            if not _concrete(ocid):
                yield Problem(f"marketplace_source_images[{hcl_text(key)}].ocid is "
                              f"{hcl_text(ocid)}, not a concrete region-free image id",
                              stack.where(block.file, _entry_line(project, block, str(key))),
                              hint="paste the Published Image OCID")
    schema = stack.schema
    if schema and not schema.error:
        for name, spec in schema.variables.items():
            if isinstance(spec, dict) and spec.get("type") == "oci:core:image:id" and \
                    not schema.hidden(name):
                yield Problem(f"{name} lets customers pick the image", stack.where(
                    schema.file, schema.line_of("variables", name)),
                    hint="hide it (visible: false group): the image is fixed by the listing")


@rule("STK087", name="stack.listing-identifiers", severity=Severity.ERROR, scope=Scope.STACK,
      summary="mp_listing_id and mp_listing_resource_version are well formed")
def listing_ids(project: Project) -> Iterator[Problem]:
    """STK087."""
    stack = stack_of(project)
    root = stack.model.root.config
    if "mp_listing_id" in root.variables:
        value = root_default(project, "mp_listing_id")
        if not (isinstance(value, str) and LISTING_OCID.match(value)):
            shown = hcl_text(value if value is not UNKNOWN else None)
            yield Problem(f"mp_listing_id default {shown} "
                          "is not a region-free listing OCID",
                          default_at(project, "mp_listing_id"),
                          hint="ocid1.appcataloglisting.oc1..… of the image listing")
    if "mp_listing_resource_version" in root.variables:
        value = root_default(project, "mp_listing_resource_version")
        block = root.variables["mp_listing_resource_version"]
        if not isinstance(value, str) or not value.strip():
            where = default_at(project, "mp_listing_resource_version") if (
                value is not UNKNOWN) else stack.at(block)
            yield Problem("mp_listing_resource_version has no default", where,
                          hint="set the image listing's package version")


@rule("STK094", name="stack.no-image-lookup-by-name", severity=Severity.WARNING,
      scope=Scope.STACK, summary="Marketplace listings are not looked up by name at run time")
def lookup_by_name(project: Project) -> Iterator[Problem]:
    """STK094."""
    stack = stack_of(project)
    for _, block in stack.model.resources("oci_marketplace_listings",
                                          "oci_core_app_catalog_listings"):
        if block.kind == "data":
            yield Problem(f"{block.address} finds a listing at run time", stack.at(block),
                          hint="hard-code mp_listing_id and the image ids instead")
