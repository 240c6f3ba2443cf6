"""What the OCI provider finds wrong when a stack names App Catalog entries that do not exist.

The real provider reads ``data "oci_core_app_catalog_listing_resource_version"`` (and the
other App Catalog data sources) while planning, and creates the agreement and the
subscription while applying; an App Catalog listing or resource version the tenancy cannot
see answers ``404 NotAuthorizedOrNotFound``, which Terraform prints as an ``Error:`` block
naming the resource, the file and the line. This module finds those references in the
stack's zip and checks them against the App Catalog, with the values Terraform would use:
string literals, ``var.x`` (the stack's variables first, then the default), ``local.x``,
and module arguments passed into local modules (``source = "./modules/x"``). Anything it
cannot resolve (other resources' attributes, functions, conditionals, ``for_each``) is not
checked: the sandbox must never fail a stack the real service would plan.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import hcl2

# (block kind, type) → (listing argument, version argument or None, API operation,
# whether it is read while planning (data sources) or only while applying (resources)).
_CHECKED: dict[tuple[str, str], tuple[str, str | None, str, bool]] = {
    ("data", "oci_core_app_catalog_listing_resource_version"):
        ("listing_id", "resource_version", "GetAppCatalogListingResourceVersion", True),
    ("data", "oci_core_app_catalog_listing_resource_versions"):
        ("listing_id", None, "ListAppCatalogListingResourceVersions", True),
    ("data", "oci_core_app_catalog_listing"):
        ("listing_id", None, "GetAppCatalogListing", True),
    ("resource", "oci_core_app_catalog_listing_resource_version_agreement"):
        ("listing_id", "listing_resource_version", "GetAppCatalogListingAgreements", False),
    ("resource", "oci_core_app_catalog_subscription"):
        ("listing_id", "listing_resource_version", "CreateAppCatalogSubscription", False),
}
PROVIDER_VERSION = "Provider version: 6.18.0, released on 2024-11-19."
POLICY_REFERENCE = "https://docs.oracle.com/en-us/iaas/Content/Identity/Reference/policyreference.htm"
MAX_MODULE_DEPTH = 8
_VAR = re.compile(r"^\$\{(var|local)\.([A-Za-z_][A-Za-z0-9_-]*)\}$")

# Whether the tenancy's App Catalog has this listing (version None) or this version of it.
Known = Callable[[str, str | None], bool]


@dataclass(frozen=True)
class _Module:
    """One module instance: its folder in the zip and the values of its variables."""

    folder: str  # POSIX, "" for the root
    address: str  # "" for the root, else "module.a.module.b."
    values: Mapping[str, str]  # variables set by the caller (stack variables for the root)
    root: str  # the root module's folder (the stack's working directory)


def catalog_errors(data: bytes, working_directory: str | None, variables: Mapping[str, Any],
                   known: Known, *, planning: bool) -> list[str]:
    """Terraform errors for App Catalog entries the stack references that do not exist.

    ``planning``: a PLAN reads data sources only; an APPLY also creates the resources.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return []
    with archive:
        texts = {}
        for info in archive.infolist():
            if info.is_dir() or not info.filename.endswith(".tf"):
                continue
            try:
                texts[info.filename] = archive.read(info).decode("utf-8")
            except (UnicodeDecodeError, zipfile.BadZipFile, OSError, ValueError):
                continue
    root = (working_directory or "").strip("/")
    strings = {k: v for k, v in variables.items() if isinstance(v, str)}
    errors: list[str] = []
    _check_module(texts, _Module(root, "", strings, root), known, planning, errors, depth=0)
    return errors


def _parsed(texts: Mapping[str, str], folder: str) -> list[tuple[str, dict[str, Any]]]:
    """(file name, parsed body) of every .tf file directly in ``folder``."""
    out = []
    for name in sorted(texts):
        if posixpath.dirname(name) != folder:
            continue
        try:
            out.append((name, hcl2.loads(texts[name])))
        except Exception:  # a syntax error is reported by terraform_check, not here
            continue
    return out


