"""PRC rules: pricing model, paid-listing eligibility, currencies, plans, licensing text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.project import LISTING_FILE, Project
from ocmp.errors import InputError
from ocmp.rules.base import rule
from ocmp.schemas.common import is_ocid
from ocmp.schemas.listing import METERED_PLAN_NAMES, PLAN_TYPES, Pricing, StackListingFile

LICENCE = re.compile(r"licen[cs]", re.IGNORECASE)


def _pricing(project: Project) -> Pricing | None:
    return project.listing.model.listing.pricing


@rule(
    "PRC001",
    name="pricing.model",
    severity=Severity.ERROR,
    scope=Scope.LISTING,
    summary="Pricing plans fit the pricing type: none for FREE/BYOL, at least one for PAYGO",
)
def pricing_model(project: Project) -> Iterator[Problem]:
    """A paid listing without a plan, or a free one with prices, cannot be published."""
    pricing = _pricing(project)
    if pricing is None:
        return
    at = project.locate("listing", "pricing")
    if pricing.type in ("FREE", "BYOL") and pricing.plans:
        yield Problem(
            f"a {pricing.type} listing has pricing plans",
            at,
            hint="remove the plans, or use type: PAYGO",
        )
    if pricing.type == "PAYGO" and not pricing.plans:
        yield Problem(
            "a PAYGO listing has no pricing plan",
            at,
            hint="add plans: [{type: METERED, name: PER_OCPU_LINEAR, rates: […]}]",
        )
    for index, plan in enumerate(pricing.plans):
        if plan.type not in PLAN_TYPES:
            yield Problem(
                f"plan type {plan.type!r} is not one of {', '.join(PLAN_TYPES)}",
                project.locate("listing", "pricing", "plans", index, "type"),
                hint="most image and stack listings use METERED",
            )


@rule(
    "PRC002",
    name="pricing.paid-publisher",
    severity=Severity.ERROR,
    scope=Scope.LISTING,
    summary="A PAYGO listing declares an eligible publisher (US entity, OPN, USD account, "
    "signed agreement)",
)
def paid_publisher(project: Project) -> Iterator[Problem]:
    """Paid listings are open only to publishers that meet Oracle's commercial conditions."""
    pricing = _pricing(project)
    if pricing is None or pricing.type != "PAYGO":
        return
    publisher = project.listing.model.publisher
    if publisher is None:
        yield Problem(
            "a PAYGO listing needs a publisher: section",
            project.locate(),
            hint="declare publisher: {entity, country: US, opn_member: true, "
            "usd_bank_account: true, marketplace_agreement_signed: true}",
        )
        return
    at = project.locate("publisher")
    if (publisher.country or "").upper() != "US":
        yield Problem(
            f"paid listings need a publisher incorporated in the US, not "
            f"{publisher.country or 'an undeclared country'}",
            project.locate("publisher", "country"),
            hint="publish as FREE or BYOL, or publish through a US entity",
        )
    for key, what in (
        ("opn_member", "OPN membership"),
        ("usd_bank_account", "a USD bank account"),
        ("marketplace_agreement_signed", "the signed US Marketplace agreement"),
    ):
        if not getattr(publisher, key):
            yield Problem(
                f"paid listings need {what} (publisher.{key} is false)",
                at,
                hint="complete it in the Partner Portal, then set it to true",
            )


@rule(
    "PRC003",
    name="pricing.usd-first",
    severity=Severity.ERROR,
    scope=Scope.LISTING,
    summary="Every pricing plan has a USD base price, listed first",
)
def usd_first(project: Project) -> Iterator[Problem]:
    """Marketplace prices are set in USD first; other currencies follow."""
    pricing = _pricing(project)
    for index, plan in enumerate(pricing.plans if pricing else []):
        currencies = [rate.currency.upper() for rate in plan.rates]
        if currencies and currencies[0] != "USD":
            yield Problem(
                f"plan {index + 1}: the first rate is in {currencies[0]}, not USD",
                project.locate("listing", "pricing", "plans", index, "rates", 0),
                hint="put the USD rate first"
                if "USD" in currencies
                else "add a USD rate before the others",
            )


