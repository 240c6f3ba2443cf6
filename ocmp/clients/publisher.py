"""Marketplace Publisher API (``/20241201``): the calls ``ocmp publish`` and ``doctor`` make.

One client for the listing's whole life before publication: the publisher account and
supported shapes (``doctor``), terms, listings, revisions, their attachments, artifacts
and packages, review, publication, retiring, and work requests. Every method does one
request (lists: one per page) through :meth:`~ocmp.clients._base.ServiceWrapper._send`,
and returns ocmp's own typed records (:mod:`ocmp.clients.publisher_types`), never SDK
models nor wire dicts. The calls after
publishing (leads, reports) are :mod:`ocmp.clients.publisher_reports`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ocmp.clients import publisher_types as types
from ocmp.clients.publisher_types import (
    Artifact,
    Attachment,
    Listing,
    Note,
    Package,
    Revision,
    Term,
    TermVersion,
    WorkRequest,
)
from ocmp.clients.wire import WireWrapper

__all__ = [
    "Artifact",
    "Attachment",
    "Listing",
    "Note",
    "Package",
    "PublisherAccount",
    "PublisherApi",
    "Revision",
    "RevisionStatus",
    "SupportedShape",
    "Term",
    "TermVersion",
    "WorkRequest",
]


class RevisionStatus:
    """The statuses of a listing revision (its packages share the published ones), by what
    they allow: the one definition every step, ``status`` and ``subscribe`` use."""

    NEW = "NEW"
    REJECTED = "REJECTED"
    APPROVED = "APPROVED"
    PUBLISHED = "PUBLISHED"
    PUBLISHED_AS_PRIVATE = "PUBLISHED_AS_PRIVATE"
    UNPUBLISHED = "UNPUBLISHED"
    EDITABLE = frozenset({NEW, REJECTED})
    IN_REVIEW = frozenset({"PENDING_REVIEW", "REVIEW_IN_PROGRESS"})
    PUBLISHING = frozenset({"PUBLISH_IN_PROGRESS", "PUBLISH_AS_PRIVATE_IN_PROGRESS"})
    LIVE = frozenset({PUBLISHED, PUBLISHED_AS_PRIVATE})  # on the Marketplace now
    WITHDRAWING = frozenset({"UNPUBLISH_IN_PROGRESS"})
    WITHDRAWN = frozenset({UNPUBLISHED})
    DECIDED = frozenset({APPROVED, REJECTED}) | LIVE | PUBLISHING  # the review has ended
    READ_ONLY = LIVE | WITHDRAWN  # published once: changed only through a clone


@dataclass(frozen=True, slots=True)
class PublisherAccount:
    """The tenancy's Marketplace publisher account."""

    id: str
    name: str
    status: str  # NEW | APPROVED | SUSPENDED | REMOVED | REJECTED | CONTACTED


@dataclass(frozen=True, slots=True)
class SupportedShape:
    """A shape Marketplace accepts for images, with its flex limits."""

    shape: str
    flexible: bool
    ocpus: tuple[float | None, float | None] = (None, None)
    memory_gbs: tuple[float | None, float | None] = (None, None)


