"""Compute's state and behaviour: images with their shape compatibility, the shapes a
tenancy can launch, and the App Catalog (listings, resource versions, agreements,
subscriptions). No HTTP here (that is :mod:`.responses`).

Images are not created through this API: they come from the seed and from publication,
which replicates a published image into the App Catalog with :func:`put_catalog_version`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from ocmp.sandbox.core.errors import invalid, not_found
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import now

PREFIX = "/20160918"
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


@dataclass(frozen=True)
class ImageFilter:
    """ListImages' filters (``None``: not given)."""

    compartment: str
    display_name: str | None = None
    operating_system: str | None = None
    operating_system_version: str | None = None
    lifecycle_state: str | None = None
    shape: str | None = None

    def keeps(self, doc: Doc) -> bool:
        """Whether an image passes every given filter."""
        fields = {"displayName": self.display_name, "operatingSystem": self.operating_system,
                  "operatingSystemVersion": self.operating_system_version,
                  "lifecycleState": self.lifecycle_state}
        return (doc["compartmentId"] == self.compartment
                and all(v is None or doc.get(k) == v for k, v in fields.items())
                and (self.shape is None or any(s["shape"] == self.shape
                                               for s in doc["_shapes"])))


@dataclass(frozen=True)
class Subscription:
    """A CreateAppCatalogSubscription: the agreement the caller accepted."""

    compartment: str
    listing_id: str
    version: str
    signature: str

    @property
    def key(self) -> str:
        """One subscription per compartment, listing and version."""
        return f"{self.compartment}/{self.listing_id}/{self.version}"


