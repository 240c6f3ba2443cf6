"""What listing.yaml asks for, in the wire form of the Publisher API.

:func:`desired_state` turns a loaded listing file into a :class:`Desired`: the revision
fields as the API names them, every file's bytes with a content hash, the artifact body
and the package. Hashes name things: an artifact whose display name carries the hash of
its specification is found again by name after a crash, and only a changed file is
uploaded again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ocmp.core.files import read_bytes_bounded
from ocmp.core.kinds import ListingKind, kind_of
from ocmp.core.limits import MAX_ASSET_BYTES, MAX_TEXT_BYTES
from ocmp.core.publish.revision_fields import FIELDS
from ocmp.errors import InputError
from ocmp.schemas.common import FileRef
from ocmp.schemas.listing import ImageListingFile, ListingMetadata, Screenshot, StackListingFile

LISTING_TYPE = "OCI_APPLICATION"


def sha(data: bytes) -> str:
    """The short content hash ocmp records (16 hex digits of SHA-256)."""
    return hashlib.sha256(data).hexdigest()[:16]


def spec_hash(value: Any) -> str:
    """A stable hash of a JSON-like value."""
    import json

    return sha(json.dumps(value, sort_keys=True, separators=(",", ":")).encode())


@dataclass(frozen=True)
class Asset:
    """A file to upload, with its hash."""

    path: Path
    content: bytes = field(repr=False)
    sha: str


@dataclass(frozen=True)
class PackageSpec:
    """The package fields listing.yaml decides (the artifact and term come from the run)."""

    version: str
    description: str | None
    security_upgrades: bool


@dataclass(frozen=True)
class DesiredAttachment:
    """A screenshot, document or video of the revision, keyed by type and name."""

    attachment_type: str
    name: str
    body: dict[str, Any]  # create body without listingRevisionId
    content: Asset | None
    sha: str  # of body + content: the tag ocmp-sha on the live attachment
    url: str | None = None  # a document's or video's link (recorded in the tag ocmp-url)


@dataclass(frozen=True)
class Desired:
    """Everything publish must make true, computed once from listing.yaml."""

    kind: str  # listing.yaml kind: a name of the kind registry (ocmp.core.kinds)
    name: str
    compartment_id: str
    revision: dict[str, Any]  # UpdateOciListingRevisionDetails fields (managed ones only)
    icon: Asset | None
    banner: Asset | None
    attachments: list[DesiredAttachment]
    terms_name: str
    terms: Asset
    package_version: str
    package: PackageSpec
    artifact_block: dict[str, Any]  # the kind's artifact block, as listing.yaml decides it
    artifact_name: str  # artifact display name prefix: "<name> <version>"
    stack_path: Path | None  # the folder the kind uploads (a stack's Terraform), if any
    note_to_reviewer: str | None
    allowed_tenancies: list[str]
    auto_publish: bool
    image_listings: list[str] = field(default_factory=list)
    # package.keep_published: the newest N, or the versions listed; None = retire nothing
    keep_published: int | list[str] | None = None

    @property
    def listing_kind(self) -> ListingKind:
        """The kind's module (:mod:`ocmp.core.kinds`): everything kind-specific."""
        return kind_of(self.kind)

    @property
    def package_type(self) -> str:
        """The listing's packageType and its artifact's artifactType."""
        return self.listing_kind.package_type


def _read(root: Path, rel: str, what: str, limit: int = MAX_ASSET_BYTES) -> bytes:
    # The same caps as `validate` (listing_file checks them first): never ship more.
    return read_bytes_bounded(root / rel, f"{what} {rel}", limit=limit)


def _asset(root: Path, rel: str | None, what: str) -> Asset | None:
    if not rel:
        return None
    data = _read(root, rel, what)
    return Asset(root / rel, data, sha(data))


def _text(root: Path, value: str | FileRef | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, FileRef):
        return _read(root, value.file, "text file", MAX_TEXT_BYTES).decode("utf-8", "replace")
    return value


