"""Listing revision packages over HTTP."""

from __future__ import annotations

from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.store import Doc
from ocmp.sandbox.core.wire import by_time_or, check_if_match, collection, listed, resource, summary
from ocmp.sandbox.services.common import require_fields
from ocmp.sandbox.services.publisher.models import packages
from ocmp.sandbox.services.publisher.models.scope import TAGS, Scope
from ocmp.sandbox.services.publisher.responses.common import accepted, scope, tags

_SUMMARY = ("id", "listingRevisionId", "compartmentId", "displayName", "packageVersion",
            "packageType", "areSecurityUpgradesProvided", "isDefault", "lifecycleState",
            "status", "timeCreated", "timeUpdated", *TAGS, "systemTags")


def _changing(call: Call, model: Scope, ident: str) -> Doc:
    doc = packages.get(model, ident)
    check_if_match(call, doc)
    return doc


def create_package(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "listingRevisionId", "packageVersion", "artifactId", "termId")
    new = packages.NewPackage(
        listing_revision_id=body["listingRevisionId"], package_version=body["packageVersion"],
        artifact_id=body["artifactId"], term_id=body["termId"],
        security_upgrades=body.get("areSecurityUpgradesProvided"),
        display_name=body.get("displayName"), description=body.get("description"),
        is_default=bool(body.get("isDefault")), tags=tags(body))
    return resource(packages.create(scope(call), new))


def list_packages(call: Call) -> Reply:
    revision_id = call.query("listingRevisionId", required=True)
    docs = listed(call, "package", parent=revision_id, displayName=call.query("displayName"))
    return collection(call, docs, summary(_SUMMARY), sort=by_time_or("packageVersion"))


def get_package(call: Call, listingRevisionPackageId: str) -> Reply:
    return resource(packages.get(scope(call), listingRevisionPackageId))


def _editable(call: Call, model: Scope, ident: str) -> Doc:
    return packages.editable(model, _changing(call, model, ident))


def update_package(call: Call, listingRevisionPackageId: str) -> Reply:
    model = scope(call)
    doc = _editable(call, model, listingRevisionPackageId)
    body = call.json()
    changes = packages.PackageChanges(
        artifact_id=body.get("artifactId"), term_id=body.get("termId"),
        package_version=body.get("packageVersion"), display_name=body.get("displayName"),
        description=body.get("description"), is_default=body.get("isDefault"),
        security_upgrades=body.get("areSecurityUpgradesProvided"), tags=tags(body))
    return resource(packages.update(model, doc, changes))


def delete_package(call: Call, listingRevisionPackageId: str) -> Reply:
    model = scope(call)
    packages.delete(model, _editable(call, model, listingRevisionPackageId))
    return Reply(204)


def mark_as_default(call: Call, listingRevisionPackageId: str) -> Reply:
    model = scope(call)
    return accepted(packages.mark_as_default(model,
                                             _changing(call, model, listingRevisionPackageId)))


def publish_package(call: Call, listingRevisionPackageId: str) -> Reply:
    model = scope(call)
    return accepted(packages.publish(model, _changing(call, model, listingRevisionPackageId)))


def unpublish_package(call: Call, listingRevisionPackageId: str) -> Reply:
    model = scope(call)
    return accepted(packages.unpublish(model, _changing(call, model, listingRevisionPackageId)))
