"""Seed sections of Compute and its App Catalog: images, supported shapes, catalog entries."""

from __future__ import annotations

from typing import Any

from ocmp.sandbox.core.store import Store
from ocmp.sandbox.core.wire import touch
from ocmp.sandbox.seed.entries import strings
from ocmp.sandbox.services.compute.models import MARKETPLACE_COMPARTMENT, put_catalog_version


def _shape_entry(entry: str | dict[str, Any]) -> dict[str, Any]:
    return {"shape": entry} if isinstance(entry, str) else dict(entry)


def images(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    """``images: [{id, name?, state?, region?, shapes?, marketplace?, ...}]``."""
    for item in items:
        marketplace = bool(item.get("marketplace"))
        store.put(tid, "image", touch({
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


def supported_shapes(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    """``supported_shapes: [{shape, flexible?, ocpus?: [min, max], memory_gbs?: [min, max]}]``."""
    for item in items:
        flexible = bool(item.get("flexible"))
        ocpus = item.get("ocpus") or [1, 1]
        memory = item.get("memory_gbs") or [1, 16]
        store.put(tid, "supportedShape", {
            "shape": item["shape"], "isFlexible": flexible,
            "ocpuOptions": {"min": float(ocpus[0]), "max": float(ocpus[1])} if flexible else None,
            "memoryOptions": {"minInGBs": float(memory[0]), "maxInGBs": float(memory[1])}
            if flexible else None}, ident=item["shape"])


def app_catalog(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    """``app_catalog: [{listing_id, image_id, version?, name?, publisher?, regions?, shapes?}]``."""
    for item in items:
        put_catalog_version(store, tid, listing_id=item["listing_id"],
                            name=item.get("name", item["listing_id"]),
                            version=str(item.get("version", "1.0.0")),
                            image_id=item["image_id"],
                            publisher=item.get("publisher", "Oracle"),
                            regions=strings(item.get("regions")),
                            shapes=strings(item.get("shapes")))
