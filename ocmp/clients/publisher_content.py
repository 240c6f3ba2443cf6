"""Marketplace Publisher calls on a revision's content: attachments, artifacts, packages."""

from __future__ import annotations

from typing import Any

from ocmp.clients.publisher_base import PublisherBase, Resource


class ContentCalls(PublisherBase):
    """Attachments, artifacts and packages."""

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
        return self._content("get_listing_revision_attachment_content", attachment_id)

    def delete_attachment(self, attachment_id: str) -> None:
        """Remove an attachment the listing no longer has."""
        self._send("delete_listing_revision_attachment", attachment_id, write=True)

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
