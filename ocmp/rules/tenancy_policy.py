"""TEN003, TEN004: the IAM policy statements Marketplace needs, where they are and what they
grant."""

from __future__ import annotations

from collections.abc import Iterator

from ocmp.core.findings import Location, Problem, Severity
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
from ocmp.core.tenancy import TenancyFacts, Unavailable, could_not_check
from ocmp.rules.base import live_rule

POLICY_FIX = (
    "run `ocmp policy --apply` (adds only the missing statements to a root-compartment "
    "policy), or paste the statement in Console → Identity & Security → Policies → "
    "root compartment → Create Policy"
)


def _near_miss_text(verdict: Verdict) -> str:
    notes = [f"'{s.text}' ({s.policy}) {why.value}" for s, why in verdict.near_misses]
    return f"; not sufficient: {'; '.join(notes[:3])}" if notes else ""


@live_rule(
    "TEN003",
    name="tenancy.marketplace-policy",
    severity=Severity.ERROR,
    summary="The root compartment grants the marketplace service what the listing kind needs",
)
def marketplace_policy(project: Project, facts: TenancyFacts) -> Iterator[Problem]:
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


@live_rule(
    "TEN004",
    name="tenancy.policy-scope",
    severity=Severity.WARNING,
    summary="Marketplace statements outside the root compartment or scoped to one grant too little",
)
def policy_scope(project: Project, facts: TenancyFacts) -> Iterator[Problem]:
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
