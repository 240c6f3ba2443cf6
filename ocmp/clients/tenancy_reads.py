"""Publisher reads only the tenancy checks (``ocmp doctor``) make: the account and shapes.

Terms, listings, revisions and stacks are read with the publish workflow's wrappers
(``publisher.py``/``resource_manager.py``), one implementation for both commands. Every
request goes through :meth:`~ocmp.clients._base.ServiceWrapper._send` (bounded retries);
a read that still fails is reported by the checks as a finding ("could not check: …").
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


class PublisherReads(ServiceWrapper):
    """Marketplace Publisher reads: the publisher account and the supported shapes."""

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