class PublisherApi(WireWrapper):
    """The Marketplace Publisher operations ocmp needs, retried and counted."""

    service = "publisher"

    # -- the publisher account (``ocmp doctor``) -----------------------------------------

    def publisher_account(self) -> PublisherAccount | None:
        """The publisher of this tenancy, or None when the tenancy has none."""
        summaries = self._models("list_publishers", self.tenancy_id)
        if not summaries:
            return None
        # The summary lacks the status; the full record has it.
        full = self._send("get_publisher", summaries[0].id).data
        return PublisherAccount(
            id=full.id,
            name=full.display_name or "",
            status=full.publisher_status or "",
        )

    def supported_shapes(self) -> list[SupportedShape]:
        """The shapes Marketplace supports for image listings."""
        result = []
        for s in self._models("list_supported_shapes", self.tenancy_id):
            ocpu, mem = s.ocpu_options, s.memory_options
            result.append(
                SupportedShape(
                    shape=s.shape,
                    flexible=bool(s.is_flexible),
                    ocpus=(ocpu.min, ocpu.max) if ocpu else (None, None),
                    memory_gbs=(mem.min_in_gbs, mem.max_in_gbs) if mem else (None, None),
                )
            )
        return result


    # -- terms -------------------------------------------------------------------------

    def find_terms(self, compartment_id: str, name: str | None = None) -> list[Term]:
        """Terms of this compartment named ``name`` (all terms when ``name`` is None)."""
        if name is None:
            return self._list("list_terms", types.term, compartment_id)
        rows = self._list("list_terms", types.term, compartment_id, name=name)
        return [r for r in rows if r.name == name]

    def create_term(self, compartment_id: str, name: str, token: str) -> Term:
        """Create a term (the EULA's container)."""
        body = {"compartmentId": compartment_id, "name": name}
        return self._one("create_term", types.term, body, opc_retry_token=token, write=True)

    def list_term_versions(self, term_id: str) -> list[TermVersion]:
        """Every version of a term."""
        return self._list("list_term_versions", types.term_version, term_id)

    def create_term_version(
        self, term_id: str, content: bytes, name: str, token: str
    ) -> TermVersion:
        """Upload a new version of the terms document."""
        return self._one(
            "create_term_version",
            types.term_version,
            content,
            term_id,
            display_name=name,
            opc_retry_token=token,
            write=True,
        )

    def get_term(self, term_id: str) -> Term:
        """One term."""
        return self._one("get_term", types.term, term_id)

    def get_term_version_content(self, term_version_id: str) -> bytes:
        """The document of a term version."""
        return self._content("get_term_version_content", term_version_id)

    def activate_term_version(self, term_version_id: str) -> TermVersion:
        """Make this version the active one (a POST action: retried only on 429/409 busy)."""
        return self._one(
            "activate_term_version", types.term_version, term_version_id, write=True,
            idempotent=False,
        )

    # -- listings and revisions --------------------------------------------------------

    def find_listings(self, compartment_id: str, name: str | None = None) -> list[Listing]:
        """Listings of this compartment named ``name`` (all when None), not deleted."""
        kw = {"name": name} if name is not None else {}
        rows = self._list("list_listings", types.listing, compartment_id, **kw)
        return [
            r
            for r in rows
            if name in (None, r.name) and r.lifecycle_state not in {"DELETED", "DELETING"}
        ]

    def get_listing(self, listing_id: str) -> Listing:
        """One listing."""
        return self._one("get_listing", types.listing, listing_id)

    def create_listing(self, body: dict[str, Any], token: str) -> Listing:
        """Create a listing (its name is fixed from then on)."""
        return self._one("create_listing", types.listing, body, opc_retry_token=token, write=True)

    def list_revisions(self, listing_id: str) -> list[Revision]:
        """Every revision of a listing (summaries)."""
        return self._list("list_listing_revisions", types.revision, listing_id)

    def get_revision(self, revision_id: str) -> Revision:
        """One revision, with all its metadata."""
        return self._one("get_listing_revision", types.revision, revision_id)

    def create_revision(self, body: dict[str, Any], token: str) -> Revision:
        """Create the first revision of a listing."""
        return self._one(
            "create_listing_revision", types.revision, body, opc_retry_token=token, write=True
        )

    def update_revision(self, revision_id: str, body: dict[str, Any]) -> Revision:
        """Update an editable revision's metadata."""
        return self._one(
            "update_listing_revision", types.revision, revision_id, body, write=True
        )

    def clone_revision(self, revision_id: str, token: str) -> str:
        """Clone a published revision into a new draft; returns the work request id."""
        return self._wr("clone_listing_revision", revision_id, opc_retry_token=token)

    def put_icon(self, revision_id: str, content: bytes) -> Revision:
        """Replace the revision's icon."""
        return self._one(
            "update_listing_revision_icon_content", types.revision, revision_id, content,
            write=True,
        )

    def put_banner(self, revision_id: str, name: str, content: bytes) -> Revision:
        """Replace the revision's banner."""
        return self._one(
            "update_listing_revision_banner_content", types.revision, revision_id, name,
            content, write=True,
        )

    def get_icon(self, revision_id: str) -> bytes:
        """The revision's icon bytes."""
        return self._content("get_listing_revision_icon_content", revision_id)

    def submit(self, revision_id: str, body: dict[str, Any], token: str) -> Revision:
        """Submit a revision for Oracle's review."""
        return self._one(
            "submit_listing_revision_for_review",
            types.revision,
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

    def list_notes(self, revision_id: str) -> list[Note]:
        """Notes on a revision (the reviewer's are ``noteSource`` ADMINISTRATOR)."""
        return self._list("list_listing_revision_notes", types.note, revision_id)

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
        found = self._list(
            "list_work_requests", types.work_request, compartment_id, resource_id=resource_id
        )
        return [w for w in found if not w.finished]

    # -- attachments -------------------------------------------------------------------

    def list_attachments(self, revision_id: str) -> list[Attachment]:
        """Screenshots, documents… of a revision (not deleted)."""
        rows = self._list("list_listing_revision_attachments", types.attachment, revision_id)
        return [r for r in rows if r.lifecycle_state != "DELETED"]

    def create_attachment(self, body: dict[str, Any], token: str) -> Attachment:
        """Create an attachment (its bytes follow with :meth:`put_attachment`)."""
        return self._one(
            "create_listing_revision_attachment", types.attachment, body, opc_retry_token=token,
            write=True,
        )

    def put_attachment(self, attachment_id: str, content: bytes) -> Attachment:
        """Upload an attachment's bytes."""
        return self._one(
            "update_listing_revision_attachment_content", types.attachment, attachment_id,
            content, write=True,
        )

    def get_attachment(self, attachment_id: str) -> Attachment:
        """One attachment with its type-specific fields."""
        return self._one("get_listing_revision_attachment", types.attachment, attachment_id)

    def get_attachment_content(self, attachment_id: str) -> bytes:
        """An attachment's bytes."""
        return self._content("get_listing_revision_attachment_content", attachment_id)

    def delete_attachment(self, attachment_id: str) -> None:
        """Remove an attachment the listing no longer has."""
        self._send("delete_listing_revision_attachment", attachment_id, write=True)

    # -- artifacts and packages --------------------------------------------------------

    def find_artifacts(
        self, compartment_id: str, display_name: str | None = None
    ) -> list[Artifact]:
        """Artifacts of this compartment with this display name (all when None), not deleted."""
        kw = {"display_name": display_name} if display_name is not None else {}
        rows = self._list("list_artifacts", types.artifact, compartment_id, **kw)
        return [
            r
            for r in rows
            if display_name in (None, r.name)
            and r.lifecycle_state not in {"DELETED", "DELETING", "FAILED"}
        ]

    def get_artifact(self, artifact_id: str) -> Artifact:
        """One artifact with its type-specific block."""
        return self._one("get_artifact", types.artifact, artifact_id)

    def create_artifact(self, body: dict[str, Any], token: str) -> str:
        """Create an artifact; returns the work request id."""
        return self._wr("create_artifact", body, opc_retry_token=token)

    def list_packages(self, revision_id: str) -> list[Package]:
        """Packages of a revision (summaries, not deleted)."""
        rows = self._list("list_listing_revision_packages", types.package, revision_id)
        return [r for r in rows if r.lifecycle_state not in {"DELETED", "DELETING"}]

    def get_package(self, package_id: str) -> Package:
        """One package, with its artifact and term."""
        return self._one("get_listing_revision_package", types.package, package_id)

    def create_package(self, body: dict[str, Any], token: str) -> Package:
        """Create a package in an editable revision."""
        return self._one(
            "create_listing_revision_package", types.package, body, opc_retry_token=token,
            write=True,
        )

    def update_package(self, package_id: str, body: dict[str, Any]) -> Package:
        """Update a package of an editable revision."""
        return self._one(
            "update_listing_revision_package", types.package, package_id, body, write=True
        )

    def mark_default(self, package_id: str, token: str) -> str:
        """Make a package the revision's default; returns the work request id."""
        return self._wr(
            "mark_listing_revision_package_as_default", package_id, opc_retry_token=token
        )
