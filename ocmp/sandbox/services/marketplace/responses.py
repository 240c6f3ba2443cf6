"""The consumer Marketplace over HTTP: read each request into :class:`.models.Marketplace`'s
arguments, answer in the wire shape. Lists are bare JSON arrays."""

from __future__ import annotations

from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.wire import collection, public, resource, summary, tagged
from ocmp.sandbox.services.common import require_compartment, require_fields
from ocmp.sandbox.services.marketplace.models import Acceptance, ListingFilter, Marketplace

_SUMMARY = ("id", "name", "shortDescription", "isRoverExportable", "tagline", "icon",
            "packageType", "pricingTypes", "compatibleArchitectures", "regions", "isFeatured",
            "categories", "publisher", "supportedOperatingSystems", "listingType")
_AGREEMENT_SUMMARY = ("id", "contentUrl", "author", "prompt")


def _backend(call: Call) -> Marketplace:
    return Marketplace(call.store, call.tenancy)


def list_listings(call: Call) -> Reply:
    wanted = ListingFilter(names=call.query_list("name"),
                           listing_types=call.query_list("listingTypes"),
                           listing_id=call.query("listingId"),
                           package_type=call.query("packageType"),
                           publisher_id=call.query("publisherId"),
                           categories=call.query_list("category"),
                           pricing=call.query_list("pricing"))
    return collection(call, _backend(call).listings(wanted), summary(_SUMMARY), wrap=False)


def get_listing(call: Call, listingId: str) -> Reply:
    return tagged(public(_backend(call).listing(listingId)))


def list_packages(call: Call, listingId: str) -> Reply:
    docs = _backend(call).packages(listingId, call.query("packageVersion"),
                                   call.query("packageType"))
    return collection(call, docs, lambda d: {
        "listingId": d["listingId"], "packageVersion": d["version"],
        "packageType": d["packageType"], "pricing": d["pricing"], "regions": d["regions"],
        "resourceId": d["resourceId"], "timeCreated": d["timeCreated"]}, wrap=False)


def get_package(call: Call, listingId: str, packageVersion: str) -> Reply:
    return tagged(public(_backend(call).package(listingId, packageVersion)))


def list_agreements(call: Call, listingId: str, packageVersion: str) -> Reply:
    package = _backend(call).package(listingId, packageVersion)
    return collection(call, package["_agreements"],
                      lambda a: {k: a[k] for k in _AGREEMENT_SUMMARY}, wrap=False)


def get_agreement(call: Call, listingId: str, packageVersion: str, agreementId: str) -> Reply:
    agreement = _backend(call).agreement(listingId, packageVersion, agreementId)
    agreement["compartmentId"] = call.query("compartmentId")
    return Reply(200, agreement)


def create_accepted_agreement(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "compartmentId", "listingId", "packageVersion", "agreementId",
                   "signature")
    compartment = require_compartment(call, body["compartmentId"])
    return resource(_backend(call).accept(Acceptance(
        compartment, body["listingId"], body["packageVersion"], body["agreementId"],
        body["signature"], body.get("displayName"), body.get("freeformTags") or {},
        body.get("definedTags") or {})))


def list_accepted_agreements(call: Call) -> Reply:
    compartment = require_compartment(call, call.query("compartmentId"))
    docs = _backend(call).accepted(compartment, listing_id=call.query("listingId"),
                                   version=call.query("packageVersion"),
                                   ident=call.query("acceptedAgreementId"))
    return collection(call, docs, lambda d: {k: v for k, v in public(d).items()
                                             if not k.endswith("Tags")}, wrap=False)


def get_accepted_agreement(call: Call, acceptedAgreementId: str) -> Reply:
    return resource(_backend(call).accepted_agreement(acceptedAgreementId))


def delete_accepted_agreement(call: Call, acceptedAgreementId: str) -> Reply:
    _backend(call).forget(acceptedAgreementId)
    return Reply(204)
