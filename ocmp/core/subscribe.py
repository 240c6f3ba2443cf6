"""``ocmp stack subscribe``: point a stack at the Marketplace images its image listings published.

Oracle's stack flow, steps 10–11: once an image listing is published (privately or not),
its package says which App Catalog listing, image and package version Oracle produced
(``machineImageDetails``). The stack must subscribe to that image and launch it:

* ``mp_listing_id``, ``mp_listing_resource_id``, ``mp_listing_resource_version`` and the
  ``marketplace_source_images`` map carry those ids (region-free image OCIDs;
  ``is_pricing_associated`` from the image listing's pricing; ``compatible_shapes`` from
  its package);
* an agreement and a subscription resource exist for each image (``image_subscription.tf``
  is added when the configuration has none);
* instances and instance configurations launch the subscribed image, after the
  subscription; tenancy (regional) image OCIDs are replaced, or reported with file and line
  where ocmp cannot replace them safely.

:func:`published_images` reads the facts from the live Marketplace; :func:`plan_subscription`
computes the edits offline. Files ocmp generates (they start with :data:`MARKER`) are written
whole; files the publisher owns get minimal text edits (:mod:`ocmp.core.terraform.edit`),
comments and formatting kept. Planning twice against the same facts yields no change.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ocmp.clients.publisher import Listing, PublisherApi, RevisionStatus
from ocmp.core.kinds import kind_of
from ocmp.core.stack import Stack
from ocmp.core.terraform import edit
from ocmp.core.terraform.edit import Edit, hcl_string
from ocmp.core.terraform.launches import LAUNCH_SITES, boots_from_volume, launch_sites
from ocmp.core.terraform.model import Block, ModuleInstance
from ocmp.errors import InputError
from ocmp.schemas.common import is_ocid

MARKER = "# Managed by `ocmp stack subscribe`: rewritten whole on each run; do not edit."
IMAGES_FILE = "oci_images.tf"
SUBSCRIPTION_FILE = "image_subscription.tf"
MAIN_KEY = "main_mktpl_image"

REGIONAL_IMAGE = re.compile(r"ocid1\.image\.oc\d+\.[a-z][a-z0-9-]*\.[a-z0-9]+")
REGION_FREE_IMAGE = re.compile(r"^ocid1\.image\.oc\d+\.\.[a-z0-9]+$")
_SIMPLE_VAR = re.compile(r"^var\.([A-Za-z_][A-Za-z0-9_-]*)$")
_VAR_INDEX = re.compile(
    r"^(?:var\.([A-Za-z_][A-Za-z0-9_-]*)\s*\[.*\]|lookup\(\s*var\.([A-Za-z_][A-Za-z0-9_-]*)\s*,.*\))$",
    re.S,
)

# The launch sites subscribe rewrites (the image in a nested block; node pools and the
# deprecated top-level `image` are reported by validation, not rewritten): resource type →
# (nested block path, attribute), from the one table of launch sites.
REWRITTEN: dict[str, tuple[tuple[str, ...], str]] = {
    kind: (LAUNCH_SITES[kind][0][:-1], LAUNCH_SITES[kind][0][-1])
    for kind in ("oci_core_instance", "oci_core_instance_configuration")
}
SUBSCRIPTION_TYPE = "oci_core_app_catalog_subscription"
S = RevisionStatus

@dataclass(frozen=True)
class MarketplaceImage:
    """What an image listing's publication produced, as a stack needs it."""

    listing: str  # how the stack names it (listing name or OCID)
    listing_id: str  # the publisher listing OCID (the stack artifact's imageListingIds)
    app_catalog_listing_id: str  # computeAppCatalogId → mp_listing_id
    image_id: str  # computeImageId, region-free → mp_listing_resource_id
    version: str  # computePackageVersion → mp_listing_resource_version
    pricing_associated: bool  # a paid (PAYGO) image listing
    shapes: tuple[str, ...] = ()
    source_images: tuple[str, ...] = ()  # the tenancy images it was built from

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "listing": self.listing,
            "listing_id": self.listing_id,
            "app_catalog_listing_id": self.app_catalog_listing_id,
            "image_id": self.image_id,
            "package_version": self.version,
            "is_pricing_associated": self.pricing_associated,
            "compatible_shapes": list(self.shapes),
        }


