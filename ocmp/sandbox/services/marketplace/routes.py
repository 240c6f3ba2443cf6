"""The consumer Marketplace's operations: method, path, name, handler, what is partial
(moto's ``urls.py``). The docs table is generated from this list."""

from __future__ import annotations

from ocmp.sandbox.core.routing import RouteTable
from ocmp.sandbox.services.marketplace import responses as r
from ocmp.sandbox.services.marketplace.models import PREFIX

_AGREEMENTS = "/listings/<listingId>/packages/<packageVersion>/agreements"

ROUTES = RouteTable("Marketplace", PREFIX, [
    ("GET", "/listings", "ListListings", r.list_listings,
     "Filters: name, listingId, publisherId, packageType, listingTypes, category, pricing; "
     "others are ignored"),
    ("GET", "/listings/<listingId>", "GetListing", r.get_listing),
    ("GET", "/listings/<listingId>/packages", "ListPackages", r.list_packages),
    ("GET", "/listings/<listingId>/packages/<packageVersion>", "GetPackage", r.get_package),
    ("GET", _AGREEMENTS, "ListAgreements", r.list_agreements),
    ("GET", _AGREEMENTS + "/<agreementId>", "GetAgreement", r.get_agreement),
    ("POST", "/acceptedAgreements", "CreateAcceptedAgreement", r.create_accepted_agreement),
    ("GET", "/acceptedAgreements", "ListAcceptedAgreements", r.list_accepted_agreements),
    ("GET", "/acceptedAgreements/<acceptedAgreementId>", "GetAcceptedAgreement",
     r.get_accepted_agreement),
    ("DELETE", "/acceptedAgreements/<acceptedAgreementId>", "DeleteAcceptedAgreement",
     r.delete_accepted_agreement),
])
