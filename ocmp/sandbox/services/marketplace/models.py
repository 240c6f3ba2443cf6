"""The consumer Marketplace's state and behaviour (``/20181001``): the catalogue as
publication leaves it, and the agreements a tenancy accepted. No HTTP here (that is
:mod:`.responses`).

Consumer listings are shared by all tenancies (stored under the global tenancy) with a
visibility list: ``None`` = public, else the tenancies a private listing was shared with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ocmp.sandbox.core.errors import invalid, not_found
from ocmp.sandbox.core.store import GLOBAL, Doc, Store
from ocmp.sandbox.core.wire import new_etag, new_id, now
from ocmp.sandbox.services.compute.models import ORACLE_TERMS_LINK, agreement_signature

PREFIX = "/20181001"
PACKAGE_TYPES = {"MACHINE_IMAGE": "IMAGE", "STACK": "ORCHESTRATION"}
PRICING = {"FREE": "FREE", "BYOL": "BYOL", "PAYGO": "PAYGO"}


def visible(doc: Doc, tenancy: str) -> bool:
    """Whether a consumer listing is visible to a tenancy."""
    allowed = doc.get("_visibleTo")
    return allowed is None or tenancy in allowed


def put_consumer_listing(store: Store, tenancy: str, listing: Doc, revision: Doc,
                         packages: list[Doc], listing_id: str, *, visible_to: list[str] | None,
                         publisher: str, published: str) -> None:
    """Create or replace the consumer listing for a published revision."""
    default = next((p for p in packages if p.get("isDefault")), packages[0] if packages else None)
    categories = [str(c) for p in revision.get("products") or [] for c in p.get("categories") or []]
    pricing = PRICING.get(str(revision.get("pricingType")), "FREE")
    regions = [{"name": "US East (Ashburn)", "code": "us-ashburn-1",
                "countries": [{"name": "United States", "code": "US"}]}]
    doc: dict[str, Any] = {
        "id": listing_id, "name": revision.get("displayName") or listing.get("name"),
        "version": default["packageVersion"] if default else None,
        "tagline": revision.get("tagline"), "keywords": revision.get("keywords"),
        "shortDescription": revision.get("shortDescription"),
        "usageInformation": revision.get("usageInformation"),
        "longDescription": revision.get("longDescription"),
        "licenseModelDescription": None,
        "systemRequirements": revision.get("systemRequirements"),
        "timeReleased": published, "releaseNotes": None, "categories": categories,
        "publisher": {"id": f"publisher-{tenancy[-12:]}", "name": publisher,
                      "description": None},
        "languages": [{"name": "English", "code": "en"}], "screenshots": [], "videos": [],
        "supportContacts": revision.get("supportContacts") or [],
        "supportLinks": revision.get("supportLinks") or [], "documentationLinks": [],
        "icon": revision.get("icon"), "banner": revision.get("banner"),
        "compatibleArchitectures": ["X86"], "regions": regions,
        "packageType": PACKAGE_TYPES.get(str(listing.get("packageType")), "IMAGE"),
        "defaultPackageVersion": default["packageVersion"] if default else None,
        "links": [], "isFeatured": False,
        "listingType": "PARTNER" if visible_to is None else "PRIVATE",
        "supportedOperatingSystems": [], "pricingTypes": [pricing], "isRoverExportable": False,
        "_owner": tenancy, "_visibleTo": visible_to, "_publisherListingId": listing.get("id")}
    store.put(GLOBAL, "mpListing", doc)
    for old in store.list(GLOBAL, "mpPackage", parent=listing_id):
        store.delete(GLOBAL, "mpPackage", f"{listing_id}/{old['version']}")
    for package in packages:
        store.put(GLOBAL, "mpPackage", _consumer_package(store, tenancy, listing_id, package,
                                                          pricing, regions, published),
                  ident=f"{listing_id}/{package['packageVersion']}", parent=listing_id)


def _consumer_package(store: Store, tenancy: str, listing_id: str, package: Doc, pricing: str,
                      regions: list[Any], published: str) -> Doc:
    version = str(package["packageVersion"])
    doc: Doc = {"description": package.get("description"), "listingId": listing_id,
                "version": version,
                "packageType": PACKAGE_TYPES.get(str(package["packageType"]), "IMAGE"),
                "pricing": {"type": pricing, "payGoStrategy": None, "currency": None,
                            "rate": None, "internationalMarketPrice": None},
                "resourceId": None, "timeCreated": published,
                "operatingSystem": {"name": "Oracle Linux"}, "regions": regions,
                "_agreements": [
                    {"id": "oracle-terms", "contentUrl": ORACLE_TERMS_LINK, "author": "ORACLE",
                     "prompt": "I have reviewed and accept the Oracle Terms of Use."},
                    {"id": f"partner-{package['termId'][-12:]}", "author": "PARTNER",
                     "contentUrl": f"/20241201/terms/{package['termId']}",
                     "prompt": "I have reviewed and accept the publisher's terms."}]}
    details = package.get("machineImageDetails")
    if details:
        doc.update(resourceId=details["computeImageId"], imageId=details["computeImageId"],
                   appCatalogListingId=details["computeAppCatalogId"],
                   appCatalogListingResourceVersion=details["computePackageVersion"])
    else:
        artifact = store.get(tenancy, "artifact", package["artifactId"]) or {}
        stack_id = (artifact.get("stack") or {}).get("sourceStackId")
        doc.update(resourceId=stack_id, variables=[],
                   resourceLink=f"/20180917/stacks/{stack_id}/tfConfig")
    for agreement in doc["_agreements"]:
        agreement["signature"] = agreement_signature(f"{listing_id}/{agreement['id']}", version)
    return doc


@dataclass(frozen=True)
class ListingFilter:
    """ListListings' filters (empty or ``None``: not given)."""

    names: list[str] = field(default_factory=list)
    listing_types: list[str] = field(default_factory=list)
    listing_id: str | None = None
    package_type: str | None = None
    publisher_id: str | None = None
    categories: list[str] = field(default_factory=list)
    pricing: list[str] = field(default_factory=list)

    def keeps(self, doc: Doc) -> bool:
        """Whether a consumer listing passes every given filter."""
        return ((not self.names or doc["name"] in self.names)
                and (not self.listing_types or doc["listingType"] in self.listing_types)
                and self.listing_id in (None, doc["id"])
                and self.package_type in (None, doc["packageType"])
                and self.publisher_id in (None, doc["publisher"]["id"])
                and (not self.categories or bool(set(self.categories) & set(doc["categories"])))
                and (not self.pricing or bool(set(self.pricing) & set(doc["pricingTypes"]))))


