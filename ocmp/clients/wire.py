"""Results in wire form: what the Publisher and Resource Manager wrappers return.

Both services' wrappers answer with :class:`Resource`/:class:`WorkRequest` — ocmp's own
small types holding the wire form (camelCase JSON) of what the service answered, so the
core never sees SDK models — and send bodies as camelCase dicts, exactly the JSON the
APIs document. :class:`WireWrapper` is the one-request plumbing they share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ocmp.clients._base import ServiceWrapper
from ocmp.errors import InputError

MAX_DOWNLOAD_BYTES = 256 * 1024 * 1024  # one download: a stack zip, an attachment, an icon


@dataclass(frozen=True)
class Resource:
    """One Marketplace resource as the service returned it."""

    id: str
    name: str  # ``name`` or ``displayName``
    lifecycle_state: str
    status: str | None
    body: dict[str, Any] = field(repr=False)
    etag: str | None = None

    def get(self, key: str, default: Any = None) -> Any:
        """A field of the wire body (the typed properties below name the common ones)."""
        return self.body.get(key, default)

    def _text(self, key: str) -> str | None:
        value = self.body.get(key)
        return None if value is None else str(value)

    @property
    def time_created(self) -> str:
        """``timeCreated`` (RFC 3339 text sorts in time order); "" when absent."""
        return str(self.body.get("timeCreated") or "")

    @property
    def time_updated(self) -> str | None:
        """``timeUpdated``."""
        return self._text("timeUpdated")

    @property
    def tags(self) -> dict[str, str]:
        """``freeformTags`` (ocmp records content hashes there)."""
        return dict(self.body.get("freeformTags") or {})

    @property
    def status_notes(self) -> str | None:
        """``statusNotes`` of a revision or artifact."""
        return self._text("statusNotes")

    # listings and packages

    @property
    def package_type(self) -> str | None:
        """A listing's ``packageType`` (the kind's, :mod:`ocmp.core.kinds`)."""
        return self._text("packageType")

    @property
    def package_version(self) -> str | None:
        """A package's ``packageVersion``."""
        return self._text("packageVersion")

    @property
    def is_default(self) -> bool:
        """Whether a package is its revision's default (full packages only: not summaries)."""
        return bool(self.body.get("isDefault"))

    @property
    def artifact_id(self) -> str | None:
        """A package's ``artifactId``."""
        return self._text("artifactId")

    @property
    def term_id(self) -> str | None:
        """A package's or revision's ``termId``."""
        return self._text("termId")

    # attachments and notes

    @property
    def attachment_type(self) -> str | None:
        """SCREENSHOT, RELATED_DOCUMENT or VIDEO."""
        return self._text("attachmentType")

    @property
    def note_source(self) -> str | None:
        """Who wrote a note: PUBLISHER or ADMINISTRATOR (the reviewer)."""
        return self._text("noteSource")

    @property
    def note_details(self) -> str | None:
        """A note's text."""
        return self._text("noteDetails")


@dataclass(frozen=True)
class WorkRequest:
    """An asynchronous operation and where it stands."""

    id: str
    status: str
    percent: float | None
    operation: str
    resources: list[dict[str, Any]]

    @property
    def finished(self) -> bool:
        """Whether the work request has reached an end state."""
        return self.status in {"SUCCEEDED", "FAILED", "CANCELED"}

    def created_id(self, entity_hint: str = "") -> str | None:
        """The OCID of the resource this work request created (``actionType`` CREATED)."""
        created = [r for r in self.resources if r.get("actionType") == "CREATED"]
        if entity_hint:
            matching = [
                r for r in created if entity_hint.lower() in str(r.get("entityType", "")).lower()
            ]
            created = matching or created
        return str(created[0]["identifier"]) if created else None


class WireWrapper(ServiceWrapper):
    """A service wrapper whose results keep the wire form (:class:`Resource`)."""

    def _wire(self, data: Any) -> Any:
        return self.sdk.base_client.sanitize_for_serialization(data)

    def _one(self, op: str, *args: Any, write: bool = False, **kw: Any) -> Resource:
        resp = self._send(op, *args, write=write, **kw)
        return to_resource(self._wire(resp.data), resp.headers.get("etag"))

    def _content(self, op: str, *args: Any) -> bytes:
        """The bytes of a download (icons, attachments, term documents, stack zips).

        Read in chunks and stopped past :data:`MAX_DOWNLOAD_BYTES`: what a live listing
        holds is input like any other, and must not exhaust the machine.
        """
        data = self._send(op, *args).data
        declared = str(getattr(data, "headers", {}).get("Content-Length") or "")
        if declared.isdigit() and int(declared) > MAX_DOWNLOAD_BYTES:
            data.close()
            raise _too_big(op)
        chunks: list[bytes] = []
        size = 0
        for chunk in data.iter_content(1024 * 1024):
            size += len(chunk)
            if size > MAX_DOWNLOAD_BYTES:
                data.close()
                raise _too_big(op)
            chunks.append(chunk)
        return b"".join(chunks)

    def _wire_rows(self, op: str, *args: Any, **kw: Any) -> list[Any]:
        """Every row of the list call ``op`` in wire form, all pages."""
        rows: list[Any] = []
        for resp in self._pages(op, *args, **kw):
            data = self._wire(resp.data)
            rows.extend(data.get("items", []) if isinstance(data, dict) else data)
        return rows

    def _list(self, op: str, *args: Any, **kw: Any) -> list[Resource]:
        return [to_resource(row, None) for row in self._wire_rows(op, *args, **kw)]

    def _wr(self, op: str, *args: Any, **kw: Any) -> str:
        """Start an asynchronous write; the id of its work request."""
        resp = self._send(op, *args, write=True, **kw)
        return str(resp.headers["opc-work-request-id"])

    # -- work requests (the same shape in every OCI service) ----------------------------

    def get_work_request(self, work_request_id: str) -> WorkRequest:
        """Where an asynchronous operation stands."""
        resp = self._send("get_work_request", work_request_id)
        data = self._wire(resp.data)
        return WorkRequest(
            id=str(data.get("id", work_request_id)),
            status=str(data.get("status", "")),
            percent=data.get("percentComplete"),
            operation=str(data.get("operationType", "")),
            resources=list(data.get("resources") or []),
        )

    def work_request_errors(self, work_request_id: str) -> list[str]:
        """The error messages of a failed work request."""
        rows = self._list("list_work_request_errors", work_request_id)
        return [str(r.get("message") or r.get("code") or "") for r in rows]


def _too_big(op: str) -> InputError:
    return InputError(
        f"{op}: the download is larger than the {MAX_DOWNLOAD_BYTES >> 20} MiB ocmp reads",
        hint="the live resource is not one ocmp can import; inspect it in the console",
    )


def to_resource(data: dict[str, Any], etag: str | None) -> Resource:
    """A wire document as a :class:`Resource`."""
    return Resource(
        id=str(data.get("id", "")),
        name=str(data.get("name") or data.get("displayName") or ""),
        lifecycle_state=str(data.get("lifecycleState", "")),
        status=data.get("status"),
        body=data,
        etag=etag,
    )
