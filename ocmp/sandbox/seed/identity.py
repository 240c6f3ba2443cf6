"""Seed sections of Identity: the tenancy, region subscriptions, compartments, policies."""

from __future__ import annotations

from typing import Any

from ocmp.sandbox.core.store import Store
from ocmp.sandbox.core.wire import stable_id, touch
from ocmp.sandbox.services.common import REGION_KEYS


def tenancy(store: Store, tid: str, item: dict[str, Any], home: str) -> None:
    """The tenancy document itself (``tenancy: {id?, name?, description?, home_region?}``)."""
    store.put(tid, "tenancy", {
        "id": tid, "name": item.get("name", "sandbox"),
        "description": item.get("description", "ocmp sandbox tenancy"),
        "homeRegionKey": REGION_KEYS.get(home, home.upper()),
        "upiIdcsCompatibilityLayerEndpoint": None, "freeformTags": {}, "definedTags": {},
        "_homeRegion": home})


def region_subscriptions(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    """``region_subscriptions: [{region, status?, is_home?}]``."""
    for item in items:
        region = str(item["region"])
        store.put(tid, "regionSubscription", {
            "regionKey": REGION_KEYS.get(region, region.upper()), "regionName": region,
            "status": item.get("status", "READY"), "isHomeRegion": bool(item.get("is_home"))},
            ident=region)


def compartments(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    """``compartments: [{name, id?, parent?, description?}]``."""
    for item in items:
        ident = item.get("id") or stable_id("compartment", tid, item["name"])
        store.put(tid, "compartment", touch({
            "id": ident, "compartmentId": item.get("parent") or tid, "name": item["name"],
            "description": item.get("description", item["name"]), "lifecycleState": "ACTIVE",
            "isAccessible": True, "freeformTags": {}, "definedTags": {}}))


def policies(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    """``policies: [{name, statements, compartment?: root|OCID, id?, description?}]``."""
    for item in items:
        compartment = item.get("compartment", "root")
        compartment = tid if compartment in (None, "root") else compartment
        ident = item.get("id") or stable_id("policy", tid, item["name"])
        store.put(tid, "policy", touch({
            "id": ident, "compartmentId": compartment, "name": item["name"],
            "statements": [str(s) for s in item["statements"]],
            "description": item.get("description", item["name"]), "lifecycleState": "ACTIVE",
            "versionDate": None, "inactiveStatus": None, "freeformTags": {},
            "definedTags": {}}))
