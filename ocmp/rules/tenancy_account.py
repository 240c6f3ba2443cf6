"""TEN001, TEN005, TEN007: the tenancy itself — its Ashburn subscription, the publisher
account and the credentials' access to the Publisher service."""

from __future__ import annotations

from collections.abc import Iterator

from ocmp.core.findings import Problem, Severity
from ocmp.core.project import Project
from ocmp.core.tenancy import ASHBURN, TenancyFacts, Unavailable, could_not_check
from ocmp.rules.base import live_rule


@live_rule(
    "TEN001",
    name="tenancy.ashburn-subscribed",
    severity=Severity.ERROR,
    summary="The tenancy is subscribed to us-ashburn-1 and the subscription is READY",
)
def ashburn_subscribed(project: Project, facts: TenancyFacts) -> Iterator[Problem]:
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


@live_rule(
    "TEN005",
    name="tenancy.publisher-access",
    severity=Severity.WARNING,
    summary="The credentials may use the Marketplace Publisher service",
)
def publisher_access(project: Project, facts: TenancyFacts) -> Iterator[Problem]:
    account = facts.publisher
    if isinstance(account, Unavailable) and account.status in (403, 404):
        yield Problem(
            f"these credentials cannot read the Marketplace Publisher service: {account.reason}",
            hint="a tenancy administrator adds, in a root-compartment policy: Allow group "
            "<your-group> to manage marketplace-publisher-family in tenancy",
        )
    elif isinstance(account, Unavailable):
        yield could_not_check(account, "access to the Publisher service")


@live_rule(
    "TEN007",
    name="tenancy.publisher-approved",
    severity=Severity.ERROR,
    summary="The tenancy has a Marketplace publisher account and it is APPROVED",
)
def publisher_approved(project: Project, facts: TenancyFacts) -> Iterator[Problem]:
    account = facts.publisher
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
