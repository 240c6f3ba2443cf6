"""The publisher account and Oracle's reference data: markets, products and their
categories, supported shapes, currencies.

``POST /publishers`` creates a NEW account; Oracle's onboarding (APPROVED) is a seed's
(:func:`put_publisher`), as are the products and markets Oracle defines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ocmp.sandbox.core.errors import ApiError, not_found
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import stable_id, touch
from ocmp.sandbox.services.publisher.models.scope import Scope

CURRENCIES = (("USD", 1.0), ("EUR", 0.92), ("GBP", 0.79))


@dataclass(frozen=True)
class NewPublisher:
    """What a CreatePublisher asks for (the company's details)."""

    email: str
    company_name: str
    contact_email: str
    description: str | None = None
    business_phone: str | None = None
    contact_phone: str | None = None
    website: str | None = None
    year_founded: Any = None
    employee_count: Any = None
    opn_number: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    solution_description: str | None = None
    freeform_tags: dict[str, Any] | None = None


@dataclass(frozen=True)
class Product:
    """A product Oracle lists listings under, with its categories (code → name)."""

    code: str
    name: str
    group: str
    categories: tuple[tuple[str, str], ...] = ()


def get(scope: Scope, kind: str, ident: str) -> Doc:
    """A publisher, market, product or category (404 when there is none)."""
    doc = scope.store.get(scope.tenancy, kind, ident)
    if doc is None:
        raise not_found(kind, ident)
    return doc


def publishers(scope: Scope, name: str | None) -> list[Doc]:
    """The tenancy's publisher account(s), of one display name when given."""
    return [d for d in scope.store.list(scope.tenancy, "publisher")
            if name is None or d["displayName"] == name]


def create_publisher(scope: Scope, new: NewPublisher) -> Doc:
    """A NEW account (409 when the tenancy has one already)."""
    if scope.store.list(scope.tenancy, "publisher"):
        raise ApiError(409, "NotAuthorizedOrResourceAlreadyExists",
                       "This tenancy already has a publisher account")
    doc = touch({
        "id": stable_id("marketplacepublisher", scope.tenancy), "compartmentId": scope.tenancy,
        "displayName": new.company_name, "description": new.description,
        "publisherStatus": "NEW", "publisherType": "EXTERNAL", "enrollmentStatus": "PENDING",
        "email": new.email, "contactEmail": new.contact_email,
        "businessPhoneNumber": new.business_phone,
        "contactPhone": new.contact_phone, "websiteUrl": new.website,
        "yearFounded": new.year_founded, "employeeCount": new.employee_count,
        "opnNumber": new.opn_number, "city": new.city,
        "state": new.state, "country": new.country,
        "solutionDescription": new.solution_description, "isFxEnabled": False,
        "freeformTags": new.freeform_tags or {}, "definedTags": {}, "systemTags": {}},
        created=True)
    return scope.put("publisher", doc)


def put_publisher(store: Store, tenancy: str, name: str, status: str,
                  ident: str | None = None) -> Doc:
    """An onboarded account as Oracle keeps it (a seed's): ``status`` APPROVED lets the
    tenancy create listings."""
    return store.put(tenancy, "publisher", touch({
        "id": ident or stable_id("marketplacepublisher", tenancy),
        "compartmentId": tenancy, "displayName": name, "description": f"{name} (sandbox)",
        "publisherStatus": status, "publisherType": "EXTERNAL",
        "enrollmentStatus": "ACTIVE", "registryNamespace": "ocmpdemo", "legacyId": None,
        "yearFounded": 2020, "websiteUrl": "https://publisher.example",
        "contactEmail": "publisher@example.com", "contactPhone": "+1 555 0100",
        "hqAddress": "1 Example Way, Austin, TX", "email": "publisher@example.com",
        "businessPhoneNumber": "+1 555 0100", "employeeCount": 10, "country": "US",
        "city": "Austin", "state": "TX", "opnNumber": "1234567", "isFxEnabled": False,
        "freeformTags": {}, "definedTags": {}, "systemTags": {}}))


def put_product(store: Store, tenancy: str, product: Product) -> None:
    """A product and its categories."""
    store.put(tenancy, "product", touch({
        "code": product.code, "name": product.name, "productGroup": product.group,
        "additionalFilters": [], "lifecycleState": "ACTIVE"}), ident=product.code)
    for code, name in product.categories:
        store.put(tenancy, "category", touch({
            "code": code, "name": name, "productCode": product.code,
            "lifecycleState": "ACTIVE"}), ident=code)


def put_market(store: Store, tenancy: str, code: str, name: str, category: str,
               bill_to: list[str]) -> None:
    """A market (the countries it bills to)."""
    store.put(tenancy, "market", touch({
        "code": code, "name": name, "categoryCode": category, "realmCode": "OC1",
        "billToCountries": bill_to, "lifecycleState": "ACTIVE"}), ident=code)


def markets(scope: Scope, name: str | None) -> list[Doc]:
    """The markets (of one name when given)."""
    return scope.store.list(scope.tenancy, "market", where={"name": name})


def products(scope: Scope, name: str | None, group: str | None) -> list[Doc]:
    """The products (of one name and group when given)."""
    return scope.store.list(scope.tenancy, "product", where={"name": name, "productGroup": group})


def categories(scope: Scope, product: str | None, name: str | None) -> list[Doc]:
    """The categories (of one product and name when given)."""
    return scope.store.list(scope.tenancy, "category",
                            where={"productCode": product, "name": name})


def supported_shapes(scope: Scope, name: str | None) -> list[Doc]:
    """The shapes Marketplace images may declare (one when ``name`` is given)."""
    return [d for d in scope.store.list(scope.tenancy, "supportedShape")
            if name in (None, d["shape"])]


def currencies() -> list[Doc]:
    """The currencies prices are set in."""
    return [{"currencyCode": code, "exchangeRate": rate, "lifecycleState": "ACTIVE"}
            for code, rate in CURRENCIES]
