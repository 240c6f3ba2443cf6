"""Marketplace Publisher's state and behaviour, by resource family; no HTTP here (that is
``responses``). Every function takes a :class:`.scope.Scope` (or a store and a tenancy)
and typed inputs, and answers documents or raises :class:`~ocmp.sandbox.core.errors.ApiError`.

The work requests' completers are declared beside their operations; importing them here
means any model a caller loads can finish any work request.
"""

from ocmp.sandbox.services.publisher.models import (  # noqa: F401  (completers register)
    artifacts,
    compartments,
    insights,
    listings,
    packages,
    publication,
    revision_actions,
)