@dataclass(frozen=True)
class FileChange:
    """One file the subscription writes."""

    path: str  # relative to the stack folder (POSIX)
    before: str | None  # None: a new file
    after: str
    generated: bool  # written whole (ocmp's own) rather than edited

    def diff(self, prefix: str = "") -> str:
        """A unified diff of the change, paths shown with ``prefix``."""
        name = f"{prefix}{self.path}"
        lines = difflib.unified_diff(
            (self.before or "").splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            fromfile="/dev/null" if self.before is None else f"a/{name}",
            tofile=f"b/{name}",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@dataclass(frozen=True)
class Unrewritable:
    """A place ocmp leaves alone and the publisher must fix."""

    file: str
    line: int
    message: str


@dataclass
class SubscribePlan:
    """The edits that subscribe a stack to its images."""

    stack_dir: Path
    images: list[MarketplaceImage]
    changes: list[FileChange] = field(default_factory=list)
    reports: list[Unrewritable] = field(default_factory=list)

    @property
    def up_to_date(self) -> bool:
        """Nothing to write."""
        return not self.changes

    def diff(self, prefix: str = "") -> str:
        """Every change as one unified diff."""
        return "".join(c.diff(prefix) for c in self.changes)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "stack": str(self.stack_dir),
            "up_to_date": self.up_to_date,
            "images": [i.to_dict() for i in self.images],
            "files": [
                {"path": c.path, "action": "create" if c.before is None else
                 ("rewrite" if c.generated else "edit")}
                for c in self.changes
            ],
            "unrewritable": [vars(r) for r in self.reports],
        }


# -- the live side -------------------------------------------------------------------------


def published_images(
    api: PublisherApi, compartment_id: str, refs: Sequence[str]
) -> list[MarketplaceImage]:
    """The Marketplace images that the image listings ``refs`` (names or OCIDs) published.

    Raises:
        InputError: a listing that does not exist, is not an image listing, or has no
            published package with ``machineImageDetails`` yet.
    """
    return [published_image(api, compartment_id, ref) for ref in refs]


def published_image(api: PublisherApi, compartment_id: str, ref: str) -> MarketplaceImage:
    """One image listing's publication (see :func:`published_images`)."""
    listing = _listing(api, compartment_id, ref)
    if listing.package_type not in (None, kind_of("image").package_type):
        raise InputError(
            f"{ref!r} is a {listing.package_type} listing, not an image listing",
            hint="package.stack.image_listings names the image listings the stack launches",
        )
    revisions = [r for r in api.list_revisions(listing.id) if r.status in S.LIVE]
    if not revisions:
        raise InputError(
            f"the image listing {listing.name!r} has no published revision yet",
            hint="publish it first (`ocmp publish <its folder> --private`), then subscribe",
        )
    revision = api.get_revision(
        max(revisions, key=lambda r: (r.time_created, r.id)).id
    )
    packages = [api.get_package(p.id) for p in api.list_packages(revision.id)]
    published = [p for p in packages if p.status in S.LIVE and p.image is not None]
    if not published:
        raise InputError(
            f"the image listing {listing.name!r} has no published image package yet",
            hint="wait for its publication to finish (`ocmp status`), then run again",
        )
    package = next((p for p in published if p.is_default), published[-1])
    details = package.image
    assert details is not None
    artifact = api.get_artifact(package.artifact_id) if package.artifact_id else None
    machine = artifact.machine_image if artifact else None
    shapes = tuple(e.shape for e in machine.shapes) if machine else ()
    source = machine.source_image_id if machine else None
    return MarketplaceImage(
        listing=ref,
        listing_id=listing.id,
        app_catalog_listing_id=str(details.app_catalog_listing_id),
        image_id=str(details.image_id),
        version=str(details.version or package.version),
        pricing_associated=revision.pricing_type == "PAYGO",
        shapes=shapes,
        source_images=(str(source),) if source else (),
    )