def _blocks(body: dict[str, Any], kind: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(type, name, arguments) of the ``kind`` blocks (data/resource) of one file."""
    found = []
    for entry in body.get(kind, []):
        for type_, named in entry.items():
            if not isinstance(named, dict):
                continue
            for name, args in named.items():
                if isinstance(args, dict):
                    found.append((_unquote(type_) or type_, _unquote(name) or name, args))
    return found


def _unquote(value: Any) -> str | None:
    """A plain string literal's value; None for anything else (expressions, templates)."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        inner = value[1:-1]
        if "${" not in inner and "%{" not in inner:
            return inner
    return None


class _Scope:
    """Resolves expressions of one module: literals, var.x, local.x."""

    def __init__(self, files: list[tuple[str, dict[str, Any]]], values: Mapping[str, str]):
        self.defaults: dict[str, Any] = {}
        self.locals: dict[str, Any] = {}
        for _, body in files:
            for entry in body.get("variable", []):
                for name, block in entry.items():
                    if isinstance(block, dict) and "default" in block:
                        self.defaults[_unquote(name) or name] = block["default"]
            for entry in body.get("locals", []):
                self.locals.update({k: v for k, v in entry.items() if not k.startswith("__")})
        self.values = values

    def resolve(self, value: Any, depth: int = 0) -> str | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            return str(value)
        literal = _unquote(value)
        if literal is not None:
            return literal
        match = _VAR.match(value) if isinstance(value, str) and depth < 8 else None
        if match is None:
            return None
        kind, name = match.groups()
        if kind == "var":
            if name in self.values:
                return self.values[name]
            return self.resolve(self.defaults[name], depth + 1) if name in self.defaults else None
        return self.resolve(self.locals[name], depth + 1) if name in self.locals else None


def _check_module(texts: Mapping[str, str], module: _Module, known: Known, planning: bool,
                  errors: list[str], depth: int) -> None:
    files = _parsed(texts, module.folder)
    scope = _Scope(files, module.values)
    for file, body in files:
        for kind in ("data", "resource"):
            for type_, name, args in _blocks(body, kind):
                check = _CHECKED.get((kind, type_))
                if check is None or (planning and not check[3]) or not _counted(args, scope):
                    continue
                listing_arg, version_arg, operation, _ = check
                listing = scope.resolve(args.get(listing_arg))
                version = scope.resolve(args.get(version_arg)) if version_arg else None
                if listing is None or (version_arg and version is None):
                    continue  # not known before apply (or not to us): not checked
                if known(listing, None) and (version is None or known(listing, version)):
                    continue
                # Terraform names files relative to the root module: "modules/image/main.tf".
                where = posixpath.relpath(file, module.root) if module.root else file
                errors.append(_not_found(kind, type_, name, module.address, where,
                                         texts[file], operation, listing, version))
        if depth >= MAX_MODULE_DEPTH:
            continue
        for entry in body.get("module", []):
            for name, args in entry.items():
                if not isinstance(args, dict) or not _counted(args, scope):
                    continue
                source = _unquote(args.get("source"))
                if source is None or not source.startswith(("./", "../")):
                    continue  # registry and remote modules are not in the zip
                folder = posixpath.normpath(posixpath.join(module.folder or ".", source))
                if folder == ".." or folder.startswith("../"):
                    continue  # outside the zip
                folder = "" if folder == "." else folder
                values = {}
                for arg, value in args.items():
                    resolved = scope.resolve(value)
                    if resolved is not None and not arg.startswith("__"):
                        values[arg] = resolved
                label = _unquote(name) or name
                _check_module(texts, _Module(folder, f"{module.address}module.{label}.", values,
                                             module.root), known, planning, errors, depth + 1)


def _counted(args: dict[str, Any], scope: _Scope) -> bool:
    """Whether a block certainly exists: no ``for_each``, and a ``count`` known to be > 0."""
    if "for_each" in args:
        return False
    if "count" not in args:
        return True
    count = scope.resolve(args["count"])
    try:
        return count is not None and int(float(count)) > 0
    except ValueError:
        return False


def _not_found(kind: str, type_: str, name: str, address: str, file: str, text: str,
               operation: str, listing: str, version: str | None) -> str:
    service = "Core " + " ".join(w.capitalize() for w in type_.removeprefix("oci_core_")
                                 .split("_"))
    docs = "data-sources" if kind == "data" else "resources"
    api = "AppCatalogSubscription" if "subscription" in type_ else (
        "AppCatalogListingResourceVersion" if version else "AppCatalogListing")
    request = hashlib.sha256(f"{listing}/{version}/{type_}.{name}".encode()).hexdigest().upper()
    line, source = _block_line(text, kind, type_, name)
    prefix = "data." if kind == "data" else ""
    return "\n".join([
        "Error: 404-NotAuthorizedOrNotFound, Authorization failed or requested resource "
        "not found.",
        f"Suggestion: Either the resource has been deleted or service {service} need policy "
        f"to access this resource. Policy reference: {POLICY_REFERENCE}",
        f"Documentation: https://registry.terraform.io/providers/oracle/oci/latest/docs/{docs}/"
        f"{type_.removeprefix('oci_')}",
        f"API Reference: https://docs.oracle.com/iaas/api/#/en/iaas/20160918/{api}/{operation}",
        PROVIDER_VERSION,
        f"Service: {service}",
        f"Operation Name: {operation}",
        f"OPC request ID: {request[:32].lower()}/{request[32:64]}",
        "",
        f"  with {address}{prefix}{type_}.{name},",
        f"  on {file} line {line}, in {kind} \"{type_}\" \"{name}\":",
        f"  {line}: {source}",
    ])


def _block_line(text: str, kind: str, type_: str, name: str) -> tuple[int, str]:
    pattern = re.compile(rf'^\s*{kind}\s+"{re.escape(type_)}"\s+"{re.escape(name)}"', re.M)
    match = pattern.search(text)
    if match is None:
        return 1, ""
    start = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
    line = text.count("\n", 0, start) + 1
    return line, text.splitlines()[line - 1].strip()
