"""``ocmp import``: write listing.yaml and its files from a live listing.

Reads the listing, its newest revision, the default package with its artifact (and, for
a stack, the Resource Manager stack's Terraform zip), the terms and their active
version, the icon and the screenshots, and writes a project that ``ocmp diff`` finds in
sync with the live listing. Everything is written to a staging directory first and moved
into place only when listing.yaml loads cleanly.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ocmp.clients.publisher import Package, PublisherApi, Revision
from ocmp.core.files import write_error, write_file_atomic
from ocmp.core.kinds import kind_of_package
from ocmp.core.publish.revision_fields import FIELDS
from ocmp.errors import CloudError, InputError

_EXT = {"image/png": ".png", "image/jpeg": ".jpg", "image/jpg": ".jpg"}


@dataclass
class Imported:
    """What ``import`` wrote."""

    directory: Path
    files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # what the API does not let us read back


def _ext(mime: str | None, data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return ".png"
    return _EXT.get(str(mime), ".jpg" if data.startswith(b"\xff\xd8") else ".bin")


def _newest(revisions: list[Revision]) -> Revision:
    if not revisions:
        raise CloudError("the listing has no revision to import")
    return max(revisions, key=lambda r: (r.time_created, r.id))


def _default_package(api: PublisherApi, revision_id: str) -> Package | None:
    packages = [api.get_package(p.id) for p in api.list_packages(revision_id)]
    return next((p for p in packages if p.is_default), packages[0] if packages else None)


def _metadata(rev: Revision, files: dict[str, bytes]) -> dict[str, Any]:
    """The ``listing:`` section back from the revision, by the table of
    :mod:`~ocmp.core.publish.revision_fields` (the name is the listing's, set by the caller)."""
    meta = {row.key: row.from_api(rev.metadata, files.__setitem__) for row in FIELDS}
    return {k: v for k, v in meta.items() if v not in ([], None) or k in ("name", "headline")}


def _attachments(
    api: PublisherApi,
    rev_id: str,
    meta: dict[str, Any],
    files: dict[str, bytes],
    skipped: list[str],
) -> None:
    shots: list[dict[str, Any]] = []
    docs: list[dict[str, Any]] = []
    videos: list[dict[str, Any]] = []
    for summary in api.list_attachments(rev_id):
        kind = summary.attachment_type
        if kind == "SCREENSHOT":
            data = api.get_attachment_content(summary.id)
            rel = f"assets/screenshot-{len(shots) + 1}{_ext(summary.mime_type, data)}"
            files[rel] = data
            shots.append({"file": rel, "name": summary.name})
            continue
        att = api.get_attachment(summary.id)
        # The SDK's attachment models drop sourceUrl; ocmp keeps it in the tag ocmp-url.
        url = att.url or summary.url
        if not url:
            skipped.append(f"{kind} {att.name!r}: its URL cannot be read back; add it by hand")
        elif kind == "RELATED_DOCUMENT":
            docs.append({"name": att.name, "category": att.document_category, "url": url})
        elif kind == "VIDEO":
            videos.append({"name": att.name, "url": url})
    for key, value in (("screenshots", shots), ("documents", docs), ("videos", videos)):
        if value:
            meta[key] = value


def _terms(
    api: PublisherApi, term_id: str | None, files: dict[str, bytes]
) -> dict[str, Any] | None:
    if not term_id:
        return None
    term = api.get_term(term_id)
    versions = [v for v in api.list_term_versions(term_id) if v.lifecycle_state == "ACTIVE"]
    if not versions:
        return None
    version = versions[-1]
    match = re.match(r"^([\w.-]+) sha256:[0-9a-f]+$", version.name)  # named by ocmp
    rel = f"terms/{match.group(1) if match else 'terms.md'}"
    files[rel] = api.get_term_version_content(version.id)
    return {"name": term.name, "document": rel}


def _package(
    api: PublisherApi, rm: Any, pkg: Package, files: dict[str, bytes]
) -> tuple[str, dict[str, Any]]:
    """The kind and the listing.yaml package section of the default package."""
    artifact = api.get_artifact(str(pkg.artifact_id))
    out: dict[str, Any] = {
        "version": str(pkg.version),
        "security_upgrades": pkg.security_upgrades,
    }
    if pkg.description:
        out["description"] = pkg.description
    kind = kind_of_package(artifact.artifact_type)
    imported = kind.read_artifact(artifact, lambda stack_id: rm.get_stack_zip(stack_id))
    files.update(imported.files)
    out[kind.name] = imported.section
    return kind.name, out


def import_listing(
    api: PublisherApi, rm: Any, listing_id: str, dest: Path | None, tenancy_id: str
) -> Imported:
    """Write the project of ``listing_id`` into ``dest`` (default: ./<listing-name-slug>)."""
    if dest is not None and dest.exists() and any(dest.iterdir()):
        raise InputError(
            "the directory is not empty", file=str(dest), hint="give a new directory to import into"
        )
    listing = api.get_listing(listing_id)
    if dest is None:
        from ocmp.core.publish.journal import slug

        dest = Path(slug(listing.name))
        if dest.exists() and any(dest.iterdir()):
            raise InputError(
                "the directory is not empty",
                file=str(dest),
                hint="give a new directory to import into",
            )
    rev = api.get_revision(_newest(api.list_revisions(listing_id)).id)
    files: dict[str, bytes] = {}
    result = Imported(dest)
    meta = _metadata(rev, files)
    meta["name"] = listing.name
    if rev.has_icon:
        data = api.get_icon(rev.id)
        meta["icon"] = f"assets/icon{_ext(rev.icon_mime, data)}"
        files[meta["icon"]] = data
    if rev.has_banner:
        result.skipped.append("banner: the API has no call to download it; add it by hand")
    _attachments(api, rev.id, meta, files, result.skipped)
    pkg = _default_package(api, rev.id)
    if pkg is None:
        raise CloudError("the listing's newest revision has no package to import")
    kind, package = _package(api, rm, pkg, files)
    doc: dict[str, Any] = {"kind": kind}
    if listing.compartment_id and listing.compartment_id != tenancy_id:
        doc["compartment"] = listing.compartment_id
    doc["listing"] = meta
    terms = _terms(api, rev.term_id or pkg.term_id, files)
    if terms:
        doc["terms"] = terms
    doc["package"] = package
    publish: dict[str, Any] = {"roving_edge_exportable": rev.is_rover_exportable}
    if rev.allowed_tenancies:
        publish["private"] = {"allowed_tenancies": list(rev.allowed_tenancies)}
    doc["publish"] = publish
    files["listing.yaml"] = (
        "# Imported by `ocmp import` from "
        + listing_id
        + "\n"
        + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    ).encode()
    _write(dest, files)
    result.files = sorted(files)
    return result


def _write(dest: Path, files: dict[str, bytes]) -> None:
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise InputError("exists and is not a folder", file=str(dest),
                         hint="give a new directory to import into")
    try:
        dest.absolute().parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create: {write_error(exc)}", file=str(dest)) from None
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.absolute().parent))
    try:
        for rel, data in files.items():
            if "\0" in rel or ".." in Path(rel).parts or Path(rel).is_absolute():
                raise CloudError(f"the live listing holds an unsafe file name: {rel!r}")
            write_file_atomic(staging / rel, data, project_root=staging, display=rel)
        from ocmp.core.listing_file import load_listing

        load_listing(staging / "listing.yaml", str(dest / "listing.yaml"))  # must load cleanly
        staging.chmod(0o755)
        if dest.exists():
            dest.rmdir()
        staging.replace(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
