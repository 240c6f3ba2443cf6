"""Marketplace Publisher API (``/20241201``): the calls ``ocmp publish`` makes.

Every method does one request (lists: one per page) through
:meth:`~ocmp.clients._base.ServiceWrapper._send`, and returns :class:`Resource`/
:class:`WorkRequest` — ocmp's own small types holding the wire form (camelCase JSON) of
what the service answered, so the core never sees SDK models. Bodies are sent as camelCase
dicts, exactly the JSON the API documents.
"""

from __future__ import annotations

from typing import Any

from ocmp.clients.publisher_base import Resource, WorkRequest, _resource
from ocmp.clients.publisher_content import ContentCalls

__all__ = ["PublisherApi", "Resource", "WorkRequest", "_resource"]


class PublisherApi(ContentCalls):
    """The Marketplace Publisher operations ocmp needs, retried and counted."""

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
        return self._content("get_term_version_content", term_version_id)

    def activate_term_version(self, term_version_id: str) -> Resource:
        """Make this version the active one (a POST action: retried only on 429/409 busy)."""
        return self._one("activate_term_version", term_version_id, write=True, idempotent=False)

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
        return self._content("get_listing_revision_icon_content", revision_id)

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

    # -- retiring and archiving ----------------------------------------------------------

    def withdraw(self, revision_id: str) -> str:
        """Withdraw a published revision (it leaves the Marketplace); the work request id."""
        return self._wr("withdraw_listing_revision", revision_id)

    def unpublish_package(self, package_id: str) -> str:
        """Retire one published package version; the work request id."""
        return self._wr("un_publish_listing_revision_package", package_id)

    def cascading_delete_listing(self, listing_id: str) -> str:
        """Delete a listing with its revisions, packages and attachments; the work request id."""
        return self._wr("cascading_delete_listing", listing_id)

    def work_requests_in_flight(self, compartment_id: str, resource_id: str) -> list[WorkRequest]:
        """Work requests on ``resource_id`` that have not ended (a run that died left them)."""
        rows = self._list("list_work_requests", compartment_id, resource_id=resource_id)
        found = [
            WorkRequest(
                id=r.id,
                status=str(r.get("status", "")),
                percent=r.get("percentComplete"),
                operation=str(r.get("operationType", "")),
                resources=list(r.get("resources") or []),
            )
            for r in rows
        ]
        return [w for w in found if not w.finished]
