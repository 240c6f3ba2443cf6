"""What one caller's tenancy sees of Marketplace Publisher, and the lookups and guards every
resource family shares: live documents, the publisher account, editable revisions.

A :class:`Scope` is the model's only context (moto's per-account backend): the store, the
tenancy, and how the simulated Oracle side behaves (work request pace, reviewer). It knows
nothing of HTTP; ``responses`` builds one per request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ocmp.sandbox.core.errors import ApiError, incorrect_state, not_found
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.services.publisher.models import work_requests

PREFIX = "/20241201"
EDITABLE = frozenset({"NEW", "REJECTED"})
IN_REVIEW = frozenset({"PENDING_REVIEW", "REVIEW_IN_PROGRESS"})
PUBLISHED = frozenset({"PUBLISHED", "PUBLISHED_AS_PRIVATE"})
TAGS = ("freeformTags", "definedTags")


@dataclass(frozen=True)
class Reviewer:
    """How the simulated Oracle reviewer treats submitted revisions (``auto``: approve after
    ``after_polls`` reads, ``reject``: reject then, ``manual``: wait for a decision)."""

    mode: str = "auto"
    after_polls: int = 3
    note: str | None = None


@dataclass(frozen=True)
class Tags:
    """A request's tags (``None``: not given)."""

    freeform: dict[str, Any] | None = None
    defined: dict[str, Any] | None = None

    def given(self) -> Doc:
        """The given tags under their API names (what an update copies)."""
        named = {"freeformTags": self.freeform, "definedTags": self.defined}
        return {k: v for k, v in named.items() if v is not None}

    def fields(self) -> Doc:
        """A new document's tag fields, defaulted."""
        return {"freeformTags": self.freeform or {}, "definedTags": self.defined or {},
                "systemTags": {}}


@dataclass(frozen=True)
class Scope:
    """One tenancy's view of the service.

    Args:
        store: The sandbox's documents.
        tenancy: The caller's tenancy; nothing of another tenancy is visible.
        polls: How many reads a new work request takes to finish.
        reviewer: The simulated reviewer.
    """

    store: Store
    tenancy: str
    polls: int = 2
    reviewer: Reviewer = field(default_factory=Reviewer)

    def fetch(self, kind: str, ident: str, *, label: str | None = None) -> Doc:
        """A live (not DELETED) document, its pending work settled; else 404."""
        doc = self.store.get(self.tenancy, kind, ident)
        if doc is None or doc.get("lifecycleState") == "DELETED":
            raise not_found(label or kind, ident)
        return work_requests.settle(self.store, self.tenancy, doc, kind)

    def related(self, kind: str, ident: str, label: str) -> Doc:
        """A live document a request body names (400 ``RelatedResource…`` when there is none)."""
        doc = self.store.get(self.tenancy, kind, ident)
        if doc is None or doc.get("lifecycleState") == "DELETED":
            raise ApiError(400, "RelatedResourceNotAuthorizedOrNotFound",
                           f"{label} {ident} was not found")
        return doc

    def live(self, kind: str, *, parent: str | None = None, **where: str | None) -> list[Doc]:
        """Every non-deleted document of a kind (whose fields equal ``where``'s given values)."""
        return live(self.store, self.tenancy, kind, parent=parent, **where)

    def put(self, kind: str, doc: Doc, *, parent: str | None = None) -> Doc:
        """Store a document of this tenancy."""
        return self.store.put(self.tenancy, kind, doc, parent=parent)

    def publisher(self) -> Doc:
        """The tenancy's publisher account; creating anything needs an APPROVED one."""
        docs = self.store.list(self.tenancy, "publisher")
        if not docs:
            raise ApiError(404, "NotAuthorizedOrNotFound",
                           "This tenancy has no Marketplace publisher account")
        publisher = docs[0]
        if publisher.get("publisherStatus") != "APPROVED":
            raise ApiError(409, "Conflict",
                           f"The publisher account is {publisher['publisherStatus']}"
                           "; Oracle must approve it before listings can be created")
        return publisher

    def publisher_id(self) -> str | None:
        """The account's id, if the tenancy has one."""
        docs = self.store.list(self.tenancy, "publisher")
        return str(docs[0]["id"]) if docs else None


def live(store: Store, tenancy: str, kind: str, *, parent: str | None = None,
         **where: str | None) -> list[Doc]:
    """Every non-deleted document of a kind (whose fields equal ``where``'s non-None values)."""
    return [d for d in store.list(tenancy, kind, parent=parent, where=where)
            if d.get("lifecycleState") != "DELETED"]


def require_editable(revision: Doc) -> None:
    """409 unless the revision is a NEW or REJECTED draft."""
    if revision.get("status") not in EDITABLE or revision.get("lifecycleState") != "ACTIVE":
        raise incorrect_state(f"Listing revision {revision['id']} is {revision['status']}; only "
                              "NEW or REJECTED revisions can be changed")


def policy_allows(store: Store, tenancy: str, resource_type: str) -> bool:
    """True if a root policy lets the marketplace service read/manage ``resource_type``."""
    for policy in store.list(tenancy, "policy"):
        if policy.get("lifecycleState") != "ACTIVE" or policy.get("compartmentId") != tenancy:
            continue
        for statement in policy.get("statements", []):
            words = " ".join(str(statement).lower().split())
            if (words.startswith("allow service marketplace to")
                    and f" {resource_type} in tenancy" in words):
                return True
    return False
