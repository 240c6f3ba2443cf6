"""Never ship what validation refuses: the offline rules of ``ocmp validate``, before any request.

``ocmp plan`` and ``ocmp publish`` call :func:`gate` on every listing project they are about
to upload. The listing's ``ignore:`` applies as in ``validate`` (with its reasons), except for
the secrets rules, which cannot be ignored. Errors stop the run with
:class:`ValidationFailed` (exit 1, the findings in the same report ``validate`` prints);
warnings are handed back to be shown. Publishing anywhere but the sandbox,
:func:`refuse_placeholders` runs the :data:`SANDBOX_ONLY_RULES` too, as errors: demo texts
and demo OCIDs are right in a rehearsal and wrong in Oracle's review.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from ocmp.core.findings import Report, Scope, Severity
from ocmp.core.project import Project
from ocmp.errors import ExitCode, OcmpError

# The Marketplace image rules that `ocmp stack subscribe` makes true. A stack the release
# subscribes to its image listings is checked against them only once it is subscribed
# (after the image listings are published, before the stack is uploaded).
SUBSCRIPTION_RULES = tuple(f"STK{n:03d}" for n in range(80, 95))
# Findings that are fine in a sandbox rehearsal and refused when publishing for real:
# what `ocmp init` wrote for the user to replace (LST017).
SANDBOX_ONLY_RULES = ("LST017",)


class ValidationFailed(OcmpError):
    """The offline rules found errors: nothing was (or will be) uploaded."""

    exit_code = ExitCode.FINDINGS
    kind = "validation_failed"  # the findings go in the document's `validation` report

    def __init__(self, report: Report, *, uploaded_before: bool = False,
                 shown_by: str = "ocmp validate") -> None:
        # report.files counts every file checked (listing.yaml, .tf, schema.yaml), not projects
        places = {f.file for f in report.findings if f.severity is Severity.ERROR and f.file}
        what = "nothing was uploaded" if not uploaded_before else "the stack was not uploaded"
        super().__init__(
            f"validation found {report.errors} error{'s' if report.errors != 1 else ''} in "
            f"{len(places)} file{'s' if len(places) != 1 else ''}: {what}",
            hint=f"fix them (`{shown_by}` shows the same findings), then run again",
        )
        self.report = report


def check(project: Project, *, deferred: Collection[str] = ()) -> Report:
    """The offline findings of one project (rules in ``deferred`` left for later)."""
    from ocmp.rules import run

    report = Report()
    report.files.extend(project.checked_files())
    report.extend(run(project, ignore=sorted(deferred), scopes=(Scope.LISTING, Scope.STACK)))
    return report


def refuse_placeholders(projects: Sequence[Project]) -> None:
    """Publishing outside the sandbox: raise :class:`ValidationFailed` when a project still
    holds what `ocmp init` wrote for the user to replace (:data:`SANDBOX_ONLY_RULES`)."""
    from ocmp.rules import run

    merged = Report()
    for project in projects:
        if project.listing_path is None:
            continue
        merged.files.extend(project.checked_files())
        merged.extend(
            replace(f, severity=Severity.ERROR,
                    message=f.message + " (publishing outside the sandbox)")
            for f in run(project, select=SANDBOX_ONLY_RULES, scopes=(Scope.LISTING,))
            if f.rule in SANDBOX_ONLY_RULES  # not the notes on ignore: that every run adds
        )
    if merged.errors:
        raise ValidationFailed(merged, shown_by="ocmp validate --select "
                               + ",".join(SANDBOX_ONLY_RULES))


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