def _prune(value: Any) -> Any:
    """Drop None values and empty containers, so live and desired compare equal."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def revision_fields(meta: ListingMetadata, root: Path, rover: bool) -> dict[str, Any]:
    """The revision's metadata in API form (``UpdateOciListingRevisionDetails``), by the
    table of :mod:`~ocmp.core.publish.revision_fields`."""
    fields: dict[str, Any] = {}
    for row in FIELDS:
        if row.key == "demo_url":  # isRoverExportable (from publish:) goes where it always went
            fields["isRoverExportable"] = rover
        fields.update(row.to_api(getattr(meta, row.key), lambda v: _text(root, v)))
    pruned: dict[str, Any] = _prune(fields)
    pruned["isRoverExportable"] = rover  # False is a value, not an absence
    return pruned


def _attachments(meta: ListingMetadata, root: Path) -> list[DesiredAttachment]:
    found: list[DesiredAttachment] = []
    for i, shot in enumerate(meta.screenshots, start=1):
        rel = shot.file if isinstance(shot, Screenshot) else shot
        name = (shot.name if isinstance(shot, Screenshot) else None) or f"Screenshot {i}"
        asset = _asset(root, rel, "screenshot")
        body: dict[str, Any] = {"attachmentType": "SCREENSHOT", "displayName": name}
        found.append(
            DesiredAttachment(
                "SCREENSHOT", name, body, asset, spec_hash([body, asset and asset.sha])
            )
        )
    for doc in meta.documents:
        body = {
            "attachmentType": "RELATED_DOCUMENT",
            "displayName": doc.name,
            "documentCategory": doc.category,
            "sourceUrl": doc.url,
            "sourceType": "EXTERNAL",
        }
        found.append(
            DesiredAttachment("RELATED_DOCUMENT", doc.name, body, None, spec_hash(body), doc.url)
        )
    for video in meta.videos:
        body = {
            "attachmentType": "VIDEO",
            "displayName": video.name,
            "videoAttachmentDetails": {"contentUrl": video.url, "sourceType": "EXTERNAL"},
        }
        found.append(DesiredAttachment("VIDEO", video.name, body, None, spec_hash(body), video.url))
    return found


def desired_state(
    listing: ImageListingFile | StackListingFile, root: Path, default_compartment: str
) -> Desired:
    """Compute what must be true in the cloud for ``listing`` (rooted at ``root``)."""
    meta = listing.listing
    if listing.terms is None:
        raise InputError(
            "a package needs terms of use, and listing.yaml has no terms: section",
            file="listing.yaml",
            hint="add terms: {name: ..., document: terms/eula.md}",
        )
    terms = _asset(root, listing.terms.document, "terms document")
    assert terms is not None
    pkg = listing.package
    package = PackageSpec(pkg.version, pkg.description, pkg.security_upgrades)
    private = listing.publish.private
    kind = kind_of(listing.kind)  # an unknown kind stops here
    source = kind.source(listing, root)
    return Desired(
        kind=listing.kind,
        name=meta.name,
        compartment_id=listing.compartment or default_compartment,
        revision=revision_fields(meta, root, listing.publish.roving_edge_exportable),
        icon=_asset(root, meta.icon, "icon"),
        banner=_asset(root, meta.banner, "banner"),
        attachments=_attachments(meta, root),
        terms_name=listing.terms.name,
        terms=terms,
        package_version=pkg.version,
        package=package,
        artifact_block=kind.artifact_block(listing),
        artifact_name=pkg.display_name or f"{meta.name} {pkg.version}",
        stack_path=source.path,
        note_to_reviewer=listing.publish.note_to_reviewer,
        allowed_tenancies=list(private.allowed_tenancies) if private else [],
        auto_publish=listing.publish.auto_publish_on_approval,
        image_listings=list(source.image_listings),
        keep_published=pkg.keep_published,
    )