def _listing(api: PublisherApi, compartment_id: str, ref: str) -> Listing:
    if is_ocid(ref):
        from ocmp.errors import CloudError

        try:
            return api.get_listing(ref)
        except CloudError as exc:
            if exc.status == 404:
                raise InputError(
                    f"no listing {ref} in the Marketplace",
                    hint="give the OCID of a publisher listing (ocid1.mktpublisting…), "
                    "or the image listing's name",
                ) from None
            raise
    found = api.find_listings(compartment_id, ref)
    if not found:
        raise InputError(
            f"no image listing called {ref!r} in the compartment",
            hint="publish the image listing first, or give its listing OCID",
        )
    return found[0]


# -- the offline side ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Vars:
    """The root variables that carry one image."""

    listing_id: str
    resource_id: str
    version: str
    key: str  # its key in marketplace_source_images
    agreement: str  # resource names
    subscription: str


def _vars_for(index: int, image: MarketplaceImage) -> _Vars:
    if index == 0:
        return _Vars("mp_listing_id", "mp_listing_resource_id", "mp_listing_resource_version",
                     MAIN_KEY, "mp_image_agreement", "mp_image_subscription")
    slug = re.sub(r"[^a-z0-9]+", "_", image.listing.lower()).strip("_")[:40] or f"image{index}"
    if is_ocid(image.listing):
        slug = f"image{index + 1}"
    return _Vars(f"mp_{slug}_listing_id", f"mp_{slug}_listing_resource_id",
                 f"mp_{slug}_listing_resource_version", f"{slug}_mktpl_image",
                 f"mp_{slug}_agreement", f"mp_{slug}_subscription")


