"""Shared by the Marketplace image rules: where images are launched, which ids are Marketplace's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ocmp.core.terraform.evaluate import UNKNOWN, Scope, evaluate, is_known
from ocmp.core.terraform.expr import Node, Ref, parse_value, references
from ocmp.core.terraform.launches import LAUNCH_SITES, boots_from_volume, launch_sites, values_at
from ocmp.rules.stack_common import REGION_FREE_IMAGE, stack_of

if TYPE_CHECKING:
    from ocmp.core.findings import Location
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
    on: bool | None = None  # created by a default launch (None: cannot tell)
    # refs plus, for a module's var.X, what its callers pass as X (expanded the same way):
    # where a module launches what the root hands it
    outer_refs: set[str] = field(default_factory=set)

    @property
    def marketplace(self) -> bool:
        """Whether this launches a Marketplace image: a region-free image id, or an id taken
        from the Marketplace variables or the subscription. Platform images (a regional
        OCID, data.oci_core_images) and ids the user picks are not."""
        if isinstance(self.value, str):
            return bool(REGION_FREE_IMAGE.match(self.value))
        return any(r.startswith(_MARKETPLACE_REFS) for r in self.refs)

    @property
    def may_be_marketplace(self) -> bool:
        """Whether some launch may take a Marketplace image here: the default value is a
        region-free id, or the expression reads the Marketplace variables or subscription
        (on any branch: a switch that picks a custom image by default still can pick it)."""
        if isinstance(self.value, str) and REGION_FREE_IMAGE.match(self.value):
            return True
        return any(r.startswith(_MARKETPLACE_REFS) for r in self.refs | self.outer_refs)

    def orders_after(self) -> set[str]:
        """Addresses (Terraform's form) this launch site reads or depends on: its image
        references and depends_on, and the depends_on of the module calls around it."""
        found = {self.inst.prefix(r) for r in self.refs}
        found |= {self.inst.prefix(r) for r in references(self.block.expr("depends_on"))}
        if self.inst.call is not None and self.inst.address:
            base = self.inst.address.rsplit(".module.", 1)[0] if ".module." in \
                self.inst.address else ""
            found |= {f"{base}.{r}" if base else r
                      for r in references(self.inst.call.expr("depends_on"))}
        return found


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


def caller_refs(project: Project, inst: ModuleInstance, refs: set[str]) -> set[str]:
    """References the callers of ``inst`` pass into the ``var.`` references among ``refs``,
    up to the root (locals expanded at each level)."""
    parents = _parents(project)
    found: set[str] = set()
    todo = [(inst, refs)]
    for _ in range(16):  # MAX_MODULE_DEPTH: a module tree is never deeper
        nxt = []
        for child, names in todo:
            if child.call is None or id(child) not in parents:
                continue
            parent = parents[id(child)]
            passed: set[str] = set()
            for ref in names:
                parts = ref.split(".")
                if parts[0] == "var" and len(parts) > 1 and child.call.has(parts[1]):
                    passed |= expanded_refs(parent, child.call.expr(parts[1]))
            if passed:
                found |= passed
                nxt.append((parent, passed))
        if not nxt:
            break
        todo = nxt
    return found


def _parents(project: Project) -> dict[int, ModuleInstance]:
    """id(instance) → the instance calling it (computed once per stack)."""
    stack = stack_of(project)
    cached = stack.__dict__.get("_module_parents")
    if cached is None:
        cached = stack.__dict__["_module_parents"] = {
            id(child): inst for inst in stack.model.instances() for child in inst.children}
    return dict(cached)


def _created(inst: ModuleInstance, block: Block, depth: int = 0) -> bool | None:
    """Whether ``count``/``for_each`` of one block (resource or module call, evaluated in
    ``inst``) creates it: True, False, or None when not computable. ``for_each = <another
    resource>`` (a subscription over its agreements) is created as that resource is."""
    for attr in ("count", "for_each"):
        if not block.has(attr):
            continue
        node = block.expr(attr)
        if attr == "for_each" and isinstance(node, Ref) and not node.steps[1:] and \
                depth < 4:
            other = inst.config.resources.get(node.dotted())
            if other is not None and other is not block:
                return _created(inst, other, depth + 1)
        value = inst.value(node)
        if value is UNKNOWN or not is_known(value):
            return None
        if value in (0, False, None) or (isinstance(value, list | dict) and not value):
            return False
    return True


def switched_on(project: Project, inst: ModuleInstance, block: Block) -> bool | None:
    """Whether a default launch creates ``block`` of ``inst``: its own count/for_each and
    those of every module call around it. False as soon as one is off; None when one
    cannot be computed and none is off."""
    parents = _parents(project)
    verdict: bool | None = _created(inst, block)
    child = inst
    while verdict is not False and child.call is not None and id(child) in parents:
        parent = parents[id(child)]
        state = _created(parent, child.call)
        verdict = False if state is False else (None if state is None else verdict)
        child = parent
    return verdict


def _image_uses(project: Project) -> list[ImageUse]:
    uses = []
    for inst, block in launch_sites(stack_of(project).model):
        on = switched_on(project, inst, block)
        for path in LAUNCH_SITES[block.labels[0]]:
            if path[0] == "source_details" and boots_from_volume(inst, block):
                continue  # source_id is a boot volume there, not an image
            for raw in values_at(block.body, path):
                node = parse_value(raw)
                scope = inst.scope
                if block.has("count"):
                    scope = Scope(inst.scope.variables, inst.scope.locals, count_index=0,
                                  module_path=inst.scope.module_path)
                refs = expanded_refs(inst, node)
                uses.append(ImageUse(inst, block, ".".join(path), node, evaluate(node, scope),
                                     refs, on, caller_refs(project, inst, refs)))
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
    """The value a launch gives a root variable by default: the schema's default over
    Terraform's (see ``Stack.launch_values``); UNKNOWN when not declared or not literal."""
    return stack_of(project).model.root.scope.variables.get(name, UNKNOWN)


def default_at(project: Project, name: str) -> Location:
    """Where the default :func:`root_default` returns is written: the schema's ``default``
    when the schema sets it, else the Terraform variable's."""
    stack = stack_of(project)
    doc = stack.schema
    if doc is not None and name in stack.launch_values:
        return stack.where(doc.file, doc.line_of("variables", name, "default"))
    return stack.at(stack.model.root.config.variables[name], "default")
