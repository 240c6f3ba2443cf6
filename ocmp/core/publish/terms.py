"""``ocmp terms``: the listing's terms of use on their own — list, push a new version, activate.

``push`` is the publish workflow's terms step alone: the Term is found by name (or
created), the document's hash names its version, a changed document becomes a new
version, and that version is activated (the service keeps only one active).
"""

from __future__ import annotations

from typing import Any

from ocmp.clients.publisher import PublisherApi
from ocmp.core.publish.run import Run
from ocmp.core.publish.steps_base import step_terms


def push_terms(run: Run) -> dict[str, Any]:
    """Make the terms of listing.yaml live; returns what changed and the ids."""
    ready = step_terms(run)
    run.hand_on(ready)
    return {
        "term": ready.term.id,
        "term_version": ready.version.id,
        "changes": [c.to_dict() for c in run.changes],
        "calls": {"requests": run.stats.requests, "writes": run.stats.writes},
    }


def list_terms(api: PublisherApi, compartment_id: str, name: str | None) -> list[dict[str, Any]]:
    """Terms of the compartment (only ``name`` when given) with their versions."""
    result = []
    for term in api.find_terms(compartment_id, name):
        versions = api.list_term_versions(term.id)
        result.append(
            {
                "id": term.id,
                "name": term.name,
                "lifecycle_state": term.lifecycle_state,
                "versions": [
                    {
                        "id": v.id,
                        "name": v.name,
                        "lifecycle_state": v.lifecycle_state,
                        "status": v.status,
                        "time_created": v.time_created or None,
                    }
                    for v in sorted(versions, key=lambda v: v.time_created)
                ],
            }
        )
    return result
