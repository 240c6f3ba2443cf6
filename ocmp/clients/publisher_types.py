"""What the Publisher and Resource Manager wrappers return: small typed, frozen records.

Each is parsed once, here, from the wire form (camelCase JSON) of what the service
answered — the SDK model serialized — so the core reads attributes, never wire keys.
Summaries (list calls) and full records share one type: a field a summary lacks keeps its
default. Only the fields ocmp uses are kept; a new one is added to its record and to the
record's ``_parse`` function.

The one place the core still sees API field names is :attr:`Revision.metadata`: the
revision's listing metadata as ``UpdateOciListingRevisionDetails`` names it, read and
written only by the declarative table of ``ocmp.core.publish.revision_fields``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

Wire = Mapping[str, Any]
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _text(data: Wire, key: str) -> str | None:
    value = data.get(key)
    return None if value is None else str(value)


def _str(data: Wire, key: str) -> str:
    return str(data.get(key) or "")


def _map(data: Wire, key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return MappingProxyType(dict(value)) if isinstance(value, dict) else _EMPTY


def _tags(data: Wire) -> Mapping[str, str]:
    return MappingProxyType({str(k): str(v) for k, v in _map(data, "freeformTags").items()})


def _rows(data: Wire, key: str) -> list[Wire]:
    value = data.get(key)
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def _name(data: Wire) -> str:
    return str(data.get("name") or data.get("displayName") or "")


# -- listings, revisions and their notes ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Listing:
    """A publisher listing (the container of its revisions)."""

    id: str
    name: str
    lifecycle_state: str
    package_type: str | None = None
    compartment_id: str | None = None


def listing(data: Wire) -> Listing:
    """Parse a listing (or its summary)."""
    return Listing(
        id=_str(data, "id"),
        name=_name(data),
        lifecycle_state=_str(data, "lifecycleState"),
        package_type=_text(data, "packageType"),
        compartment_id=_text(data, "compartmentId"),
    )


@dataclass(frozen=True, slots=True)
class Revision:
    """A listing revision: its status, the files ocmp recorded, its listing metadata."""

    id: str
    name: str
    lifecycle_state: str
    status: str | None
    time_created: str = ""  # RFC 3339 text sorts in time order
    time_updated: str | None = None
    status_notes: str | None = None
    term_id: str | None = None
    # ocmp records content hashes there
    tags: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    has_icon: bool = False
    icon_mime: str | None = None
    has_banner: bool = False
    pricing_type: str | None = None
    allowed_tenancies: tuple[str, ...] = ()
    is_rover_exportable: bool = False
    # The listing metadata as the API names it (UpdateOciListingRevisionDetails fields):
    # read only through the table of ocmp.core.publish.revision_fields.
    metadata: Mapping[str, Any] = field(default_factory=lambda: _EMPTY, repr=False)


def revision(data: Wire) -> Revision:
    """Parse a revision (or its summary)."""
    icon = _map(data, "icon")
    return Revision(
        id=_str(data, "id"),
        name=_name(data),
        lifecycle_state=_str(data, "lifecycleState"),
        status=_text(data, "status"),
        time_created=_str(data, "timeCreated"),
        time_updated=_text(data, "timeUpdated"),
        status_notes=_text(data, "statusNotes"),
        term_id=_text(data, "termId"),
        tags=_tags(data),
        has_icon=bool(data.get("icon")),
        icon_mime=_text(icon, "mimeType"),
        has_banner=bool(data.get("banner")),
        pricing_type=_text(data, "pricingType"),
        allowed_tenancies=tuple(str(t) for t in data.get("allowedTenancies") or ()),
        is_rover_exportable=bool(data.get("isRoverExportable")),
        metadata=MappingProxyType(dict(data)),
    )


@dataclass(frozen=True, slots=True)
class Note:
    """A note on a revision: the reviewer's (ADMINISTRATOR) or the publisher's."""

    id: str
    source: str | None  # PUBLISHER | ADMINISTRATOR
    text: str | None
    time_created: str = ""


def note(data: Wire) -> Note:
    """Parse a revision note."""
    return Note(
        id=_str(data, "id"),
        source=_text(data, "noteSource"),
        text=_text(data, "noteDetails"),
        time_created=_str(data, "timeCreated"),
    )


# -- terms -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """A term: the container of the terms-of-use document's versions."""

    id: str
    name: str
    lifecycle_state: str


def term(data: Wire) -> Term:
    """Parse a term."""
    return Term(id=_str(data, "id"), name=_name(data), lifecycle_state=_str(data, "lifecycleState"))