def plan_subscription(stack_dir: Path, images: Sequence[MarketplaceImage]) -> SubscribePlan:
    """The file changes that subscribe the stack at ``stack_dir`` to ``images``.

    Raises:
        InputError: no images, or a stack whose Terraform does not parse (the edits need it).
    """
    if not images:
        raise InputError(
            "no image listing to subscribe to",
            hint="list them in package.stack.image_listings, or give --image-listing",
        )
    stack = Stack(stack_dir, str)
    if stack.files.kind != "folder":
        raise InputError("ocmp stack subscribe rewrites a stack folder, not a zip",
                         file=str(stack_dir))
    model = stack.model
    broken = sorted(model.errors)
    if broken:
        first = model.errors[broken[0]]
        raise InputError(
            f"{broken[0]} does not parse: {first.get('message')}",
            file=str(stack_dir / broken[0]),
            line=first.get("line") if isinstance(first.get("line"), int) else None,
            hint="fix the syntax (`ocmp validate` shows it), then subscribe",
        )
    plan = SubscribePlan(stack_dir, list(images))
    texts = {path: text for path in stack.files.files
             if path.endswith(".tf") and (text := stack.files.text(path)) is not None}
    edits: dict[str, list[Edit]] = {}
    generated: dict[str, str] = {}
    names = [_vars_for(i, image) for i, image in enumerate(images)]
    root = model.root

    # 1. The variables that carry each image.
    images_file = IMAGES_FILE
    ours = _ours(texts.get(images_file))
    wanted: list[tuple[str, str, str]] = []  # (variable, type, default) in file order
    for names_i, image in zip(names, images, strict=True):
        wanted += [
            (names_i.listing_id, "string", hcl_string(image.app_catalog_listing_id)),
            (names_i.resource_id, "string", hcl_string(image.image_id)),
            (names_i.version, "string", hcl_string(image.version)),
        ]
    wanted.append(("marketplace_source_images", _MAP_TYPE, _map_default(images, names)))
    missing: list[tuple[str, str, str]] = []
    for name, type_text, default in wanted:
        block = root.config.variables.get(name)
        if block is None or (ours and block.file == images_file):
            missing.append((name, type_text, default))
            continue
        span = edit.find_block(texts[block.file], "variable", (name,))
        if span is None:
            plan.reports.append(Unrewritable(block.file, block.line,
                                             f"variable {name!r}: ocmp could not find its text"))
            continue
        change = edit.set_attribute(texts[block.file], span, "default", default)
        if change is not None:
            edits.setdefault(block.file, []).append(change)
    if missing:
        body = "".join(_variable(n, t, d) for n, t, d in missing)
        if images_file in texts and not ours:  # the publisher's file: append what it lacks
            text = texts[images_file]
            sep = "" if text.endswith("\n") else "\n"
            edits.setdefault(images_file, []).append(Edit(len(text), len(text), sep + body))
        else:
            generated[images_file] = _images_header() + body

    # 2. An agreement and a subscription per image, unless the configuration has its own.
    subscriptions = [(i, b) for i, b in model.resources(SUBSCRIPTION_TYPE) if b.kind == "resource"]
    own_subscription_file = _ours(texts.get(SUBSCRIPTION_FILE))
    theirs = [b for _, b in subscriptions if not (own_subscription_file and b.file ==
                                                  SUBSCRIPTION_FILE)]
    subscription_in_root = any(i is root for i, b in subscriptions if b in theirs)
    if not theirs:
        generated[SUBSCRIPTION_FILE] = _subscription_file(names, outputs_need_data(texts))
        subscription_in_root = True
    depends_target = (f"{SUBSCRIPTION_TYPE}.{names[0].subscription}" if not theirs else
                      next((f"{SUBSCRIPTION_TYPE}.{b.name}" for i, b in subscriptions
                            if i is root and b in theirs), None))

    # 3. Launch sites: the subscribed image, after the subscription.
    replaced_vars: set[str] = set()
    for inst, block in launch_sites(model, tuple(REWRITTEN)):
        if inst is not root:
            continue  # a module boots what its caller passes; the OCID scan below reports
        if boots_from_volume(inst, block):
            continue  # source_id is a boot volume there, not an image
        _rewrite_site(plan, texts, edits, block, names, images, replaced_vars,
                      depends_target if subscription_in_root else None, root)

    # Variables that only held tenancy images and are now unused: removed.
    for name in sorted(replaced_vars):
        _remove_if_unused(texts, edits, root.config.variables.get(name), name, stack)

    # 4. What remains: regional image OCIDs ocmp cannot replace, reported where they are.
    for path in sorted(set(texts) | set(generated)):
        after = generated.get(path) if path in generated else edit.apply(
            texts[path], edits.get(path, []))
        if after is None:
            continue
        for m in REGIONAL_IMAGE.finditer(after):
            if _in_comment(after, m.start()):
                continue
            plan.reports.append(Unrewritable(
                path, edit.line_of(after, m.start()),
                f"{m.group(0)} is a regional (tenancy) image OCID: replace it with "
                "var.mp_listing_resource_id or take it out"))
        before = texts.get(path)
        if before != after:
            plan.changes.append(FileChange(path, before, after, path in generated))
    plan.changes.sort(key=lambda c: c.path)
    return plan


def outputs_need_data(texts: dict[str, str]) -> bool:
    """Whether a file reads the resource-version data source ocmp's subscription file declares."""
    return any("data.oci_core_app_catalog_listing_resource_version.mp_image" in t
               for p, t in texts.items() if p != SUBSCRIPTION_FILE)


def apply_subscription(plan: SubscribePlan) -> list[Path]:
    """Write the plan's files (atomically); returns the paths written."""
    from ocmp.core.files import write_file_atomic

    written = []
    for change in plan.changes:
        target = plan.stack_dir / change.path
        # Never through a link or a folder out of the stack, never into a device.
        write_file_atomic(target, change.after, project_root=plan.stack_dir)
        written.append(target)
    return written


def _ours(text: str | None) -> bool:
    return text is not None and text.lstrip().startswith(MARKER)


