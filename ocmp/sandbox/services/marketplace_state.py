"""The consumer Marketplace catalogue (``/20181001``) as publication leaves it.

Consumer listings are shared by all tenancies (stored under the global tenancy) with a
visibility list: ``None`` = public, else the tenancies a private listing was shared with.
"""

from __future__ import annotations

from typing import Any

from ocmp.sandbox.core.store import GLOBAL, Doc, Store
from ocmp.sandbox.services.compute_catalog import ORACLE_TERMS_LINK, agreement_signature

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