@dataclass(frozen=True, slots=True)
class TermVersion:
    """One version of a terms document (ACTIVE: the one customers accept)."""

    id: str
    name: str
    lifecycle_state: str
    status: str | None = None
    time_created: str = ""


def term_version(data: Wire) -> TermVersion:
    """Parse a term version."""
    return TermVersion(
        id=_str(data, "id"),
        name=_name(data),
        lifecycle_state=_str(data, "lifecycleState"),
        status=_text(data, "status"),
        time_created=_str(data, "timeCreated"),
    )


# -- attachments -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attachment:
    """A screenshot, related document or video of a revision."""

    id: str
    name: str
    lifecycle_state: str
    attachment_type: str | None  # SCREENSHOT | RELATED_DOCUMENT | VIDEO
    tags: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    mime_type: str | None = None
    content_url: str | None = None  # where the service holds an uploaded file
    # The link of a document or video. The SDK's models drop sourceUrl: ocmp records it in
    # the tag ocmp-url too, and this falls back to it.
    url: str | None = None
    document_category: str | None = None


def attachment(data: Wire) -> Attachment:
    """Parse an attachment (or its summary)."""
    tags = _tags(data)
    video = _map(data, "videoAttachmentDetails")
    url = (
        _text(data, "sourceUrl")
        or _text(video, "contentUrl")
        or _text(data, "contentUrl")
        or tags.get("ocmp-url")
    )
    return Attachment(
        id=_str(data, "id"),
        name=_name(data),
        lifecycle_state=_str(data, "lifecycleState"),
        attachment_type=_text(data, "attachmentType"),
        tags=tags,
        mime_type=_text(data, "mimeType"),
        content_url=_text(data, "contentUrl"),
        url=url,
        document_category=_text(data, "documentCategory"),
    )