class Compute:
    """Compute as one tenancy sees it (moto's per-service backend).

    Args:
        store: The sandbox's documents.
        tenancy: The caller's tenancy.
    """

    def __init__(self, store: Store, tenancy: str) -> None:
        self.store = store
        self.tenancy = tenancy

    # -- images and shapes ----------------------------------------------------------------
    def image(self, image_id: str) -> Doc:
        """A live image of the caller's."""
        doc = self.store.get(self.tenancy, "image", image_id)
        if doc is None or doc.get("lifecycleState") == "DELETED":
            raise not_found("image", image_id)
        return doc

    def images(self, wanted: ImageFilter) -> list[Doc]:
        """The caller's images that pass ``wanted``."""
        return [d for d in self.store.list(self.tenancy, "image") if wanted.keeps(d)]

    def shape_entries(self, image: Doc) -> list[dict[str, Any]]:
        """The image's shape compatibility entries, flex constraints from the supported
        shapes when the image does not narrow them."""
        out = []
        for entry in image["_shapes"]:
            shape = self.store.get(self.tenancy, "supportedShape", entry["shape"]) or {}
            ocpus = entry.get("ocpus") or (
                [shape["ocpuOptions"]["min"], shape["ocpuOptions"]["max"]]
                if shape.get("ocpuOptions") else None)
            memory = entry.get("memory_gbs") or (
                [shape["memoryOptions"]["minInGBs"], shape["memoryOptions"]["maxInGBs"]]
                if shape.get("memoryOptions") else None)
            out.append({
                "imageId": image["id"], "shape": entry["shape"],
                "ocpuConstraints": {"min": int(ocpus[0]), "max": int(ocpus[1])}
                if ocpus else None,
                "memoryConstraints": {"minInGBs": int(memory[0]), "maxInGBs": int(memory[1])}
                if memory else None})
        return out

    def shape_entry(self, image_id: str, shape: str) -> dict[str, Any]:
        """One shape compatibility entry of an image."""
        for entry in self.shape_entries(self.image(image_id)):
            if entry["shape"] == shape:
                return entry
        raise not_found("image shape", shape)

    def shapes(self, image_id: str | None) -> list[dict[str, Any]]:
        """The shapes the tenancy can launch (those of one image when given)."""
        allowed = (None if image_id is None
                   else {s["shape"] for s in self.image(image_id)["_shapes"]})
        shapes = []
        for doc in self.store.list(self.tenancy, "supportedShape"):
            if allowed is not None and doc["shape"] not in allowed:
                continue
            flexible = bool(doc["isFlexible"])
            shapes.append({
                "shape": doc["shape"], "isFlexible": flexible,
                "processorDescription": "sandbox processor",
                "ocpus": None if flexible else 1.0, "memoryInGBs": None if flexible else 15.0,
                "ocpuOptions": doc["ocpuOptions"],
                "memoryOptions": None if not flexible else {**doc["memoryOptions"],
                                                            "defaultPerOcpuInGBs": 16.0}})
        return shapes

    # -- App Catalog ----------------------------------------------------------------------
    def catalog_listings(self, name: str | None, publisher: str | None) -> list[Doc]:
        """App Catalog listings by display name and publisher name."""
        return [d for d in self.store.list(self.tenancy, "appCatalogListing")
                if (name is None or d["displayName"] == name)
                and (publisher is None or d["publisherName"] == publisher)]

    def catalog_listing(self, listing_id: str) -> Doc:
        """One App Catalog listing."""
        doc = self.store.get(self.tenancy, "appCatalogListing", listing_id)
        if doc is None:
            raise not_found("app catalog listing", listing_id)
        return doc

    def catalog_versions(self, listing_id: str) -> list[Doc]:
        """A listing's resource versions, oldest first."""
        self.catalog_listing(listing_id)
        return self.store.list(self.tenancy, "appCatalogVersion", parent=listing_id)

    def catalog_version(self, listing_id: str, version: str) -> Doc:
        """One resource version of a listing."""
        self.catalog_listing(listing_id)
        doc = self.store.get(self.tenancy, "appCatalogVersion", f"{listing_id}/{version}")
        if doc is None:
            raise not_found("resource version", version)
        return doc

    def agreements(self, listing_id: str, version: str) -> Doc:
        """The terms to accept before subscribing, with the signature that proves it."""
        self.catalog_version(listing_id, version)
        return {"listingId": listing_id, "listingResourceVersion": version,
                "oracleTermsOfUseLink": ORACLE_TERMS_LINK,
                "eulaLink": EULA_LINK.format(listing=listing_id, version=version),
                "timeRetrieved": now(), "signature": agreement_signature(listing_id, version)}

    def subscribe(self, wanted: Subscription) -> Doc:
        """Subscribe a compartment to a resource version (400 on a wrong signature)."""
        version = self.catalog_version(wanted.listing_id, wanted.version)
        if wanted.signature != agreement_signature(wanted.listing_id, wanted.version):
            raise invalid("The agreement signature is not valid")
        listing = self.catalog_listing(wanted.listing_id)
        doc = {"publisherName": listing["publisherName"], "listingId": wanted.listing_id,
               "listingResourceVersion": wanted.version,
               "listingResourceId": version["listingResourceId"],
               "displayName": listing["displayName"], "summary": listing["summary"],
               "compartmentId": wanted.compartment, "timeCreated": now()}
        self.store.put(self.tenancy, "appCatalogSubscription", doc, ident=wanted.key)
        return doc

    def subscriptions(self, compartment: str, listing_id: str | None) -> list[Doc]:
        """A compartment's subscriptions (to one listing when given)."""
        return [d for d in self.store.list(self.tenancy, "appCatalogSubscription")
                if d["compartmentId"] == compartment
                and (listing_id is None or d["listingId"] == listing_id)]

    def unsubscribe(self, compartment: str, listing_id: str, version: str) -> None:
        """Drop one subscription (404 when there is none)."""
        key = f"{compartment}/{listing_id}/{version}"
        if self.store.get(self.tenancy, "appCatalogSubscription", key) is None:
            raise not_found("app catalog subscription", key)
        self.store.delete(self.tenancy, "appCatalogSubscription", key)