_MAP_TYPE = """map(object({
    ocid                  = string
    is_pricing_associated = bool
    compatible_shapes     = set(string)
  }))"""


def _images_header() -> str:
    return (
        f"{MARKER}\n"
        "# The Marketplace images this stack launches, as their image listings published them.\n"
        "# Oracle replicates stack listings to other realms from these values: keep every\n"
        "# image here, as region-free identifiers.\n"
    )


def _variable(name: str, type_text: str, default: str) -> str:
    return f'\nvariable "{name}" {{\n  type    = {type_text}\n  default = {default}\n}}\n'


def _map_default(images: Sequence[MarketplaceImage], names: Sequence[_Vars]) -> str:
    entries = []
    for image, n in zip(images, names, strict=True):
        shapes = ", ".join(hcl_string(s) for s in image.shapes)
        entries.append(
            f"    {n.key} = {{\n"
            f"      ocid                  = {hcl_string(image.image_id)}\n"
            f"      is_pricing_associated = {'true' if image.pricing_associated else 'false'}\n"
            f"      compatible_shapes     = [{shapes}]\n"
            "    }\n"
        )
    return "{\n" + "".join(entries) + "  }"


def _subscription_file(names: Sequence[_Vars], with_data: bool) -> str:
    parts = [
        f"{MARKER}\n"
        "# Subscribe the launching tenancy to each Marketplace image: accept the listing's\n"
        "# agreement, then create the subscription from the signed agreement.\n"
    ]
    for index, n in enumerate(names):
        if index == 0 and with_data:
            parts.append(
                '\ndata "oci_core_app_catalog_listing_resource_version" "mp_image" {\n'
                f"  listing_id       = var.{n.listing_id}\n"
                f"  resource_version = var.{n.version}\n"
                "}\n"
            )
        agreement = f"oci_core_app_catalog_listing_resource_version_agreement.{n.agreement}"
        parts.append(
            f'\nresource "oci_core_app_catalog_listing_resource_version_agreement" '
            f'"{n.agreement}" {{\n'
            f"  listing_id               = var.{n.listing_id}\n"
            f"  listing_resource_version = var.{n.version}\n"
            "}\n"
            f'\nresource "{SUBSCRIPTION_TYPE}" "{n.subscription}" {{\n'
            "  compartment_id           = var.compartment_ocid\n"
            f"  eula_link                = {agreement}.eula_link\n"
            f"  listing_id               = {agreement}.listing_id\n"
            f"  listing_resource_version = {agreement}.listing_resource_version\n"
            f"  oracle_terms_of_use_link = {agreement}.oracle_terms_of_use_link\n"
            f"  signature                = {agreement}.signature\n"
            f"  time_retrieved           = {agreement}.time_retrieved\n"
            "\n  timeouts {\n    create = \"20m\"\n  }\n"
            "}\n"
        )
    return "".join(parts)


def _site_span(text: str, block: Block) -> tuple[edit.Span, edit.Span] | None:
    """The resource's span and the nested block holding its image attribute."""
    span = edit.find_block(text, "resource", block.labels)
    if span is None:
        return None
    path, _ = REWRITTEN[block.labels[0]]
    inner = span
    for name in path:
        found = edit.nested_blocks(text, inner, name)
        if not found:
            return None
        inner = found[0]
    return span, inner


