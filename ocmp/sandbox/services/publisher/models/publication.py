"""Publication, simulated: what Oracle does when an approved revision is published.

Completing PUBLISH / PUBLISH_AS_PRIVATE marks the revision and its packages published,
unpublishes the listing's previously published revision, replicates each image package's
image into a region-free Marketplace image with an App Catalog listing and resource version
(filling ``machineImageDetails``), and creates the consumer-side Marketplace listing
(``/20181001``) with its packages and agreements, visible to the publisher and, for a private
listing, to ``allowedTenancies`` (to everyone when public).
"""

from __future__ import annotations

import hashlib
from typing import Any

from ocmp.sandbox.core.store import GLOBAL, Doc, Store
from ocmp.sandbox.core.wire import now, stable_id, touch
from ocmp.sandbox.services.compute.models import MARKETPLACE_COMPARTMENT, put_catalog_version
from ocmp.sandbox.services.marketplace.models import put_consumer_listing
from ocmp.sandbox.services.publisher.models import work_requests
from ocmp.sandbox.services.publisher.models.insights import on_published
from ocmp.sandbox.services.publisher.models.scope import PREFIX, PUBLISHED, live


def consumer_listing_id(tenancy: str, listing_id: str) -> str:
    """Consumer Marketplace listing ids are numeric strings."""
    return str(int(hashlib.sha256(f"{tenancy}/{listing_id}".encode()).hexdigest()[:12], 16))


def begin_publication(store: Store, tenancy: str, revision: Doc, *, private: bool,
                      allowed: list[str] | None, polls: int = 2) -> Doc:
    """Start PUBLISH(_AS_PRIVATE)_LISTING_REVISION; the revision goes *_IN_PROGRESS."""
    operation = ("PUBLISH_LISTING_REVISION_AS_PRIVATE" if private
                 else "PUBLISH_LISTING_REVISION")
    wr = work_requests.start(
        store, tenancy, operation=operation, compartment_id=revision["compartmentId"],
        finish="publish_revision", args={"id": revision["id"], "private": private,
                                         "allowed": allowed},
        resources=[work_requests.wr_resource("listingRevision", "UPDATED", revision["id"],
                                            f"{PREFIX}/listingRevisions/{revision['id']}")],
        polls=polls)
    revision["status"] = ("PUBLISH_AS_PRIVATE_IN_PROGRESS" if private
                          else "PUBLISH_IN_PROGRESS")
    revision["_wr"] = wr["id"]
    store.put(tenancy, "revision", touch(revision))
    return wr


def _unpublish(store: Store, tenancy: str, revision: Doc) -> None:
    revision["status"] = "UNPUBLISHED"
    revision.pop("_wr", None)
    store.put(tenancy, "revision", touch(revision))
    for package in live(store, tenancy, "package", parent=revision["id"]):
        package["status"] = "UNPUBLISHED"
        store.put(tenancy, "package", touch(package))
    remove_consumer_listing(store, consumer_listing_id(tenancy, revision["listingId"]))


def remove_consumer_listing(store: Store, listing_id: str) -> None:
    """A withdrawn listing leaves the consumer Marketplace with all its packages."""
    for package in store.list(GLOBAL, "mpPackage", parent=listing_id):
        store.delete(GLOBAL, "mpPackage", f"{listing_id}/{package['version']}")
    store.delete(GLOBAL, "mpListing", listing_id)


