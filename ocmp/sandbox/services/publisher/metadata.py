"""Publisher accounts and Oracle's reference data: markets, products, categories, shapes."""

from __future__ import annotations

from ocmp.sandbox.core.errors import ApiError
from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.wire import (
    BY_TIME_OR_NAME,
    by_time_or,
    collection,
    get_or_404,
    public,
    resource,
    stable_id,
    touch,
)
from ocmp.sandbox.services.common import require_compartment, require_fields

_SUMMARY_DROP = ("publisherStatus", "notificationEmail", "enrollmentStatus", "opnMembership",
                 "privateOfferAccountDetails", "isFxEnabled")


def list_publishers(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    name = call.query("name")
    docs = [d for d in call.store.list(call.tenancy, "publisher")
            if name is None or d["displayName"] == name]
    return collection(call, docs, lambda d: {k: v for k, v in public(d).items()
                                             if k not in _SUMMARY_DROP}, sort=BY_TIME_OR_NAME)


def get_publisher(call: Call, publisherId: str) -> Reply:
    return resource(get_or_404(call, "publisher", publisherId))


def create_publisher(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "compartmentId", "email", "companyName", "contactEmail")
    require_compartment(call, body["compartmentId"])
    if call.store.list(call.tenancy, "publisher"):
        raise ApiError(409, "NotAuthorizedOrResourceAlreadyExists",
                       "This tenancy already has a publisher account")
    doc = touch({
        "id": stable_id("marketplacepublisher", call.tenancy), "compartmentId": call.tenancy,
        "displayName": body["companyName"], "description": body.get("companyDescription"),
        "publisherStatus": "NEW", "publisherType": "EXTERNAL", "enrollmentStatus": "PENDING",
        "email": body["email"], "contactEmail": body["contactEmail"],
        "businessPhoneNumber": body.get("businessPhoneNumber"),
        "contactPhone": body.get("contactPhoneNumber"), "websiteUrl": body.get("website"),
        "yearFounded": body.get("yearFounded"), "employeeCount": body.get("employeeCount"),
        "opnNumber": body.get("opnNumber"), "city": body.get("city"),
        "state": body.get("state"), "country": body.get("country"),
        "solutionDescription": body.get("solutionDescription"), "isFxEnabled": False,
        "freeformTags": body.get("freeformTags") or {}, "definedTags": {}, "systemTags": {}},
        created=True)
    call.store.put(call.tenancy, "publisher", doc)
    return resource(doc)


def list_markets(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    name = call.query("name")
    return collection(call, call.store.list(call.tenancy, "market", where={"name": name}),
                      sort=by_time_or("name"))


def get_market(call: Call, marketCode: str) -> Reply:
    return resource(get_or_404(call, "market", marketCode))


def list_products(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    name, group = call.query("name"), call.query("productGroup")
    return collection(call, call.store.list(call.tenancy, "product",
                                            where={"name": name, "productGroup": group}),
                      sort=by_time_or("name"))


def get_product(call: Call, productCode: str) -> Reply:
    return resource(get_or_404(call, "product", productCode))


def list_categories(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    product, name = call.query("productCode"), call.query("name")
    return collection(call, call.store.list(call.tenancy, "category",
                                            where={"productCode": product, "name": name}),
                      sort=by_time_or("name"))


def get_category(call: Call, categoryCode: str) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    return resource(get_or_404(call, "category", categoryCode))


def list_supported_shapes(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    name = call.query("name")
    docs = [d for d in call.store.list(call.tenancy, "supportedShape")
            if name in (None, d["shape"])]
    return collection(call, docs, sort=by_time_or("shape"))


def list_supported_currencies(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    items = [{"currencyCode": code, "exchangeRate": rate, "lifecycleState": "ACTIVE"}
             for code, rate in (("USD", 1.0), ("EUR", 0.92), ("GBP", 0.79))]
    return collection(call, items, lambda d: d, sort=by_time_or("currencyCode"))
