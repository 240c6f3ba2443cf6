"""Marketplace Publisher (``/20241201``): one module per resource family, one route table."""

from ocmp.sandbox.core.routing import RouteTable

ROUTES = RouteTable("Marketplace Publisher", "/20241201")

# Importing the handler modules registers their routes (and work request completers).
from ocmp.sandbox.services.publisher import (  # noqa: E402
    actions,
    artifacts,
    attachments,
    insights,
    listings,
    metadata,
    notes,
    packages,
    publication,
    revisions,
    terms,
    work_requests,
)

__all__ = ["ROUTES", "actions", "artifacts", "attachments", "insights", "listings", "metadata",
           "notes",
           "packages", "publication", "revisions", "terms", "work_requests"]
