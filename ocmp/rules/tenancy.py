"""TEN rules about the publisher tenancy: account, Ashburn, IAM policy, terms, revisions, stack.

They read live facts through ``project.tenancy`` (:class:`~ocmp.core.tenancy.TenancyFacts`),
so they run only with ``ocmp doctor`` or ``ocmp validate --online``. A fact that cannot be
read becomes a "could not check: …" finding with the rule's own severity, never a pass.
"""

from __future__ import annotations

from collections.abc import Iterator

from ocmp.core.findings import Location, Problem, Scope, Severity
from ocmp.core.policy import (
    REQUIREMENTS,
    NearMiss,
    PolicyText,
    Status,
    Verdict,
    evaluate,
    marketplace_statements,
    requirements_for,
)
from ocmp.core.project import Project
from ocmp.core.tenancy import ASHBURN, NotFound, TenancyFacts, Unavailable, could_not_check
from ocmp.rules.base import rule

_IMAGE, _STACK = frozenset({"image"}), frozenset({"stack"})
# The listing kinds a TEN rule looks at; rules absent here check the tenancy itself.
LISTING_KINDS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("TEN002", "TEN008", "TEN009", "TEN010", "TEN011", "TEN012"), _IMAGE),
    **dict.fromkeys(("TEN006", "TEN015"), _STACK),
    **dict.fromkeys(("TEN013", "TEN014"), _IMAGE | _STACK),
}

POLICY_FIX = (
    "run `ocmp policy --apply` (adds only the missing statements to a root-compartment "
    "policy), or paste the statement in Console → Identity & Security → Policies → "
    "root compartment → Create Policy"
)


def facts_of(project: Project) -> TenancyFacts:
    """The live facts (the runner runs TENANCY rules only when they are there)."""
    assert project.tenancy is not None
    return project.tenancy


def listing_at(project: Project, *path: str | int) -> Location:
    """A listing.yaml location, or no location when ocmp checks the tenancy alone."""
    return project.locate(*path) if project.listing_path is not None else Location()


@rule(
    "TEN001",
    name="tenancy.ashburn-subscribed",
    severity=Severity.ERROR,
    scope=Scope.TENANCY,
    summary="The tenancy is subscribed to us-ashburn-1 and the subscription is READY",
)
def ashburn_subscribed(project: Project) -> Iterator[Problem]:
    facts = facts_of(project)
    subscriptions = facts.region_subscriptions
    if isinstance(subscriptions, Unavailable):
        yield could_not_check(subscriptions, "the region subscriptions")
        return
    ashburn = [s for s in subscriptions if s.region == ASHBURN]
    if not ashburn:
        regions = ", ".join(sorted(s.region for s in subscriptions)) or "none"
        yield Problem(
            f"the tenancy is not subscribed to {ASHBURN} (subscribed: {regions}); "
            "Marketplace publishes only from US East (Ashburn)",
            hint="Console → Governance & Administration → Region Management → US East "
            f"(Ashburn) → Subscribe, or `oci iam region-subscription create --tenancy-id "
            f"{facts.tenancy_id} --region-key IAD`",
        )
    elif ashburn[0].status != "READY":
        yield Problem(
            f"the subscription to {ASHBURN} is {ashburn[0].status}, not READY",
            hint="a new region takes a few minutes to become READY; re-run `ocmp doctor` then",
        )


def _near_miss_text(verdict: Verdict) -> str:
    notes = [f"'{s.text}' ({s.policy}) {why.value}" for s, why in verdict.near_misses]
    return f"; not sufficient: {'; '.join(notes[:3])}" if notes else ""


@rule(
    "TEN003",
    name="tenancy.marketplace-policy",
    severity=Severity.ERROR,
    scope=Scope.TENANCY,
    summary="The root compartment grants the marketplace service what the listing kind needs",
)
def marketplace_policy(project: Project) -> Iterator[Problem]:
    facts = facts_of(project)
    policies = facts.root_policies
    if isinstance(policies, Unavailable):
        yield could_not_check(policies, "the root compartment's policies")
        return
    needed = requirements_for(facts.kind) if facts.kind else requirements_for("image")
    texts = [PolicyText(p.name, p.compartment_id, p.statements) for p in policies]
    where = Location()  # policies belong to the tenancy, not to a line of listing.yaml
    for verdict in evaluate(texts, REQUIREMENTS):
        req = verdict.requirement
        if verdict.status is Status.MET:
            continue
        if verdict.status is Status.CONDITIONAL:
            used = verdict.satisfied_by[0]
            yield Problem(
                f"'{used.text}' ({used.policy}) grants {req.resource} only under a where "
                "condition, which ocmp cannot verify",
                at=where,
                hint=f"if the condition may not hold for Marketplace, add: {req.statement}",
                severity=Severity.WARNING,
            )
            continue
        if req in needed:
            # A permission list ({PERM_A, PERM_B}) may grant it: ocmp cannot tell, so warn.
            unsure = any(why is NearMiss.PERMISSION_LIST for _, why in verdict.near_misses)
            yield Problem(
                f"{'not verifiable' if unsure else 'missing'}: {req.statement} "
                f"(to {req.purpose}){_near_miss_text(verdict)}",
                at=where,
                hint=POLICY_FIX,
                severity=Severity.WARNING if unsure else None,
            )
        elif facts.kind is None:
            yield Problem(
                f"for stack listings, missing: {req.statement}",
                hint=POLICY_FIX.replace("--apply", "--kind stack --apply"),
                severity=Severity.INFO,
            )


