"""Shared by the live (TEN) rule modules: where a finding points, which listing kinds a rule
looks at, which rules need the listing's image to exist.

The TEN rules read live facts (:class:`~ocmp.core.tenancy.TenancyFacts`) handed to them
beside the project, so they run only with ``ocmp doctor`` or ``ocmp validate --online``.
A fact that cannot be read becomes a "could not check: …" finding with the rule's own
severity, never a pass. Their ids were given in the order the checks were written; each
module holds one concept, whatever its ids.
"""

from __future__ import annotations

from ocmp.core.findings import Location
from ocmp.core.project import Project

_IMAGE, _STACK = frozenset({"image"}), frozenset({"stack"})
# The listing kinds a TEN rule looks at; rules absent here check the tenancy itself.
LISTING_KINDS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("TEN002", "TEN008", "TEN009", "TEN010", "TEN011", "TEN012"), _IMAGE),
    **dict.fromkeys(("TEN006", "TEN015"), _STACK),
    **dict.fromkeys(("TEN013", "TEN014"), _IMAGE | _STACK),
}

# Checks that look at the listing's image itself: with no image to look at they checked
# nothing, and `ocmp doctor` says "not checked" rather than ✓ (TEN008 reports the absence).
NEEDS_IMAGE = frozenset({"TEN009", "TEN012"})


def listing_at(project: Project, *path: str | int) -> Location:
    """A listing.yaml location, or no location when ocmp checks the tenancy alone."""
    return project.locate(*path) if project.listing_path is not None else Location()
