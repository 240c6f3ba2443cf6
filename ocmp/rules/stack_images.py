"""STK080–STK087: Marketplace image subscription and image identifiers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.terraform.evaluate import UNKNOWN, is_known
from ocmp.core.terraform.expr import references
from ocmp.rules.base import rule
from ocmp.rules.stack_common import (
    LISTING_OCID,
    REGION_FREE_IMAGE,
    REGIONAL_IMAGE,
    needs_whole_configuration,
    stack_of,
)
from ocmp.rules.stack_image_facts import (
    AGREEMENTS,
    SUBSCRIPTIONS,
    image_uses,
    resources_of,
    root_default,
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


def _in_comment(line: str, column: int) -> bool:
    """Whether ``column`` of an HCL line lies after a ``#``/``//`` outside a string."""
    quoted = False
    i = 0
    while i < column:
        ch = line[i]
        if ch == "\\" and quoted:
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        elif not quoted and (ch == "#" or line.startswith("//", i)):
            return True
        i += 1
    return False


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
    image OCIDs, in the files the stack reads. Comments of .tf files are not read."""
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
        starts = sorted(set(anchors.get(path, [])))
        for m in REGIONAL_IMAGE.finditer(text):
            number = text.count("\n", 0, m.start()) + 1
            column = m.start() - (text.rfind("\n", 0, m.start()) + 1)
            if tf and _in_comment(lines[number - 1], column):
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


@rule("STK086", name="stack.image-ids-hard-coded", severity=Severity.ERROR, scope=Scope.STACK,
      summary="Marketplace image ids are concrete literals customers cannot change")
def hard_coded(project: Project) -> Iterator[Problem]:
    """STK086."""
    stack = stack_of(project)
    root = stack.model.root.config
    block = root.variables.get("mp_listing_resource_id")
    if block is not None and not _concrete(root_default(project, "mp_listing_resource_id")):
        yield Problem("mp_listing_resource_id has no concrete region-free image id as default",
                      stack.at(block, "default"), hint="paste the Published Image OCID")
    images = root_default(project, "marketplace_source_images")
    block = root.variables.get("marketplace_source_images")
    if block is not None and isinstance(images, dict):
        for key, entry in images.items():
            ocid = entry.get("ocid") if isinstance(entry, dict) else None
            if not _concrete(ocid):
                yield Problem(f"marketplace_source_images[{key!r}].ocid is {ocid!r}, not a "
                              "concrete region-free image id", stack.at(block, "default"),
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
            yield Problem(f"mp_listing_id default {value if value is not UNKNOWN else None!r} "
                          "is not a region-free listing OCID", stack.at(
                              root.variables["mp_listing_id"], "default"),
                          hint="ocid1.appcataloglisting.oc1..… of the image listing")
    if "mp_listing_resource_version" in root.variables:
        value = root_default(project, "mp_listing_resource_version")
        block = root.variables["mp_listing_resource_version"]
        if not isinstance(value, str) or not value.strip():
            yield Problem("mp_listing_resource_version has no default", stack.at(block),
                          hint="set the image listing's package version")