@rule(
    "TEN004",
    name="tenancy.policy-scope",
    severity=Severity.WARNING,
    scope=Scope.TENANCY,
    summary="Marketplace statements outside the root compartment or scoped to one grant too little",
)
def policy_scope(project: Project) -> Iterator[Problem]:
    facts = facts_of(project)
    root = facts.root_policies
    if isinstance(root, Unavailable):
        yield could_not_check(root, "the root compartment's policies")
    else:
        texts = [PolicyText(p.name, p.compartment_id, p.statements) for p in root]
        for statement in marketplace_statements(texts):
            if not statement.in_tenancy:
                yield Problem(
                    f"'{statement.text}' ({statement.policy}) is scoped to a compartment; "
                    "Marketplace needs the grant IN TENANCY",
                    hint="write the statement with IN TENANCY (`ocmp policy` prints them)",
                )
    others = facts.other_policies
    if isinstance(others, Unavailable):
        yield could_not_check(others, "the policies of sub-compartments")
        return
    texts = [PolicyText(p.name, p.compartment_id, p.statements) for p in others]
    for statement in marketplace_statements(texts):
        yield Problem(
            f"'{statement.text}' is in policy {statement.policy} of a sub-compartment, "
            "where it cannot grant anything IN TENANCY",
            hint="move it to a policy of the root compartment (`ocmp policy --apply`)",
        )


@rule(
    "TEN005",
    name="tenancy.publisher-access",
    severity=Severity.WARNING,
    scope=Scope.TENANCY,
    summary="The credentials may use the Marketplace Publisher service",
)
def publisher_access(project: Project) -> Iterator[Problem]:
    account = facts_of(project).publisher
    if isinstance(account, Unavailable) and account.status in (403, 404):
        yield Problem(
            f"these credentials cannot read the Marketplace Publisher service: {account.reason}",
            hint="a tenancy administrator adds, in a root-compartment policy: Allow group "
            "<your-group> to manage marketplace-publisher-family in tenancy",
        )
    elif isinstance(account, Unavailable):
        yield could_not_check(account, "access to the Publisher service")


@rule(
    "TEN007",
    name="tenancy.publisher-approved",
    severity=Severity.ERROR,
    scope=Scope.TENANCY,
    summary="The tenancy has a Marketplace publisher account and it is APPROVED",
)
def publisher_approved(project: Project) -> Iterator[Problem]:
    account = facts_of(project).publisher
    if isinstance(account, Unavailable):
        yield could_not_check(account, "the publisher account")
    elif account is None:
        yield Problem(
            "this tenancy has no Marketplace publisher account",
            hint="sign up as a publisher (Console → Marketplace → Publisher → Sign up, after "
            "joining the Oracle PartnerNetwork); Oracle must approve it before any listing",
        )
    elif account.status != "APPROVED":
        yield Problem(
            f"publisher account '{account.name}' is {account.status}, not APPROVED",
            hint="Oracle reviews new publishers; answer their e-mail or contact "
            "Marketplace support with the publisher OCID " + account.id,
        )


@rule(
    "TEN013",
    name="tenancy.terms-active-version",
    severity=Severity.ERROR,
    scope=Scope.TENANCY,
    summary="Terms of use the listing names that already exist have an ACTIVE version",
)
def terms_active(project: Project) -> Iterator[Problem]:
    terms = facts_of(project).terms
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


@rule(
    "TEN014",
    name="tenancy.no-blocking-revision",
    severity=Severity.ERROR,
    scope=Scope.TENANCY,
    summary="No revision of the listing under review or in progress blocks a new one",
)
def no_blocking_revision(project: Project) -> Iterator[Problem]:
    revisions = facts_of(project).revisions
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


@rule(
    "TEN015",
    name="tenancy.orm-stack-active",
    severity=Severity.ERROR,
    scope=Scope.TENANCY,
    summary="A Resource Manager stack the listing refers to exists and is ACTIVE",
)
def orm_stack_active(project: Project) -> Iterator[Problem]:
    facts = facts_of(project)
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