def _sibling_image_listing(project: Project, reference: str) -> tuple[Path, Pricing | None] | None:
    from ocmp.core.listing_file import load_listing

    for folder in sorted(project.root.parent.iterdir()):
        candidate = folder / LISTING_FILE
        if folder == project.root or not candidate.is_file():
            continue
        try:
            other = load_listing(candidate, project.display(candidate))
        except InputError:
            continue  # reported when that listing itself is validated
        if other.model.kind == "image" and reference in (other.model.listing.name, folder.name):
            return candidate, other.model.listing.pricing
    return None


@rule(
    "PRC004",
    name="pricing.paid-stack-image",
    severity=Severity.ERROR,
    scope=Scope.LISTING,
    summary="A PAYGO stack references a PAYGO image listing",
)
def paid_stack_image(project: Project) -> Iterator[Problem]:
    """Billing of a paid stack runs through its priced Marketplace image."""
    model = project.listing.model
    pricing = _pricing(project)
    if not isinstance(model, StackListingFile) or pricing is None or pricing.type != "PAYGO":
        return
    references = model.package.stack.image_listings
    at = project.locate("package", "stack", "image_listings")
    if not references:
        yield Problem(
            "a PAYGO stack lists no image listing",
            at,
            hint="name the paid image listing in package.stack.image_listings",
        )
        return
    for index, reference in enumerate(references):
        if is_ocid(reference):
            continue  # checked online only
        found = _sibling_image_listing(project, reference)
        if found is None:
            yield Problem(
                f"image listing {reference!r} is not a listing beside this one",
                project.locate("package", "stack", "image_listings", index),
                hint="use the name of an image listing in a sibling folder, or an OCID",
            )
        elif found[1] is None or found[1].type != "PAYGO":
            kind = found[1].type if found[1] else "unpriced"
            yield Problem(
                f"the PAYGO stack uses image listing {reference!r}, which is {kind}",
                project.locate("package", "stack", "image_listings", index),
                hint="a paid stack must launch a paid (PAYGO) image",
            )


@rule(
    "PRC005",
    name="pricing.strategy",
    severity=Severity.ERROR,
    scope=Scope.LISTING,
    summary="A metered plan names a pricing strategy the API knows",
)
def strategy(project: Project) -> Iterator[Problem]:
    """METERED plans are priced per OCPU or per instance, nothing else."""
    pricing = _pricing(project)
    for index, plan in enumerate(pricing.plans if pricing else []):
        if plan.type == "METERED" and plan.name not in METERED_PLAN_NAMES:
            yield Problem(
                f"pricing strategy {plan.name!r} is not one of {', '.join(METERED_PLAN_NAMES)}",
                project.locate("listing", "pricing", "plans", index, "name"),
                hint="per-OCPU pricing is PER_OCPU_LINEAR",
            )


@rule(
    "PRC006",
    name="pricing.byol-licence",
    severity=Severity.WARNING,
    scope=Scope.LISTING,
    summary="A BYOL listing explains how to obtain and apply the licence",
)
def byol_licence(project: Project) -> Iterator[Problem]:
    """Customers of a BYOL listing must learn where the licence comes from."""
    pricing = _pricing(project)
    if pricing is None or pricing.type != "BYOL":
        return
    listing = project.listing
    texts = [
        listing.text(listing.model.listing.usage_information),
        listing.text(listing.model.listing.long_description),
    ]
    if not any(LICENCE.search(text) for text in texts):
        yield Problem(
            "a BYOL listing whose usage information never mentions the licence",
            project.locate("listing", "usage_information"),
            hint="explain how to buy the licence and where to enter it",
        )


@rule(
    "PRC007",
    name="pricing.territory",
    severity=Severity.INFO,
    scope=Scope.LISTING,
    summary="Paid listings are offered only where the publisher's domicile allows",
)
def territory(project: Project) -> Iterator[Problem]:
    """Free and BYOL listings are worldwide; paid ones follow the publisher's domicile."""
    pricing = _pricing(project)
    if pricing is not None and pricing.type == "PAYGO":
        yield Problem(
            "this PAYGO listing will be offered only in the territories open to "
            "its publisher's domicile",
            project.locate("listing", "pricing", "type"),
            hint="choose BYOL for worldwide availability if that matters",
        )