@dataclass(frozen=True)
class Acceptance:
    """A CreateAcceptedAgreement: the agreement, its signature, where it is recorded."""

    compartment: str
    listing_id: str
    package_version: str
    agreement_id: str
    signature: str
    display_name: str | None = None
    freeform_tags: dict[str, Any] = field(default_factory=dict)
    defined_tags: dict[str, Any] = field(default_factory=dict)


class Marketplace:
    """The consumer Marketplace as one tenancy sees it (moto's per-service backend).

    Args:
        store: The sandbox's documents.
        tenancy: The caller's tenancy (what it may see, where its acceptances go).
    """

    def __init__(self, store: Store, tenancy: str) -> None:
        self.store = store
        self.tenancy = tenancy

    def listings(self, wanted: ListingFilter) -> list[Doc]:
        """Visible listings that pass ``wanted``."""
        return [d for d in self.store.list(GLOBAL, "mpListing")
                if visible(d, self.tenancy) and wanted.keeps(d)]

    def listing(self, listing_id: str) -> Doc:
        """One visible listing."""
        doc = self.store.get(GLOBAL, "mpListing", listing_id)
        if doc is None or not visible(doc, self.tenancy):
            raise not_found("listing", listing_id)
        return doc

    def packages(self, listing_id: str, version: str | None, kind: str | None) -> list[Doc]:
        """A visible listing's packages, by version and type when given."""
        self.listing(listing_id)
        return [d for d in self.store.list(GLOBAL, "mpPackage", parent=listing_id)
                if version in (None, d["version"]) and kind in (None, d["packageType"])]

    def package(self, listing_id: str, version: str) -> Doc:
        """One package of a visible listing."""
        self.listing(listing_id)
        doc = self.store.get(GLOBAL, "mpPackage", f"{listing_id}/{version}")
        if doc is None:
            raise not_found("package", version)
        return doc

    def agreement(self, listing_id: str, version: str, agreement_id: str) -> Doc:
        """One agreement of a package (a copy the caller may change)."""
        for agreement in self.package(listing_id, version)["_agreements"]:
            if agreement["id"] == agreement_id:
                return dict(agreement)
        raise not_found("agreement", agreement_id)

    def accept(self, wanted: Acceptance) -> Doc:
        """Record an accepted agreement (400 when the signature is not the agreement's)."""
        agreement = self.agreement(wanted.listing_id, wanted.package_version,
                                   wanted.agreement_id)
        if wanted.signature != agreement["signature"]:
            raise invalid("The agreement signature does not match")
        doc = {"id": new_id("marketplaceacceptedagreement"),
               "displayName": wanted.display_name
               or f"{wanted.listing_id}-{wanted.agreement_id}",
               "compartmentId": wanted.compartment, "listingId": wanted.listing_id,
               "packageVersion": wanted.package_version, "agreementId": wanted.agreement_id,
               "timeAccepted": now(), "freeformTags": wanted.freeform_tags,
               "definedTags": wanted.defined_tags, "_etag": new_etag()}
        self.store.put(self.tenancy, "acceptedAgreement", doc)
        return doc

    def accepted(self, compartment: str, *, listing_id: str | None, version: str | None,
                 ident: str | None) -> list[Doc]:
        """A compartment's accepted agreements, by the given filters."""
        return [d for d in self.store.list(self.tenancy, "acceptedAgreement")
                if d["compartmentId"] == compartment and listing_id in (None, d["listingId"])
                and version in (None, d["packageVersion"]) and ident in (None, d["id"])]

    def accepted_agreement(self, ident: str) -> Doc:
        """One accepted agreement of the caller's."""
        doc = self.store.get(self.tenancy, "acceptedAgreement", ident)
        if doc is None:
            raise not_found("accepted agreement", ident)
        return doc

    def forget(self, ident: str) -> None:
        """Delete an accepted agreement (404 when there is none)."""
        self.accepted_agreement(ident)
        self.store.delete(self.tenancy, "acceptedAgreement", ident)
