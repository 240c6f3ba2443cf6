"""Marketplace Publisher API (``/20241201``): the calls ``ocmp publish`` makes.

Every method does one request (lists: one per page) through :func:`ocmp.clients.retry.call`,
and returns :class:`Resource`/:class:`WorkRequest` — ocmp's own small types holding the
wire form (camelCase JSON) of what the service answered, so the core never sees SDK
models. Bodies are sent as camelCase dicts, exactly the JSON the API documents.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ocmp.clients.retry import CallStats, RetryPolicy, call


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
        """A field of the wire body."""
        return self.body.get(key, default)


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


class PublisherApi:
    """The Marketplace Publisher operations ocmp needs, retried and counted."""

    def __init__(self, sdk_client: Any, stats: CallStats, policy: RetryPolicy | None = None):
        self._c = sdk_client
        self.stats = stats
        self._policy = policy

    # -- plumbing --------------------------------------------------------------------

    def _wire(self, data: Any) -> Any:
        return self._c.base_client.sanitize_for_serialization(data)

    def _call(self, op: str, fn: Callable[[], Any], *, write: bool = False) -> Any:
        return call(op, fn, policy=self._policy, stats=self.stats, write=write)

    def _one(self, op: str, *args: Any, write: bool = False, **kw: Any) -> Resource:
        resp = self._call(op, lambda: getattr(self._c, op)(*args, **kw), write=write)
        return _resource(self._wire(resp.data), resp.headers.get("etag"))

    def _wr(self, op: str, *args: Any, **kw: Any) -> str:
        resp = self._call(op, lambda: getattr(self._c, op)(*args, **kw), write=True)
        return str(resp.headers["opc-work-request-id"])

    def _list(self, op: str, *args: Any, **kw: Any) -> list[Resource]:
        items: list[Resource] = []
        page: str | None = None
        while True:
            extra: dict[str, Any] = {"page": page} if page else {}
            resp = self._call(op, functools.partial(getattr(self._c, op), *args, **kw, **extra))
            data = self._wire(resp.data)
            rows = data.get("items", []) if isinstance(data, dict) else data
            items.extend(_resource(row, None) for row in rows)
            page = resp.headers.get("opc-next-page")
            if not page:
                return items

    # -- terms -------------------------------------------------------------------------

    def find_terms(self, compartment_id: str, name: str | None = None) -> list[Resource]:
        """Terms of this compartment named ``name`` (all terms when ``name`` is None)."""
        if name is None:
            return self._list("list_terms", compartment_id)
        rows = self._list("list_terms", compartment_id, name=name)
        return [r for r in rows if r.name == name]

    def create_term(self, compartment_id: str, name: str, token: str) -> Resource:
        """Create a term (the EULA's container)."""
        body = {"compartmentId": compartment_id, "name": name}
        return self._one("create_term", body, opc_retry_token=token, write=True)

    def list_term_versions(self, term_id: str) -> list[Resource]:
        """Every version of a term."""
        return self._list("list_term_versions", term_id)

    def create_term_version(self, term_id: str, content: bytes, name: str, token: str) -> Resource:
        """Upload a new version of the terms document."""
        return self._one(
            "create_term_version",
            content,
            term_id,
            display_name=name,
            opc_retry_token=token,
            write=True,
        )

    def get_term(self, term_id: str) -> Resource:
        """One term."""
        return self._one("get_term", term_id)

    def get_term_version_content(self, term_version_id: str) -> bytes:
        """The document of a term version."""
        resp = self._call(
            "get_term_version_content",
            lambda: self._c.get_term_version_content(term_version_id),
        )
        return bytes(resp.data.content)

    def activate_term_version(self, term_version_id: str) -> Resource:
        """Make this version the active one."""
        return self._one("activate_term_version", term_version_id, write=True)

    # -- listings and revisions --------------------------------------------------------

    def find_listings(self, compartment_id: str, name: str | None = None) -> list[Resource]:
        """Listings of this compartment named ``name`` (all when None), not deleted."""
        kw = {"name": name} if name is not None else {}
        rows = self._list("list_listings", compartment_id, **kw)
        return [
            r
            for r in rows
            if name in (None, r.name) and r.lifecycle_state not in {"DELETED", "DELETING"}
        ]

    def get_listing(self, listing_id: str) -> Resource:
        """One listing."""
        return self._one("get_listing", listing_id)

    def create_listing(self, body: dict[str, Any], token: str) -> Resource:
        """Create a listing (its name is fixed from then on)."""
        return self._one("create_listing", body, opc_retry_token=token, write=True)

    def list_revisions(self, listing_id: str) -> list[Resource]:
        """Every revision of a listing (summaries)."""
        return self._list("list_listing_revisions", listing_id)

    def get_revision(self, revision_id: str) -> Resource:
        """One revision, with all its metadata."""
        return self._one("get_listing_revision", revision_id)

    def create_revision(self, body: dict[str, Any], token: str) -> Resource:
        """Create the first revision of a listing."""
        return self._one("create_listing_revision", body, opc_retry_token=token, write=True)

    def update_revision(self, revision_id: str, body: dict[str, Any]) -> Resource:
        """Update an editable revision's metadata."""
        return self._one("update_listing_revision", revision_id, body, write=True)

    def clone_revision(self, revision_id: str, token: str) -> str:
        """Clone a published revision into a new draft; returns the work request id."""
        return self._wr("clone_listing_revision", revision_id, opc_retry_token=token)

    def put_icon(self, revision_id: str, content: bytes) -> Resource:
        """Replace the revision's icon."""
        return self._one("update_listing_revision_icon_content", revision_id, content, write=True)

    def put_banner(self, revision_id: str, name: str, content: bytes) -> Resource:
        """Replace the revision's banner."""
        return self._one(
            "update_listing_revision_banner_content", revision_id, name, content, write=True
        )

    def get_icon(self, revision_id: str) -> bytes:
        """The revision's icon bytes."""
        resp = self._call(
            "get_listing_revision_icon_content",
            lambda: self._c.get_listing_revision_icon_content(revision_id),
        )
        return bytes(resp.data.content)

    def submit(self, revision_id: str, body: dict[str, Any], token: str) -> Resource:
        """Submit a revision for Oracle's review."""
        return self._one(
            "submit_listing_revision_for_review",
            body,
            revision_id,
            opc_retry_token=token,
            write=True,
        )

    def publish_private(self, revision_id: str, tenancies: list[str], token: str) -> str:
        """Publish an approved revision privately; returns the work request id."""
        body = {"allowedTenancies": tenancies} if tenancies else {}
        return self._wr(
            "publish_listing_revision_as_private", body, revision_id, opc_retry_token=token
        )

    def publish_public(self, revision_id: str, token: str) -> str:
        """Publish an approved revision to everyone; returns the work request id."""
        return self._wr("publish_listing_revision", revision_id, opc_retry_token=token)

    def list_notes(self, revision_id: str) -> list[Resource]:
        """Notes on a revision (the reviewer's are ``noteSource`` ADMINISTRATOR)."""
        return self._list("list_listing_revision_notes", revision_id)

    # -- attachments -------------------------------------------------------------------

    def list_attachments(self, revision_id: str) -> list[Resource]:
        """Screenshots, documents… of a revision (not deleted)."""
        rows = self._list("list_listing_revision_attachments", revision_id)
        return [r for r in rows if r.lifecycle_state != "DELETED"]

    def create_attachment(self, body: dict[str, Any], token: str) -> Resource:
        """Create an attachment (its bytes follow with :meth:`put_attachment`)."""
        return self._one(
            "create_listing_revision_attachment", body, opc_retry_token=token, write=True
        )

    def put_attachment(self, attachment_id: str, content: bytes) -> Resource:
        """Upload an attachment's bytes."""
        return self._one(
            "update_listing_revision_attachment_content", attachment_id, content, write=True
        )

    def get_attachment(self, attachment_id: str) -> Resource:
        """One attachment with its type-specific fields."""
        return self._one("get_listing_revision_attachment", attachment_id)

    def get_attachment_content(self, attachment_id: str) -> bytes:
        """An attachment's bytes."""
        resp = self._call(
            "get_listing_revision_attachment_content",
            lambda: self._c.get_listing_revision_attachment_content(attachment_id),
        )
        return bytes(resp.data.content)

    def delete_attachment(self, attachment_id: str) -> None:
        """Remove an attachment the listing no longer has."""
        self._call(
            "delete_listing_revision_attachment",
            lambda: self._c.delete_listing_revision_attachment(attachment_id),
            write=True,
        )

    # -- artifacts and packages --------------------------------------------------------

    def find_artifacts(
        self, compartment_id: str, display_name: str | None = None
    ) -> list[Resource]:
        """Artifacts of this compartment with this display name (all when None), not deleted."""
        kw = {"display_name": display_name} if display_name is not None else {}
        rows = self._list("list_artifacts", compartment_id, **kw)
        return [
            r
            for r in rows
            if display_name in (None, r.name)
            and r.lifecycle_state not in {"DELETED", "DELETING", "FAILED"}
        ]

    def get_artifact(self, artifact_id: str) -> Resource:
        """One artifact with its type-specific block."""
        return self._one("get_artifact", artifact_id)

    def create_artifact(self, body: dict[str, Any], token: str) -> str:
        """Create an artifact; returns the work request id."""
        return self._wr("create_artifact", body, opc_retry_token=token)

    def list_packages(self, revision_id: str) -> list[Resource]:
        """Packages of a revision (summaries, not deleted)."""
        rows = self._list("list_listing_revision_packages", revision_id)
        return [r for r in rows if r.lifecycle_state not in {"DELETED", "DELETING"}]

    def get_package(self, package_id: str) -> Resource:
        """One package, with its artifact and term."""
        return self._one("get_listing_revision_package", package_id)

    def create_package(self, body: dict[str, Any], token: str) -> Resource:
        """Create a package in an editable revision."""
        return self._one("create_listing_revision_package", body, opc_retry_token=token, write=True)

    def update_package(self, package_id: str, body: dict[str, Any]) -> Resource:
        """Update a package of an editable revision."""
        return self._one("update_listing_revision_package", package_id, body, write=True)

    def mark_default(self, package_id: str, token: str) -> str:
        """Make a package the revision's default; returns the work request id."""
        return self._wr(
            "mark_listing_revision_package_as_default", package_id, opc_retry_token=token
        )

    # -- work requests -----------------------------------------------------------------

    def get_work_request(self, work_request_id: str) -> WorkRequest:
        """Where an asynchronous operation stands."""
        resp = self._call("get_work_request", lambda: self._c.get_work_request(work_request_id))
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


def _resource(data: dict[str, Any], etag: str | None) -> Resource:
    return Resource(
        id=str(data.get("id", "")),
        name=str(data.get("name") or data.get("displayName") or ""),
        lifecycle_state=str(data.get("lifecycleState", "")),
        status=data.get("status"),
        body=data,
        etag=etag,
    )
