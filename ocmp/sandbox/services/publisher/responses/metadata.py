"""The publisher account and Oracle's reference data over HTTP."""

from __future__ import annotations

from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.wire import BY_TIME_OR_NAME, by_time_or, collection, public, resource
from ocmp.sandbox.services.common import require_compartment, require_fields
from ocmp.sandbox.services.publisher.models import metadata
from ocmp.sandbox.services.publisher.responses.common import scope

# PublisherSummary (the SDK model) has none of these: GET the publisher for them.
_SUMMARY_DROP = ("publisherStatus", "notificationEmail", "enrollmentStatus", "opnMembership",
                 "privateOfferAccountDetails", "isFxEnabled")


def list_publishers(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    docs = metadata.publishers(scope(call), call.query("name"))
    return collection(call, docs, lambda d: {k: v for k, v in public(d).items()
                                             if k not in _SUMMARY_DROP}, sort=BY_TIME_OR_NAME)


def get_publisher(call: Call, publisherId: str) -> Reply:
    return resource(metadata.get(scope(call), "publisher", publisherId))


def create_publisher(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "compartmentId", "email", "companyName", "contactEmail")
    require_compartment(call, body["compartmentId"])
    new = metadata.NewPublisher(
        email=body["email"], company_name=body["companyName"],
        contact_email=body["contactEmail"], description=body.get("companyDescription"),
        business_phone=body.get("businessPhoneNumber"),
        contact_phone=body.get("contactPhoneNumber"), website=body.get("website"),
        year_founded=body.get("yearFounded"), employee_count=body.get("employeeCount"),
        opn_number=body.get("opnNumber"), city=body.get("city"), state=body.get("state"),
        country=body.get("country"), solution_description=body.get("solutionDescription"),
        freeform_tags=body.get("freeformTags"))
    return resource(metadata.create_publisher(scope(call), new))


def list_markets(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    return collection(call, metadata.markets(scope(call), call.query("name")),
                      sort=by_time_or("name"))


def get_market(call: Call, marketCode: str) -> Reply:
    return resource(metadata.get(scope(call), "market", marketCode))


def list_products(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    docs = metadata.products(scope(call), call.query("name"), call.query("productGroup"))
    return collection(call, docs, sort=by_time_or("name"))


def get_product(call: Call, productCode: str) -> Reply:
    return resource(metadata.get(scope(call), "product", productCode))


def list_categories(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    docs = metadata.categories(scope(call), call.query("productCode"), call.query("name"))
    return collection(call, docs, sort=by_time_or("name"))


def get_category(call: Call, categoryCode: str) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    return resource(metadata.get(scope(call), "category", categoryCode))


def list_supported_shapes(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    return collection(call, metadata.supported_shapes(scope(call), call.query("name")),
                      sort=by_time_or("shape"))


def list_supported_currencies(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    return collection(call, metadata.currencies(), lambda d: d,
                      sort=by_time_or("currencyCode"))
