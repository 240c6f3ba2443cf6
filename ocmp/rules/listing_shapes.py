"""LST019: the shapes an image listing offers are compute shapes that can exist.

Judged offline against the catalogue of :mod:`ocmp.core.shapes`: a name that cannot exist (an
alias such as ``VM.Standard.E4.Generic``, a size its family does not come in, a typo) is an
error before anything is published; a name merely unknown to it is a warning, and the live
rules (TEN010-TEN012) still check what the tenancy offers.
"""

from __future__ import annotations

from collections.abc import Iterator

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.project import Project
from ocmp.core.shapes import shape_problem
from ocmp.rules.base import rule


@rule(
    "LST019",
    name="listing.shape-names",
    severity=Severity.ERROR,
    scope=Scope.LISTING,
    summary="The shapes an image listing offers are real OCI shape names",
)
def listing_shape_names(project: Project) -> Iterator[Problem]:
    """``package.image.shapes[].shape``: a *.Generic alias only fails at publish time."""
    from ocmp.schemas.listing import ImageListingFile

    model = project.listing.model
    if not isinstance(model, ImageListingFile):
        return
    for index, entry in enumerate(model.package.image.shapes):
        found = shape_problem(entry.shape, project.locate("package", "image", "shapes", index,
                                                          "shape"))
        if found is not None:
            yield found
