"""``ocmp status``: where a listing stands — revisions, packages, artifacts, reviewer notes.

Read-only: it finds the listing by name (the journal is not needed), then reads its
revisions and, for the newest one, its packages, their artifacts and the notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ocmp.clients.publisher import PublisherApi, RevisionStatus

S = RevisionStatus


@dataclass
class ListingStatus:
    """What ``ocmp status`` reports."""

    name: str
    listing_id: str | None
    revisions: list[dict[str, Any]] = field(default_factory=list)
    packages: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    hidden: int = 0  # withdrawn revisions and unpublished packages left out (without --all)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document."""
        return {
            "listing": {"name": self.name, "id": self.listing_id},
            "revisions": self.revisions,
            "packages": self.packages,
            "notes": self.notes,
            "hidden": self.hidden,
            "calls": {"requests": self.requests},
        }


def listing_status(
    api: PublisherApi, compartment_id: str, name: str, *, show_all: bool = False
) -> ListingStatus:
    """Read the live status of the listing ``name``.

    Withdrawn revisions (but the newest) and unpublished packages (``S.WITHDRAWN``) are
    left out and counted in ``hidden`` unless ``show_all`` (``ocmp status --all``).
    """
    found = api.find_listings(compartment_id, name)
    if not found:
        return ListingStatus(name, None, requests=api.stats.requests)
    listing = found[0]
    revisions = sorted(
        api.list_revisions(listing.id), key=lambda r: (r.time_created, r.id)
    )
    result = ListingStatus(name, listing.id)
    for n, rev in enumerate(revisions):
        if not show_all and rev.status in S.WITHDRAWN and n < len(revisions) - 1:
            result.hidden += 1
            continue
        result.revisions.append(
            {
                "id": rev.id,
                "status": rev.status,
                "lifecycle_state": rev.lifecycle_state,
                "time_created": rev.time_created or None,
            }
        )
    if revisions:
        newest = api.get_revision(revisions[-1].id)
        result.revisions[-1]["status_notes"] = newest.status_notes
        for summary in api.list_packages(newest.id):
            package = api.get_package(summary.id)
            if not show_all and package.status in S.WITHDRAWN and newest.status not in S.WITHDRAWN:
                result.hidden += 1
                continue
            artifact_id = package.artifact_id
            artifact = api.get_artifact(artifact_id) if artifact_id else None
            result.packages.append(
                {
                    "id": package.id,
                    "version": package.version,
                    "status": package.status,
                    "is_default": package.is_default,
                    "artifact": {
                        "id": artifact_id,
                        "name": artifact.name if artifact else None,
                        "status": artifact.status if artifact else None,
                        "lifecycle_state": artifact.lifecycle_state if artifact else None,
                    },
                }
            )
        for note in api.list_notes(newest.id):
            result.notes.append(
                {
                    "source": note.source,
                    "text": note.text,
                    "time_created": note.time_created or None,
                }
            )
    result.requests = api.stats.requests
    return result
