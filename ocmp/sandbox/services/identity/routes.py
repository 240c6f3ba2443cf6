"""Identity's operations: method, path, name, handler, what is partial (moto's ``urls.py``).
The docs table is generated from this list."""

from __future__ import annotations

from ocmp.sandbox.core.routing import RouteTable
from ocmp.sandbox.services.identity import responses as r
from ocmp.sandbox.services.identity.models import PREFIX

ROUTES = RouteTable("Identity", PREFIX, [
    ("GET", "/tenancies/<tenancyId>", "GetTenancy", r.get_tenancy),
    ("GET", "/tenancies/<tenancyId>/regionSubscriptions", "ListRegionSubscriptions",
     r.list_region_subscriptions),
    ("GET", "/regions", "ListRegions", r.list_regions),
    ("GET", "/compartments", "ListCompartments", r.list_compartments,
     "accessLevel is accepted and ignored: every compartment is accessible"),
    ("GET", "/compartments/<compartmentId>", "GetCompartment", r.get_compartment),
    ("POST", "/compartments", "CreateCompartment", r.create_compartment),
    ("GET", "/policies", "ListPolicies", r.list_policies),
    ("GET", "/policies/<policyId>", "GetPolicy", r.get_policy),
    ("POST", "/policies", "CreatePolicy", r.create_policy),
    ("PUT", "/policies/<policyId>", "UpdatePolicy", r.update_policy),
    ("DELETE", "/policies/<policyId>", "DeletePolicy", r.delete_policy),
])
