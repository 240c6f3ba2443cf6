"""App Catalog state shared by Compute (read side), seeding and Publisher publication."""

from __future__ import annotations

import hashlib

from ocmp.sandbox.core.store import Store
from ocmp.sandbox.core.wire import now

MARKETPLACE_COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaoraclemarketplaceimages"
"""The compartment Marketplace images live in (outside every publisher's tenancy)."""
EULA_LINK = "https://objectstorage.us-ashburn-1.oraclecloud.com/eula/{listing}/{version}.txt"
ORACLE_TERMS_LINK = "https://cloudmarketplace.oracle.com/marketplace/content?contentId=50511634"


def agreement_signature(listing_id: str, version: str) -> str:
    """The signature App Catalog hands out with an agreement and checks on subscribe."""
    return hashlib.sha256(f"ocmp-sandbox|{listing_id}|{version}".encode()).hexdigest()


def put_catalog_version(store: Store, tenancy: str, *, listing_id: str, name: str, version: str,
                        image_id: str, publisher: str, regions: list[str] | None = None,
                        shapes: list[str] | None = None) -> None:
    """Create or replace an App Catalog listing and one of its resource versions."""
    stamp = now()
    store.put(tenancy, "appCatalogListing", {
        "listingId": listing_id, "displayName": name, "summary": f"{name} image",
        "description": f"{name}, published through the ocmp sandbox", "publisherName": publisher,
        "publisherLogoUrl": None, "contactUrl": None, "timePublished": stamp}, ident=listing_id)
    store.put(tenancy, "appCatalogVersion", {
        "listingId": listing_id, "listingResourceId": image_id, "listingResourceVersion": version,
        "timePublished": stamp, "availableRegions": regions or ["us-ashburn-1"],
        "compatibleShapes": shapes or [], "accessiblePorts": [22],
        "allowedActions": ["SNAPSHOT", "BOOT_VOLUME_DETACH", "PRESERVE_BOOT_VOLUME",
                           "SERIAL_CONSOLE_ACCESS", "BOOT_RECOVERY", "BACKUP_BOOT_VOLUME",
                           "CAPTURE_CONSOLE_HISTORY"]},
        ident=f"{listing_id}/{version}", parent=listing_id)
