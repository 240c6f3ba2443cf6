"""Compute's operations: method, path, name, handler, what is partial (moto's ``urls.py``).
The docs table is generated from this list."""

from __future__ import annotations

from ocmp.sandbox.core.routing import RouteTable
from ocmp.sandbox.services.compute import responses as r
from ocmp.sandbox.services.compute.models import PREFIX

ROUTES = RouteTable("Compute", PREFIX, [
    ("GET", "/images", "ListImages", r.list_images,
     "Only the caller's seeded images; no Oracle platform images"),
    ("GET", "/images/<imageId>", "GetImage", r.get_image),
    ("GET", "/images/<imageId>/shapes", "ListImageShapeCompatibilityEntries",
     r.list_image_shapes),
    ("GET", "/images/<imageId>/shapes/<shapeName>", "GetImageShapeCompatibilityEntry",
     r.get_image_shape),
    ("GET", "/shapes", "ListShapes", r.list_shapes, "availabilityDomain is ignored"),
    ("GET", "/appCatalogListings", "ListAppCatalogListings", r.list_app_catalog_listings),
    ("GET", "/appCatalogListings/<listingId>", "GetAppCatalogListing",
     r.get_app_catalog_listing),
    ("GET", "/appCatalogListings/<listingId>/resourceVersions",
     "ListAppCatalogListingResourceVersions", r.list_resource_versions),
    ("GET", "/appCatalogListings/<listingId>/resourceVersions/<resourceVersion>",
     "GetAppCatalogListingResourceVersion", r.get_resource_version),
    ("GET", "/appCatalogListings/<listingId>/resourceVersions/<resourceVersion>/agreements",
     "GetAppCatalogListingAgreements", r.get_agreements),
    ("POST", "/appCatalogSubscriptions", "CreateAppCatalogSubscription", r.create_subscription),
    ("GET", "/appCatalogSubscriptions", "ListAppCatalogSubscriptions", r.list_subscriptions),
    ("DELETE", "/appCatalogSubscriptions", "DeleteAppCatalogSubscription",
     r.delete_subscription),
])