def _image_package(store: Store, tenancy: str, listing: Doc, revision: Doc, package: Doc,
                   visible_to: list[str]) -> dict[str, Any]:
    artifact = store.get(tenancy, "artifact", package["artifactId"]) or {}
    source = store.get(tenancy, "image", (artifact.get("machineImage") or {}).get(
        "sourceImageId", "")) or {}
    image_id = stable_id("image", tenancy, package["id"])
    catalog_id = stable_id("appcataloglisting", tenancy, listing["id"])
    shapes = [e["shape"] for e in (artifact.get("machineImage") or {}).get(
        "imageShapeCompatibilityEntries", [])]
    image = {**{k: v for k, v in source.items() if not k.startswith("_")},
             "id": image_id, "compartmentId": MARKETPLACE_COMPARTMENT,
             "displayName": f"{revision.get('displayName') or listing['name']} "
                            f"{package['packageVersion']}", "listingType": "NONE",
             "lifecycleState": "AVAILABLE", "_region": "all", "_marketplace": True,
             "_shapes": source.get("_shapes", [{"shape": s} for s in shapes])}
    for target in visible_to:
        store.put(target, "image", touch(image, created=True))
        put_catalog_version(store, target, listing_id=catalog_id,
                            name=revision.get("displayName") or listing["name"],
                            version=package["packageVersion"], image_id=image_id,
                            publisher=_publisher_name(store, tenancy), shapes=shapes)
    return {"computeImageId": image_id, "computeAppCatalogId": catalog_id,
            "computePackageVersion": package["packageVersion"]}


def _publisher_name(store: Store, tenancy: str) -> str:
    publishers = store.list(tenancy, "publisher")
    return str(publishers[0]["displayName"]) if publishers else "Sandbox Publisher"


@work_requests.completer("publish_revision")
def _publish(store: Store, tenancy: str, wr: Doc) -> list[str]:
    args = wr["_args"]
    revision = store.get(tenancy, "revision", args["id"])
    if revision is None:
        return ["The listing revision no longer exists"]
    listing = store.get(tenancy, "listing", revision["listingId"]) or {}
    for other in live(store, tenancy, "revision", parent=revision["listingId"]):
        if other["id"] != revision["id"] and other["status"] in PUBLISHED:
            _unpublish(store, tenancy, other)
    private = bool(args["private"])
    status = "PUBLISHED_AS_PRIVATE" if private else "PUBLISHED"
    allowed = list(args.get("allowed") or [])
    visible_to = sorted({tenancy, *allowed})
    packages = []
    for package in live(store, tenancy, "package", parent=revision["id"]):
        package["status"] = status
        if package["packageType"] == "MACHINE_IMAGE":
            package["machineImageDetails"] = _image_package(store, tenancy, listing, revision,
                                                            package, visible_to)
        store.put(tenancy, "package", touch(package))
        packages.append(package)
    revision.update(status=status, allowedTenancies=allowed if private else None)
    revision.pop("_wr", None)
    store.put(tenancy, "revision", touch(revision))
    put_consumer_listing(store, tenancy, listing, revision, packages,
                         consumer_listing_id(tenancy, listing["id"]),
                         visible_to=None if not private else visible_to,
                         publisher=_publisher_name(store, tenancy), published=now())
    on_published(store, tenancy, listing, revision, packages)
    return []


@work_requests.completer("withdraw_revision")
def _withdraw(store: Store, tenancy: str, wr: Doc) -> list[str]:
    revision = store.get(tenancy, "revision", wr["_args"]["id"])
    if revision is None:
        return ["The listing revision no longer exists"]
    _unpublish(store, tenancy, revision)
    return []


@work_requests.completer("package_publish")
def _package_publish(store: Store, tenancy: str, wr: Doc) -> list[str]:
    package = store.get(tenancy, "package", wr["_args"]["id"])
    revision = store.get(tenancy, "revision", (package or {}).get("listingRevisionId", ""))
    if package is None or revision is None:
        return ["The package no longer exists"]
    package["status"] = revision["status"]
    package.pop("_wr", None)
    store.put(tenancy, "package", touch(package))
    return []


@work_requests.completer("package_unpublish")
def _package_unpublish(store: Store, tenancy: str, wr: Doc) -> list[str]:
    package = store.get(tenancy, "package", wr["_args"]["id"])
    if package is None:
        return ["The package no longer exists"]
    package["status"] = "UNPUBLISHED"
    package.pop("_wr", None)
    store.put(tenancy, "package", touch(package))
    # The consumer Marketplace no longer offers this version.
    revision = store.get(tenancy, "revision", str(package["listingRevisionId"])) or {}
    if revision.get("listingId"):
        listing_id = consumer_listing_id(tenancy, str(revision["listingId"]))
        store.delete(GLOBAL, "mpPackage", f"{listing_id}/{package['packageVersion']}")
    return []