def _rewrite_site(
    plan: SubscribePlan,
    texts: dict[str, str],
    edits: dict[str, list[Edit]],
    block: Block,
    names: Sequence[_Vars],
    images: Sequence[MarketplaceImage],
    replaced_vars: set[str],
    depends_on: str | None,
    root: ModuleInstance,
) -> None:
    text = texts.get(block.file)
    if text is None:
        return
    spans = _site_span(text, block)
    _, attribute = REWRITTEN[block.labels[0]]
    if spans is None:
        return  # boots from something else (a boot volume, an inline block ocmp cannot see)
    span, inner = spans
    attrs = edit.attributes(text, inner)
    found = attrs.get(attribute)
    if found is None:
        return
    expression = text[found.value_start:found.value_end].strip()
    mp_vars = {n.resource_id for n in names}
    target = _target_var(expression, names, images)
    literal = expression.strip('"')
    simple = _SIMPLE_VAR.match(expression)
    indexed = _VAR_INDEX.match(expression)
    var_name = simple.group(1) if simple else (
        (indexed.group(1) or indexed.group(2)) if indexed else None)
    if var_name is not None and var_name in mp_vars:
        pass  # already the subscribed image
    elif REGIONAL_IMAGE.fullmatch(literal) or REGION_FREE_IMAGE.match(literal):
        edits.setdefault(block.file, []).append(
            Edit(found.value_start, found.value_end, f"var.{target}"))
    elif var_name is not None and _holds_tenancy_images(root, var_name):
        replaced_vars.add(var_name)
        edits.setdefault(block.file, []).append(
            Edit(found.value_start, found.value_end, f"var.{target}"))
    else:
        plan.reports.append(Unrewritable(
            block.file, edit.line_of(text, found.value_start),
            f"{block.address} boots {expression}, not the subscribed Marketplace image: "
            f"point it at var.{names[0].resource_id} if it runs the product"))
        return
    if depends_on is not None:
        _depend(text, edits, block, span, depends_on)


def _target_var(expression: str, names: Sequence[_Vars],
                images: Sequence[MarketplaceImage]) -> str:
    """Which image a site should launch: the one built from the image it boots today."""
    for n, image in zip(names, images, strict=True):
        if any(s in expression for s in image.source_images):
            return n.resource_id
    return names[0].resource_id


def _holds_tenancy_images(root: ModuleInstance, name: str) -> bool:
    """Whether root variable ``name``'s default holds regional (tenancy) image OCIDs."""
    block = root.config.variables.get(name)
    if block is None or "default" not in block.body:
        return False
    return bool(REGIONAL_IMAGE.search(str(block.body["default"])))


def _depend(text: str, edits: dict[str, list[Edit]], block: Block, span: edit.Span,
            target: str) -> None:
    attrs = edit.attributes(text, span)
    existing = attrs.get("depends_on")
    if existing is None:
        change = edit.set_attribute(text, span, "depends_on", f"[{target}]")
        if change is not None:
            edits.setdefault(block.file, []).append(change)
        return
    value = text[existing.value_start:existing.value_end]
    if target in value:
        return
    inner = value.strip()
    if inner.startswith("[") and inner.endswith("]"):
        body = inner[1:-1].rstrip().rstrip(",")
        new = f"[{body}, {target}]" if body.strip() else f"[{target}]"
        edits.setdefault(block.file, []).append(
            Edit(existing.value_start, existing.value_end, new))


def _remove_if_unused(texts: dict[str, str], edits: dict[str, list[Edit]], block: Block | None,
                      name: str, stack: Stack) -> None:
    """Delete the variable block that held tenancy images when nothing else reads it."""
    if block is None:
        return
    pattern = re.compile(rf"\bvar\.{re.escape(name)}\b")
    for path, text in texts.items():
        after = edit.apply(text, edits.get(path, []))
        if pattern.search(after):
            return
    schema = stack.schema
    if schema is not None and name in (schema.variables or {}):
        return  # the schema still offers it: the publisher decides (reported below)
    text = texts[block.file]
    span = edit.find_block(text, "variable", (name,))
    if span is None:
        return
    end = span.end
    if text.startswith("\n", end):
        end += 1
    start = span.start
    # Take the comment lines right above the block with it: they describe it.
    while True:
        prev_end = text.rfind("\n", 0, max(start - 1, 0))
        line = text[prev_end + 1:start - 1] if start else ""
        if start and line.lstrip().startswith(("#", "//")):
            start = prev_end + 1
            continue
        break
    edits.setdefault(block.file, []).append(Edit(start, end, ""))


def _in_comment(text: str, offset: int) -> bool:
    start = text.rfind("\n", 0, offset) + 1
    head = text[start:offset]
    return "#" in head or "//" in head
