"""One function per seed section, each writing that section's documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ocmp.sandbox import seed_publishing
from ocmp.sandbox.core.store import Store
from ocmp.sandbox.seed import _stable_id, _stamp
from ocmp.sandbox.services.common import REGION_KEYS

MARKETPLACE_COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaoraclemarketplaceimages"


def _region_subscriptions(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    for item in items:
        region = str(item["region"])
        store.put(tid, "regionSubscription", {
            "regionKey": REGION_KEYS.get(region, region.upper()), "regionName": region,
            "status": item.get("status", "READY"), "isHomeRegion": bool(item.get("is_home"))},
            ident=region)


def _compartments(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    for item in items:
        ident = item.get("id") or _stable_id("compartment", tid, item["name"])
        store.put(tid, "compartment", _stamp({
            "id": ident, "compartmentId": item.get("parent") or tid, "name": item["name"],
            "description": item.get("description", item["name"]), "lifecycleState": "ACTIVE",
            "isAccessible": True, "freeformTags": {}, "definedTags": {}}))


def _policies(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    for item in items:
        compartment = item.get("compartment", "root")
        compartment = tid if compartment in (None, "root") else compartment
        ident = item.get("id") or _stable_id("policy", tid, item["name"])
        store.put(tid, "policy", _stamp({
            "id": ident, "compartmentId": compartment, "name": item["name"],
            "statements": [str(s) for s in item["statements"]],
            "description": item.get("description", item["name"]), "lifecycleState": "ACTIVE",
            "versionDate": None, "inactiveStatus": None, "freeformTags": {},
            "definedTags": {}}))


def _publisher(store: Store, tid: str, item: dict[str, Any]) -> None:
    name = item.get("name", "Sandbox Publisher")
    store.put(tid, "publisher", _stamp({
        "id": item.get("id") or _stable_id("marketplacepublisher", tid),
        "compartmentId": tid, "displayName": name, "description": f"{name} (sandbox)",
        "publisherStatus": item.get("status", "APPROVED"), "publisherType": "EXTERNAL",
        "enrollmentStatus": "ACTIVE", "registryNamespace": "ocmpdemo", "legacyId": None,
        "yearFounded": 2020, "websiteUrl": "https://publisher.example",
        "contactEmail": "publisher@example.com", "contactPhone": "+1 555 0100",
        "hqAddress": "1 Example Way, Austin, TX", "email": "publisher@example.com",
        "businessPhoneNumber": "+1 555 0100", "employeeCount": 10, "country": "US",
        "city": "Austin", "state": "TX", "opnNumber": "1234567", "isFxEnabled": False,
        "freeformTags": {}, "definedTags": {}, "systemTags": {}}))


def _shape_entry(entry: str | dict[str, Any]) -> dict[str, Any]:
    return {"shape": entry} if isinstance(entry, str) else dict(entry)


def _images(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    for item in items:
        marketplace = bool(item.get("marketplace"))
        store.put(tid, "image", _stamp({
            "id": item["id"], "displayName": item.get("name", item["id"]),
            "compartmentId": MARKETPLACE_COMPARTMENT if marketplace
            else item.get("compartment", tid),
            "lifecycleState": item.get("state", "AVAILABLE"),
            "launchMode": item.get("launch_mode", "NATIVE"),
            "operatingSystem": item.get("operating_system", "Oracle Linux"),
            "operatingSystemVersion": str(item.get("operating_system_version", "8")),
            "createImageAllowed": True, "baseImageId": None, "listingType": "NONE",
            "sizeInMBs": int(item.get("size_mb", 47694)),
            "billableSizeInGBs": int(item.get("billable_gb", 2)),
            "launchOptions": {"bootVolumeType": "PARAVIRTUALIZED", "firmware": "UEFI_64",
                              "networkType": "PARAVIRTUALIZED",
                              "remoteDataVolumeType": "PARAVIRTUALIZED",
                              "isPvEncryptionInTransitEnabled": True,
                              "isConsistentVolumeNamingEnabled": True},
            "agentFeatures": None, "freeformTags": {}, "definedTags": {},
            "_region": item.get("region", "us-ashburn-1"), "_marketplace": marketplace,
            "_shapes": [_shape_entry(s) for s in item.get("shapes", [])]}))


def _supported_shapes(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    for item in items:
        flexible = bool(item.get("flexible"))
        ocpus = item.get("ocpus") or [1, 1]
        memory = item.get("memory_gbs") or [1, 16]
        store.put(tid, "supportedShape", {
            "shape": item["shape"], "isFlexible": flexible,
            "ocpuOptions": {"min": float(ocpus[0]), "max": float(ocpus[1])} if flexible else None,
            "memoryOptions": {"minInGBs": float(memory[0]), "maxInGBs": float(memory[1])}
            if flexible else None}, ident=item["shape"])


def _products(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    for item in items:
        store.put(tid, "product", _stamp({
            "code": item["code"], "name": item.get("name", item["code"]),
            "productGroup": item.get("group", item["code"].upper()), "additionalFilters": [],
            "lifecycleState": "ACTIVE"}), ident=item["code"])
        for category in item.get("categories", []):
            store.put(tid, "category", _stamp({
                "code": category["code"], "name": category.get("name", category["code"]),
                "productCode": item["code"], "lifecycleState": "ACTIVE"}),
                ident=category["code"])


def _markets(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    for item in items:
        store.put(tid, "market", _stamp({
            "code": item["code"], "name": item.get("name", item["code"]),
            "categoryCode": item.get("category", "COMMERCIAL"), "realmCode": "OC1",
            "billToCountries": list(item.get("bill_to", [])), "lifecycleState": "ACTIVE"}),
            ident=item["code"])


def _app_catalog(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    from ocmp.sandbox.services.compute_catalog import put_catalog_version

    for item in items:
        put_catalog_version(store, tid, listing_id=item["listing_id"],
                            name=item.get("name", item["listing_id"]),
                            version=str(item.get("version", "1.0.0")),
                            image_id=item["image_id"],
                            publisher=item.get("publisher", "Oracle"),
                            regions=_strings(item.get("regions")),
                            shapes=_strings(item.get("shapes")))


def _strings(value: Any) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {value!r}")
    return [str(v) for v in value]


def _leads(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    from ocmp.sandbox.services.publisher.insights import seed_leads

    seed_leads(store, tid, items)


def _customer_instances(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    from ocmp.sandbox.services.publisher.insights import seed_instances

    seed_instances(store, tid, items)


def _disbursements(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    from ocmp.sandbox.services.publisher.insights import seed_disbursements

    seed_disbursements(store, tid, items)


SECTIONS: dict[str, Callable[[Store, str, Any], None]] = {
    "region_subscriptions": _region_subscriptions,
    "compartments": _compartments,
    "policies": _policies,
    "publisher": _publisher,
    "images": _images,
    "supported_shapes": _supported_shapes,
    "products": _products,
    "markets": _markets,
    "app_catalog": _app_catalog,
    "terms": seed_publishing.terms,
    "listings": seed_publishing.listings,
    "stacks": seed_publishing.stacks,
    "leads": _leads,
    "customer_instances": _customer_instances,
    "disbursements": _disbursements,
}
