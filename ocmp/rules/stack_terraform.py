"""STK020–STK027, STK033: the Terraform code — parse, duplicates, references, provider,
versions, experiments."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ocmp.core.findings import Location, Problem, Scope, Severity
from ocmp.core.terraform.evaluate import Scope as EvalScope
from ocmp.core.terraform.evaluate import evaluate
from ocmp.core.terraform.expr import references
from ocmp.rules.base import rule
from ocmp.rules.stack_common import (
    needs_root_configuration,
    needs_whole_configuration,
    stack_of,
    unparsed_files,
)

if TYPE_CHECKING:
    from ocmp.core.project import Project
    from ocmp.core.terraform.model import Block, ModuleConfig


@rule("STK020", name="stack.terraform-parses", severity=Severity.ERROR, scope=Scope.STACK,
      summary="Every .tf file parses as HCL2 and every .tf.json as JSON")
def parses(project: Project) -> Iterator[Problem]:
    """STK020."""
    stack = stack_of(project)
    for path in unparsed_files(project):
        error = stack.model.errors[path]
        where = stack.where(path, error["line"])
        if error.get("column"):
            where = Location(where.file, where.line, error["column"])
        if error.get("unchecked"):
            yield Problem(f"{path} is not checked ({error['message']})", where,
                          severity=Severity.WARNING,
                          hint="split generated data into smaller files (or a .tf.json); rules "
                          "that need the whole configuration skip the stack meanwhile")
            continue
        yield Problem(f"{path} does not parse: {error['message']}", where,
                      hint="fix the syntax (`terraform validate` shows the same place); rules "
                      "that need the whole configuration (references, unused variables, "
                      "outputs, the subscription) run once it parses")
    yield from _quoted_types(project)


_QUOTED_TYPES = {"string": "string", "number": "number", "bool": "bool", "list": "list(string)",
                 "map": "map(string)", "set": "set(string)"}


def _quoted_types(project: Project) -> Iterator[Problem]:
    """Quoted type constraints (`type = "map"`): Terraform 0.11 syntax that HCL accepts but
    Terraform 0.15 and later refuse, so the stack fails at `terraform init`."""
    stack = stack_of(project)
    for inst in stack.model.instances():
        for block in inst.config.variables.values():
            raw = block.body.get("type")
            if isinstance(raw, str) and raw.startswith('"') and raw.endswith('"'):
                written = raw[1:-1]
                better = _QUOTED_TYPES.get(written, written)
                yield Problem(f'variable "{block.name}": type = {raw} is a quoted type '
                              "constraint, which Terraform 0.15 and later refuse (Resource "
                              "Manager runs 1.x)", stack.at(block, "type"),
                              hint=f"remove the quotes: type = {better}")


@rule("STK021", name="stack.no-duplicates", severity=Severity.ERROR, scope=Scope.STACK,
      summary="No duplicate variables, outputs, locals, resources or lifecycle blocks")
def duplicates(project: Project) -> Iterator[Problem]:
    """STK021."""
    stack = stack_of(project)
    for inst in stack.model.instances():
        for address, block in inst.config.duplicates:
            first = _first(inst.config, address)
            # A local is one attribute of a `locals` block: point at both attributes.
            attr = address.partition(".")[2] if address.startswith("local.") else ""
            line = first.line_of(attr) if first and attr else (first.line if first else 0)
            also = f" (also at {first.file}:{line})" if first else ""
            yield Problem(f"{address} is declared twice{also}", stack.at(block, attr),
                          hint="Terraform refuses duplicate names across the files of a folder")
        for block in inst.config.resources.values():
            if len(block.nested("lifecycle")) > 1:
                yield Problem(f"{block.address} has {len(block.nested('lifecycle'))} lifecycle "
                              "blocks", stack.at(block, "lifecycle"), hint="merge them into one")


def _first(cfg: ModuleConfig, address: str) -> Block | None:
    kind, _, name = address.partition(".")
    index: dict[str, Block] = {"variable": cfg.variables, "output": cfg.outputs,
                               "module": cfg.modules}.get(kind, cfg.resources)
    if kind == "local":
        return cfg.locals.get(name)
    return index.get(name if kind in ("variable", "output", "module") else address)


_KNOWN_ROOTS = {"count", "each", "path", "terraform", "self"}


@rule("STK022", name="stack.references-resolve", severity=Severity.ERROR, scope=Scope.STACK,
      summary="Every var., local., module., data. and resource reference exists")
@needs_whole_configuration
def references_resolve(project: Project) -> Iterator[Problem]:
    """STK022."""
    stack = stack_of(project)
    for inst in stack.model.instances():
        cfg = inst.config
        for block in cfg.blocks:
            if block.kind in ("variable", "terraform"):
                continue
            for attr, refs in block.references():
                for ref in refs:
                    missing = _missing(ref, cfg, block)
                    if missing:
                        where = f" in {cfg.dir}" if cfg.dir else ""
                        yield Problem(f"{_declared_name(ref)} is not declared{where} "
                                      f"({missing})",
                                      stack.at(block, attr),
                                      hint="declare it, or fix the spelling")


def _declared_name(ref: str) -> str:
    """The object a reference names, without the attribute path after it:
    ``data.oci_identity_tenancy.t`` for ``data.oci_identity_tenancy.t.home_region_key``."""
    parts = ref.split(".")
    size = 3 if parts[0] == "data" else 2
    return ".".join(parts[:size])


def _missing(ref: str, cfg: object, block: Block) -> str | None:
    parts = ref.split(".")
    root = parts[0]
    if root in _KNOWN_ROOTS or len(parts) < 2:
        return None
    if root == "var":
        return None if parts[1] in cfg.variables else "no such variable"  # type: ignore[attr-defined]
    if root == "local":
        return None if parts[1] in cfg.locals else "no such local"  # type: ignore[attr-defined]
    if root == "module":
        return None if parts[1] in cfg.modules else "no such module"  # type: ignore[attr-defined]
    if root == "data":
        if len(parts) < 3:
            return None
        return None if f"data.{parts[1]}.{parts[2]}" in cfg.resources else "no such data source"  # type: ignore[attr-defined]
    if "_" in root and block.kind != "locals" and f"{root}.{parts[1]}" not in cfg.resources:  # type: ignore[attr-defined]
        # A name like `oci_core_vcn.x` that is not a resource; iterator names inside `for`
        # expressions never reach here (they stay inside opaque nodes as bare names).
        return "no such resource" if root.startswith(("oci_", "random_", "tls_", "null_",
                                                      "local_", "time_", "cloudinit_")) else None
    return None


_CREDENTIALS = ("user_ocid", "fingerprint", "private_key", "private_key_path",
                "private_key_password", "config_file_profile")


def _oci_providers(project: Project) -> Iterator[Block]:
    for inst in stack_of(project).model.instances():
        for block in inst.config.providers:
            if block.labels and block.labels[0] == "oci":
                yield block


@rule("STK023", name="stack.provider-no-credentials", severity=Severity.ERROR, scope=Scope.STACK,
      summary="No credentials in provider \"oci\" blocks")
def provider_credentials(project: Project) -> Iterator[Problem]:
    """STK023."""
    for block in _oci_providers(project):
        for attr in _CREDENTIALS:
            if block.has(attr):
                yield Problem(f"provider \"oci\" sets {attr}", stack_of(project).at(block, attr),
                              hint="remove it: Resource Manager authenticates the provider")


@rule("STK024", name="stack.provider-region", severity=Severity.ERROR, scope=Scope.STACK,
      summary="The provider region is not a hard-coded literal")
def provider_region(project: Project) -> Iterator[Problem]:
    """STK024."""
    for block in _oci_providers(project):
        if block.has("region") and not references(block.expr("region")):
            yield Problem("provider \"oci\" hard-codes its region", stack_of(project).at(
                block, "region"), hint="use region = var.region (Resource Manager sets it)")


@rule("STK025", name="stack.provider-auth", severity=Severity.WARNING, scope=Scope.STACK,
      summary="The provider does not force an authentication Resource Manager does not use")
def provider_auth(project: Project) -> Iterator[Problem]:
    """STK025."""
    for block in _oci_providers(project):
        auth = evaluate(block.expr("auth"), EvalScope()) if block.has("auth") else None
        if isinstance(auth, str) and auth.lower() in ("instanceprincipal", "resourceprincipal",
                                                      "securitytoken"):
            yield Problem(f"provider \"oci\" sets auth = {auth!r}", stack_of(project).at(
                block, "auth"), hint="drop auth: Resource Manager supplies its own")


@rule("STK026", name="stack.auto-variables-declared", severity=Severity.ERROR, scope=Scope.STACK,
      summary="region and tenancy_ocid are declared when they are used")
@needs_root_configuration
def auto_variables(project: Project) -> Iterator[Problem]:
    """STK026."""
    stack = stack_of(project)
    cfg = stack.model.root.config
    for name in ("region", "tenancy_ocid"):
        if name in cfg.variables:
            continue
        for block in cfg.blocks:
            if any(r == f"var.{name}" for _, refs in block.references() for r in refs):
                yield Problem(f"var.{name} is used but `variable \"{name}\"` is not declared",
                              stack.at(block), hint=f"add variable \"{name}\" {{}}: Resource "
                              "Manager fills it in")
                break


ORM_TERRAFORM = ((1, 5, 7), (1, 2, 9), (1, 1, 3), (1, 0, 0))
_CONSTRAINT = re.compile(r"^\s*(~>|>=|<=|!=|=|>|<)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$")


def admits(constraint: str, version: tuple[int, int, int]) -> bool | None:
    """Whether a Terraform version constraint admits ``version``; None when unreadable."""
    for part in constraint.split(","):
        m = _CONSTRAINT.match(part)
        if not m:
            return None
        op = m.group(1) or "="
        given = [int(g) for g in m.groups()[1:] if g is not None]
        want = tuple(given + [0] * (3 - len(given)))
        ok = {"=": version == want, "!=": version != want, ">": version > want,
              ">=": version >= want, "<": version < want, "<=": version <= want}.get(op)
        if op == "~>":
            upper = list(given[:-1]) if len(given) > 1 else list(given)
            upper[-1] += 1
            ok = version >= want and version[: len(upper)] < tuple(upper)
        if not ok:
            return False
    return True


@rule("STK027", name="stack.terraform-version", severity=Severity.ERROR, scope=Scope.STACK,
      summary="required_version admits a Terraform version Resource Manager runs")
def terraform_version(project: Project) -> Iterator[Problem]:
    """STK027."""
    stack = stack_of(project)
    for block in stack.model.root.config.terraform:
        if not block.has("required_version"):
            continue
        value = evaluate(block.expr("required_version"), EvalScope())
        if not isinstance(value, str):
            continue
        verdicts = {v: admits(value, v) for v in ORM_TERRAFORM}
        if None in verdicts.values():
            yield Problem(f"cannot read required_version {value!r}", stack.at(
                block, "required_version"), severity=Severity.WARNING,
                hint="write a constraint such as \">= 1.5.0\"")
        elif not any(verdicts.values()):
            yield Problem(f"required_version {value!r} admits none of Resource Manager's "
                          "Terraform versions (1.5.x, 1.2.x, 1.1.x, 1.0.x)", stack.at(
                              block, "required_version"), hint="use \">= 1.5.0\"")
        elif not verdicts[(1, 5, 7)]:
            yield Problem(f"required_version {value!r} only admits Terraform versions older "
                          "than 1.5, which Resource Manager is retiring", stack.at(
                              block, "required_version"), severity=Severity.WARNING,
                          hint="allow 1.5: \">= 1.5.0\"")


# Experiments Terraform has concluded, and the release from which naming one is an error.
CONCLUDED_EXPERIMENTS = {"variable_validation": "0.13", "provider_sensitive_attrs": "0.15",
                         "module_variable_optional_attrs": "1.3"}


@rule("STK033", name="stack.no-experiments", severity=Severity.ERROR, scope=Scope.STACK,
      summary="No terraform block opts in to language experiments")
def no_experiments(project: Project) -> Iterator[Problem]:
    """STK033.

    Terraform stops at init on a concluded experiment ("Experiment has concluded"), and
    release builds run no active one, so every Terraform Resource Manager runs refuses
    the file. Checked in the root and in every local module it calls.
    """
    stack = stack_of(project)
    seen: set[str] = set()
    for inst in stack.model.instances():
        if inst.config.dir in seen:
            continue
        seen.add(inst.config.dir)
        for block in inst.config.terraform:
            if not block.has("experiments"):
                continue
            raw = block.body["experiments"]
            names = [str(n) for n in raw] if isinstance(raw, list) else \
                re.findall(r"[A-Za-z_][\w-]*", str(raw))
            concluded = [f"{n} (part of the language since {CONCLUDED_EXPERIMENTS[n]})"
                         for n in names if n in CONCLUDED_EXPERIMENTS]
            why = (f"Terraform refuses concluded experiments: {', '.join(concluded)}"
                   if concluded else "Terraform releases run no language experiment")
            yield Problem(f"experiments = [{', '.join(names)}]: {why}",
                          stack.at(block, "experiments"),
                          hint="delete the experiments argument (variable validation and "
                          "optional attributes need no opt-in since Terraform 1.3)")
