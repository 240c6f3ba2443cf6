"""Read-only Publisher and Resource Manager calls the tenancy checks (``ocmp doctor``) make.

They return small typed records from SDK models, where the publish workflow's wrappers
(``publisher.py``/``resource_manager.py``) keep the wire form; both send every request
through :meth:`~ocmp.clients._base.ServiceWrapper._send`, so the same bounded retries apply.
A read that still fails is reported by the checks as a finding ("could not check: …").
"""

from __future__ import annotations

from dataclasses import dataclass

from ocmp.clients._base import ServiceWrapper


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


@dataclass(frozen=True, slots=True)
class TermVersionInfo:
    """One version of a terms-of-use document."""

    id: str
    name: str
    status: str  # AVAILABLE | NOT_AVAILABLE | DELETED
    lifecycle_state: str  # ACTIVE | INACTIVE


@dataclass(frozen=True, slots=True)
class Named:
    """A resource found by name: id, name, states."""

    id: str
    name: str
    lifecycle_state: str
    status: str = ""


class PublisherReads(ServiceWrapper):
    """Marketplace Publisher reads: account, shapes, terms, listings and revisions."""

    service = "publisher"

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

    def find_terms(self, name: str, compartment_id: str) -> list[Named]:
        """Terms named ``name`` in the compartment."""
        rows = self._models("list_terms", compartment_id, name=name)
        return [Named(t.id, t.name, t.lifecycle_state or "") for t in rows if t.name == name]

    def term_versions(self, term_id: str) -> list[TermVersionInfo]:
        """Every version of a term."""
        rows = self._models("list_term_versions", term_id)
        return [
            TermVersionInfo(v.id, v.display_name or "", v.status or "", v.lifecycle_state or "")
            for v in rows
        ]

    def find_listings(self, name: str, compartment_id: str) -> list[Named]:
        """Listings named ``name`` in the compartment, not deleted."""
        rows = self._models("list_listings", compartment_id, name=name)
        return [
            Named(r.id, r.name, r.lifecycle_state or "")
            for r in rows
            if r.name == name and r.lifecycle_state not in ("DELETED", "DELETING")
        ]

    def revisions(self, listing_id: str) -> list[Named]:
        """Every revision of a listing, with its review/publication status."""
        rows = self._models("list_listing_revisions", listing_id)
        return [
            Named(r.id, r.display_name or "", r.lifecycle_state or "", r.status or "")
            for r in rows
        ]


class StackReads(ServiceWrapper):
    """Resource Manager reads."""

    service = "resource_manager"

    def get_stack(self, stack_id: str) -> Named:
        """One stack: its name and lifecycle state (ACTIVE, CREATING, FAILED…)."""
        data = self._send("get_stack", stack_id).data
        return Named(data.id, data.display_name or "", data.lifecycle_state or "")