# -- artifacts and packages ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShapeEntry:
    """A shape an image artifact runs on, with its flex limits (min, max)."""

    shape: str
    ocpus: tuple[float, float] | None = None
    memory_gbs: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class MachineImage:
    """A MACHINE_IMAGE artifact's ``machineImage`` block."""

    source_image_id: str | None
    username: str | None
    snapshot_allowed: bool
    shapes: tuple[ShapeEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class StackSource:
    """A STACK artifact's ``stack`` block."""

    source_stack_id: str | None
    image_listing_ids: tuple[str, ...] = ()


def _pair(block: Wire, low: str, high: str) -> tuple[float, float] | None:
    if not block:
        return None
    return (float(block[low]), float(block[high]))


def _machine_image(block: Wire) -> MachineImage:
    shapes = tuple(
        ShapeEntry(
            shape=str(e["shape"]),
            ocpus=_pair(_map(e, "ocpuConstraints"), "min", "max"),
            memory_gbs=_pair(_map(e, "memoryConstraints"), "minInGBs", "maxInGBs"),
        )
        for e in _rows(block, "imageShapeCompatibilityEntries")
        if e.get("shape")
    )
    return MachineImage(
        source_image_id=_text(block, "sourceImageId"),
        username=_text(block, "username"),
        snapshot_allowed=bool(block.get("isSnapshotAllowed")),
        shapes=shapes,
    )


@dataclass(frozen=True, slots=True)
class Artifact:
    """What a package ships (an image, a stack), validated by the service."""

    id: str
    name: str
    lifecycle_state: str
    status: str | None  # AVAILABLE | UNAVAILABLE | VALIDATION_IN_PROGRESS …
    artifact_type: str | None = None
    status_notes: str | None = None
    validation_error: str | None = None
    machine_image: MachineImage | None = None  # MACHINE_IMAGE artifacts
    stack: StackSource | None = None  # STACK artifacts


def artifact(data: Wire) -> Artifact:
    """Parse an artifact (or its summary)."""
    image, stack = _map(data, "machineImage"), _map(data, "stack")
    block = image or stack
    return Artifact(
        id=_str(data, "id"),
        name=_name(data),
        lifecycle_state=_str(data, "lifecycleState"),
        status=_text(data, "status"),
        artifact_type=_text(data, "artifactType"),
        status_notes=_text(data, "statusNotes"),
        validation_error=_text(block, "validationError"),
        machine_image=_machine_image(image) if image else None,
        stack=StackSource(
            source_stack_id=_text(stack, "sourceStackId"),
            image_listing_ids=tuple(str(i) for i in stack.get("imageListingIds") or ()),
        ) if stack else None,
    )


@dataclass(frozen=True, slots=True)
class PackageImage:
    """Where Marketplace published a machine image package (``machineImageDetails``)."""

    app_catalog_listing_id: str | None
    image_id: str | None
    version: str | None


@dataclass(frozen=True, slots=True)
class Package:
    """A package of a revision: one version of what the listing ships."""

    id: str
    version: str | None
    lifecycle_state: str
    status: str | None
    is_default: bool = False  # full packages only: summaries lack it
    artifact_id: str | None = None
    term_id: str | None = None
    description: str | None = None
    security_upgrades: bool = False
    time_created: str = ""
    image: PackageImage | None = None  # once a machine image package is published


def package(data: Wire) -> Package:
    """Parse a package (or its summary)."""
    image = _map(data, "machineImageDetails")
    return Package(
        id=_str(data, "id"),
        version=_text(data, "packageVersion"),
        lifecycle_state=_str(data, "lifecycleState"),
        status=_text(data, "status"),
        is_default=bool(data.get("isDefault")),
        artifact_id=_text(data, "artifactId"),
        term_id=_text(data, "termId"),
        description=_text(data, "description"),
        security_upgrades=bool(data.get("areSecurityUpgradesProvided")),
        time_created=_str(data, "timeCreated"),
        image=PackageImage(
            app_catalog_listing_id=_text(image, "computeAppCatalogId"),
            image_id=_text(image, "computeImageId"),
            version=_text(image, "computePackageVersion"),
        ) if image else None,
    )


# -- work requests (the same shape in every OCI service) ------------------------------


@dataclass(frozen=True, slots=True)
class WorkResource:
    """A resource a work request acted on."""

    entity_type: str
    action_type: str  # CREATED | UPDATED | DELETED | IN_PROGRESS …
    identifier: str


@dataclass(frozen=True, slots=True)
class WorkRequest:
    """An asynchronous operation and where it stands."""

    id: str
    status: str
    percent: float | None
    operation: str
    resources: tuple[WorkResource, ...] = ()

    @property
    def finished(self) -> bool:
        """Whether the work request has reached an end state."""
        return self.status in {"SUCCEEDED", "FAILED", "CANCELED"}

    def created_id(self, entity_hint: str = "") -> str | None:
        """The OCID of the resource this work request created (``actionType`` CREATED)."""
        created = [r for r in self.resources if r.action_type == "CREATED"]
        if entity_hint:
            matching = [r for r in created if entity_hint.lower() in r.entity_type.lower()]
            created = matching or created
        return created[0].identifier if created else None


def work_request(data: Wire, default_id: str = "") -> WorkRequest:
    """Parse a work request (or its summary)."""
    percent = data.get("percentComplete")
    return WorkRequest(
        id=str(data.get("id") or default_id),
        status=_str(data, "status"),
        percent=float(percent) if percent is not None else None,
        operation=_str(data, "operationType"),
        resources=tuple(
            WorkResource(_str(r, "entityType"), _str(r, "actionType"), _str(r, "identifier"))
            for r in _rows(data, "resources")
        ),
    )


def work_request_error(data: Wire) -> str:
    """The message of one work request error."""
    return _str(data, "message") or _str(data, "code")


# -- Resource Manager ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stack:
    """A Resource Manager stack."""

    id: str
    name: str
    lifecycle_state: str
    variables: Mapping[str, str] = field(default_factory=lambda: _EMPTY)  # full stacks only
    etag: str | None = None


def stack(data: Wire, etag: str | None = None) -> Stack:
    """Parse a stack (or its summary)."""
    return Stack(
        id=_str(data, "id"),
        name=_name(data),
        lifecycle_state=_str(data, "lifecycleState"),
        variables=MappingProxyType({str(k): str(v) for k, v in _map(data, "variables").items()}),
        etag=etag,
    )


@dataclass(frozen=True, slots=True)
class Job:
    """A Resource Manager job (PLAN, APPLY, DESTROY) and how it stands."""

    id: str
    lifecycle_state: str  # ACCEPTED | IN_PROGRESS | SUCCEEDED | FAILED | CANCELED …
    failure_code: str | None = None
    failure_message: str | None = None


def job(data: Wire) -> Job:
    """Parse a job."""
    failure = _map(data, "failureDetails")
    return Job(
        id=_str(data, "id"),
        lifecycle_state=_str(data, "lifecycleState"),
        failure_code=_text(failure, "code"),
        failure_message=_text(failure, "message"),
    )


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One line group of a job's log."""

    message: str
    level: str


def log_entry(data: Wire) -> LogEntry:
    """Parse a job log entry."""
    return LogEntry(message=_str(data, "message"), level=_str(data, "level").upper())
