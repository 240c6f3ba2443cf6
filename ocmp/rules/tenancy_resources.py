"""TEN013, TEN014, TEN015: live resources the listing names — its terms of use, the
revisions of the listing, the Resource Manager stacks it refers to."""

from __future__ import annotations

from collections.abc import Iterator

from ocmp.core.findings import Problem, Severity
from ocmp.core.project import Project
from ocmp.core.tenancy import NotFound, TenancyFacts, Unavailable, could_not_check
from ocmp.rules.base import live_rule
from ocmp.rules.tenancy_common import listing_at


@live_rule(
    "TEN013",
    name="tenancy.terms-active-version",
    severity=Severity.ERROR,
    summary="Terms of use the listing names that already exist have an ACTIVE version",
)
def terms_active(project: Project, facts: TenancyFacts) -> Iterator[Problem]:
    terms = facts.terms
    if terms is None:
        return
    if isinstance(terms, Unavailable):
        yield could_not_check(terms, "the terms of use")
        return
    if terms.term is None:
        return  # publish creates them with a first, active version
    active = [v for v in terms.versions if v.lifecycle_state == "ACTIVE" and v.status != "DELETED"]
    if not active:
        listed = ", ".join(f"{v.name or v.id} {v.lifecycle_state}" for v in terms.versions)
        yield Problem(
            f"terms '{terms.term.name}' exist but have no ACTIVE version"
            + (f" ({listed})" if listed else " (no version at all)"),
            at=listing_at(project, "terms", "name"),
            hint="activate a version: `oci marketplace-publisher term-version activate "
            "--term-version-id <id>`, or upload one with `ocmp publish`",
        )


_BLOCKING = {
    "PENDING_REVIEW": "wait for Oracle's review to end (`ocmp status`)",
    "REVIEW_IN_PROGRESS": "wait for Oracle's review to end (`ocmp status`)",
    "APPROVED": "publish it first (`ocmp publish --private` or `--public`)",
    "PUBLISH_IN_PROGRESS": "wait for the publication to finish",
    "PUBLISH_AS_PRIVATE_IN_PROGRESS": "wait for the publication to finish",
    "UNPUBLISH_IN_PROGRESS": "wait for the withdrawal to finish",
}


@live_rule(
    "TEN014",
    name="tenancy.no-blocking-revision",
    severity=Severity.ERROR,
    summary="No revision of the listing under review or in progress blocks a new one",
)
def no_blocking_revision(project: Project, facts: TenancyFacts) -> Iterator[Problem]:
    revisions = facts.revisions
    if revisions is None:
        return
    if isinstance(revisions, Unavailable):
        yield could_not_check(revisions, "the listing's revisions")
        return
    for revision in revisions:
        if revision.lifecycle_state != "DELETED" and revision.status in _BLOCKING:
            yield Problem(
                f"revision '{revision.name or revision.id}' is {revision.status}: "
                "a new revision cannot be created until it settles",
                at=listing_at(project, "listing", "name"),
                hint=_BLOCKING[revision.status],
            )


@live_rule(
    "TEN015",
    name="tenancy.orm-stack-active",
    severity=Severity.ERROR,
    summary="A Resource Manager stack the listing refers to exists and is ACTIVE",
)
def orm_stack_active(project: Project, facts: TenancyFacts) -> Iterator[Problem]:
    for stack_id in facts.stack_ids:
        stack = facts.stack(stack_id)
        if isinstance(stack, Unavailable):
            yield could_not_check(stack, f"stack {stack_id}")
        elif isinstance(stack, NotFound):
            yield Problem(
                f"Resource Manager stack {stack_id} does not exist (or is not visible)",
                hint="delete the stale .ocmp/state journal entry; `ocmp publish` creates a new "
                "stack from the package",
            )
        elif stack.lifecycle_state != "ACTIVE":
            yield Problem(
                f"Resource Manager stack '{stack.name}' is {stack.lifecycle_state}, not ACTIVE",
                hint="check it in Console → Developer Services → Resource Manager → Stacks",
            )
