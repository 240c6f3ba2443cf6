"""LST rules on the required content of listing.yaml: name, headline, contacts, links,
terms, required API fields, pricing type, artifact name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.project import Project
from ocmp.rules.base import rule
from ocmp.schemas.common import is_web_url
from ocmp.schemas.listing import PRICING_TYPES

NAME_MAX = 80
NAME_OPTIMAL = 36
HEADLINE_LONG = 150
ARTIFACT_NAME_MAX = 200
PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{5,}[0-9]$")
SMALL_WORDS = {
    "a",
    "an",
    "and",
    "as",
    "at",
    "by",
    "for",
    "in",
    "of",
    "on",
    "or",
    "the",
    "to",
    "with",
}


@rule(
    "LST001",
    name="listing.name-length",
    severity=Severity.ERROR,
    scope=Scope.LISTING,
    summary="Listing name is at most 80 characters on one line (36 or fewer read best)",
)
def name_length(project: Project) -> Iterator[Problem]:
    """Oracle caps the listing name at 80 characters and recommends 36 for display."""
    name = project.listing.model.listing.name
    at = project.locate("listing", "name")
    if not name.strip():
        yield Problem("the listing name is empty", at, hint="give the listing a name")
    elif "\n" in name or "\r" in name:
        yield Problem("the listing name contains a line break", at, hint="keep it on one line")
    elif len(name) > NAME_MAX:
        yield Problem(
            f"the listing name has {len(name)} characters, more than {NAME_MAX}",
            at,
            hint="shorten it; move details to the headline",
        )
    elif len(name) > NAME_OPTIMAL:
        yield Problem(
            f"the listing name has {len(name)} characters; {NAME_OPTIMAL} or fewer display best",
            at,
            hint="shorten it if you can",
            severity=Severity.WARNING,
        )


@rule(
    "LST002",
    name="listing.headline",
    severity=Severity.ERROR,
    scope=Scope.LISTING,
    summary="Headline is present and one line (long ones warned: they wrap past two lines)",
)
def headline(project: Project) -> Iterator[Problem]:
    """The API requires the headline, "a single line introduction" (the SDK's words); the
    listing page shows it in at most two lines."""
    text = project.listing.model.listing.headline
    at = project.locate("listing", "headline")
    if text is None or not text.strip():
        yield Problem(
            "the headline is missing",
            project.locate("listing"),
            hint="add listing.headline: one sentence on what the product does",
        )
        return
    lines = text.strip().splitlines()
    if len(lines) > 1:
        yield Problem(
            f"the headline has {len(lines)} lines; the API takes a single line",
            at,
            hint="write it as one sentence on one line",
        )
    elif len(text) > HEADLINE_LONG:
        yield Problem(
            f"the headline has {len(text)} characters; over {HEADLINE_LONG} wraps past the two "
            "lines the listing page shows",
            at,
            hint="keep the headline short",
            severity=Severity.WARNING,
        )


@rule(
    "LST003",
    name="listing.support-contact",
    severity=Severity.ERROR,
    scope=Scope.LISTING,
    summary="At least one support contact with a valid e-mail address or phone number",
)
def support_contact(project: Project) -> Iterator[Problem]:
    """Customers and reviewers need a way to reach the publisher."""
    contacts = project.listing.model.listing.support_contacts
    if not contacts:
        yield Problem(
            "no support contact",
            project.locate("listing"),
            hint="add listing.support_contacts: [{name: Support, email: …}]",
        )
        return
    for index, contact in enumerate(contacts):
        phone_ok = contact.phone is not None and PHONE.match(contact.phone.strip()) is not None
        if contact.phone is not None and not phone_ok:
            yield Problem(
                f"support contact {contact.name!r}: {contact.phone!r} is not a phone number",
                project.locate("listing", "support_contacts", index, "phone"),
                hint="use digits with an optional leading +, e.g. +1 650 555 0100",
            )
        elif contact.email is None and not phone_ok:
            yield Problem(
                f"support contact {contact.name!r} has neither e-mail nor phone",
                project.locate("listing", "support_contacts", index),
                hint="add an email: or phone:",
            )


def _links(project: Project) -> Iterator[tuple[tuple[str | int, ...], str]]:
    listing = project.listing.model.listing
    for i, link in enumerate(listing.support_links):
        yield ("listing", "support_links", i, "url"), link.url
    for i, doc in enumerate(listing.documents):
        yield ("listing", "documents", i, "url"), doc.url
    for i, video in enumerate(listing.videos):
        yield ("listing", "videos", i, "url"), video.url
    if listing.demo_url is not None:
        yield ("listing", "demo_url"), listing.demo_url


@rule(
    "LST004",
    name="listing.links",
    severity=Severity.WARNING,
    scope=Scope.LISTING,
    summary="Links are absolute http(s) URLs",
)
def links(project: Project) -> Iterator[Problem]:
    """Relative or schemeless links are broken on the Marketplace page."""
    for path, url in _links(project):
        if not is_web_url(url):
            yield Problem(
                f"{url!r} is not an absolute http(s) URL",
                project.locate(*path),
                hint="write the full address, e.g. https://acme.example/docs",
            )


def is_title_case(text: str) -> bool:
    """Each word starts with a capital, except short joining words after the first."""
    # Words start with any letter (É, Ø, ß), not only ASCII: "Émile" is a capitalised word.
    words = re.findall(r"[^\W\d_][\w'-]*", text)
    return bool(words) and all(
        w[0].isupper() or (i > 0 and w.lower() in SMALL_WORDS) for i, w in enumerate(words)
    )


@rule(
    "LST005",
    name="listing.terms",
    severity=Severity.ERROR,
    scope=Scope.LISTING,
    summary="Terms of use are attached to the package, named in Title Case",
)
def terms(project: Project) -> Iterator[Problem]:
    """Every package needs terms of use; Oracle's guide asks for a Title Case name."""
    model = project.listing.model
    if model.terms is None:
        yield Problem(
            "no terms of use",
            project.locate(),
            hint="add terms: {name: Acme Terms of Use, document: terms/eula.md}",
        )
        return
    if not is_title_case(model.terms.name):
        yield Problem(
            f"terms name {model.terms.name!r} is not in Title Case",
            project.locate("terms", "name"),
            hint="e.g. 'Acme Firewall Terms of Use'",
            severity=Severity.WARNING,
        )


@rule(
    "LST009",
    name="listing.required-fields",
    severity=Severity.ERROR,
    scope=Scope.LISTING,
    summary="The fields the Publisher API requires are present: pricing, products "
    "(the headline: LST002)",
)
def required_fields(project: Project) -> Iterator[Problem]:
    """A revision without these is refused by the API. A missing headline is LST002's
    finding: one cause, one finding."""
    listing = project.listing.model.listing
    where = project.locate("listing")
    if listing.pricing is None:
        yield Problem(
            "listing.pricing is required by the API",
            where,
            hint="add pricing: {type: FREE} (or BYOL, PAYGO)",
        )
    if not listing.products:
        yield Problem(
            "listing.products is empty; the API needs a product and category",
            where,
            hint="add products: [{code: applications, categories: [DEVELOPER_TOOLS]}]",
        )
    for index, product in enumerate(listing.products):
        if not product.categories:
            yield Problem(
                f"product {product.code!r} has no category",
                project.locate("listing", "products", index),
                hint="list at least one category code",
            )


@rule(
    "LST010",
    name="listing.pricing-type",
    severity=Severity.ERROR,
    scope=Scope.LISTING,
    summary="Pricing type is FREE, BYOL or PAYGO",
)
def pricing_type(project: Project) -> Iterator[Problem]:
    """The API knows three pricing types; anything else is refused."""
    pricing = project.listing.model.listing.pricing
    if pricing is not None and pricing.type not in PRICING_TYPES:
        yield Problem(
            f"pricing type {pricing.type!r} is not one of {', '.join(PRICING_TYPES)}",
            project.locate("listing", "pricing", "type"),
            hint="PAYGO is the paid model (shown to customers as Paid)",
        )


@rule(
    "LST012",
    name="listing.artifact-name-length",
    severity=Severity.WARNING,
    scope=Scope.LISTING,
    summary="Artifact display name is shorter than 200 characters",
)
def artifact_name_length(project: Project) -> Iterator[Problem]:
    """The artifact name (package.display_name, or '<name> <version>') must stay short."""
    model = project.listing.model
    name = model.package.display_name or f"{model.listing.name} {model.package.version}"
    if len(name) >= ARTIFACT_NAME_MAX:
        path = ("package", "display_name") if model.package.display_name else ("listing", "name")
        yield Problem(
            f"the artifact name has {len(name)} characters (limit {ARTIFACT_NAME_MAX})",
            project.locate(*path),
            hint="set a shorter package.display_name",
        )
