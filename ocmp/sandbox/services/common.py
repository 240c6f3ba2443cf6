"""Lookups several services share (compartments, regions)."""

from __future__ import annotations

from ocmp.sandbox.core.errors import invalid, missing, not_found
from ocmp.sandbox.core.routing import Call
from ocmp.sandbox.core.store import Doc

REGION_KEYS = {
    "us-ashburn-1": "IAD", "us-phoenix-1": "PHX", "eu-frankfurt-1": "FRA",
    "uk-london-1": "LHR", "ap-tokyo-1": "NRT", "ca-toronto-1": "YYZ",
    "eu-amsterdam-1": "AMS", "ap-sydney-1": "SYD", "sa-saopaulo-1": "GRU",
    "ap-mumbai-1": "BOM", "eu-zurich-1": "ZRH", "us-sanjose-1": "SJC",
}


def compartment_exists(call: Call, compartment_id: str) -> bool:
    """True for the caller's tenancy (root compartment) or one of its compartments."""
    if compartment_id == call.tenancy:
        return True
    doc = call.store.get(call.tenancy, "compartment", compartment_id)
    return doc is not None and doc.get("lifecycleState") == "ACTIVE"


def require_compartment(call: Call, compartment_id: object, *, where: str = "compartmentId"
                        ) -> str:
    """The compartment id if it is the caller's; 400/404 otherwise."""
    if not compartment_id:
        raise missing(where)
    if not isinstance(compartment_id, str):
        raise invalid(f"{where} must be a string")
    if not compartment_exists(call, compartment_id):
        raise not_found("compartment", compartment_id)
    return compartment_id


def require_fields(body: Doc, *names: str) -> None:
    """400 MissingParameter for the first absent/empty field."""
    for name in names:
        if body.get(name) in (None, ""):
            raise missing(name)
