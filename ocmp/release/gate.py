"""Never ship what validation refuses: the offline rules of ``ocmp validate``, before any request.

``ocmp plan`` and ``ocmp publish`` call :func:`gate` on every listing project they are about
to upload. The listing's ``ignore:`` applies as in ``validate`` (with its reasons), except for
the secrets rules, which cannot be ignored. Errors stop the run with
:class:`ValidationFailed` (exit 1, the findings in the same report ``validate`` prints);
warnings are handed back to be shown.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from ocmp.core.findings import Report, Scope
from ocmp.core.project import Project
from ocmp.errors import ExitCode, OcmpError

# The Marketplace image rules that `ocmp stack subscribe` makes true. A stack the release
# subscribes to its image listings is checked against them only once it is subscribed
# (after the image listings are published, before the stack is uploaded).
SUBSCRIPTION_RULES = tuple(f"STK{n:03d}" for n in range(80, 95))


class ValidationFailed(OcmpError):
    """The offline rules found errors: nothing was (or will be) uploaded."""

    exit_code = ExitCode.FINDINGS

    def __init__(self, report: Report, *, uploaded_before: bool = False) -> None:
        files = len(report.files)
        what = "nothing was uploaded" if not uploaded_before else "the stack was not uploaded"
        super().__init__(
            f"validation found {report.errors} error{'s' if report.errors != 1 else ''} in "
            f"{files} project{'s' if files != 1 else ''}: {what}",
            hint="fix them (`ocmp validate` shows the same findings), then run again",
        )
        self.report = report

    def to_dict(self) -> dict[str, object]:
        """The error, with the findings that caused it."""
        return {**super().to_dict(), "findings": self.report.to_dict()["findings"]}


def check(project: Project, *, deferred: Collection[str] = ()) -> Report:
    """The offline findings of one project (rules in ``deferred`` left for later)."""
    from ocmp.rules import run

    report = Report()
    report.files.append(
        project.display(project.listing_path or project.stack_path or project.root)
    )
    report.extend(
        run(project, ignore=sorted(deferred), scopes=(Scope.LISTING, Scope.STACK))
    )
    return report


def gate(
    projects: Sequence[Project],
    *,
    deferred: Mapping[int, Collection[str]] | None = None,
    uploaded_before: bool = False,
) -> Report:
    """Check every project; raise :class:`ValidationFailed` when any has an error.

    ``deferred`` maps a project's index to rule ids checked later (see
    :data:`SUBSCRIPTION_RULES`). Returns the report (warnings and infos) when it passes.
    """
    merged = Report()
    for index, project in enumerate(projects):
        one = check(project, deferred=(deferred or {}).get(index, ()))
        merged.files.extend(one.files)
        merged.extend(one.findings)
    if merged.errors:
        raise ValidationFailed(merged, uploaded_before=uploaded_before)
    return merged
