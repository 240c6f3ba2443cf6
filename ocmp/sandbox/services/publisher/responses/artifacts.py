"""Artifacts over HTTP: every change answers 202 with its work request."""

from __future__ import annotations

from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.store import Doc
from ocmp.sandbox.core.wire import (
    BY_TIME_OR_NAME,
    check_if_match,
    collection,
    listed,
    resource,
    summary,
)
from ocmp.sandbox.services.common import require_compartment, require_fields
from ocmp.sandbox.services.publisher.models import artifacts
from ocmp.sandbox.services.publisher.models.scope import TAGS, Scope
from ocmp.sandbox.services.publisher.responses.common import accepted, scope, tags

_SUMMARY = ("id", "compartmentId", "displayName", "artifactType", "lifecycleState", "status",
            "timeCreated", "timeUpdated", *TAGS, "systemTags")


def _details(body: Doc) -> artifacts.ArtifactDetails:
    kind = body.get("artifactType")
    block = body.get(artifacts.BLOCKS[kind]) if kind in artifacts.BLOCKS else None
    return artifacts.ArtifactDetails(artifact_type=kind, block=block)


def _idle(call: Call, model: Scope, ident: str) -> Doc:
    artifact = artifacts.get(model, ident)
    check_if_match(call, artifact)
    return artifacts.idle(model, artifact)


def create_artifact(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "compartmentId")
    compartment = require_compartment(call, body["compartmentId"])
    new = artifacts.NewArtifact(compartment_id=compartment, details=_details(body),
                                display_name=body.get("displayName"), tags=tags(body))
    return accepted(artifacts.create(scope(call), new))


def list_artifacts(call: Call) -> Reply:
    compartment = require_compartment(call, call.query("compartmentId"))
    docs = listed(call, "artifact", compartmentId=compartment,
                  displayName=call.query("displayName"), status=call.query("status"))
    return collection(call, docs, summary(_SUMMARY), sort=BY_TIME_OR_NAME)


def get_artifact(call: Call, artifactId: str) -> Reply:
    return resource(artifacts.get(scope(call), artifactId))


def update_artifact(call: Call, artifactId: str) -> Reply:
    model = scope(call)
    artifact = _idle(call, model, artifactId)
    body = call.json()
    changes = artifacts.ArtifactChanges(details=_details(body),
                                        display_name=body.get("displayName"), tags=tags(body))
    return accepted(artifacts.update(model, artifact, changes))


def validate_and_publish(call: Call, artifactId: str) -> Reply:
    model = scope(call)
    return accepted(artifacts.validate_and_publish(model, _idle(call, model, artifactId)))


def delete_artifact(call: Call, artifactId: str) -> Reply:
    model = scope(call)
    return accepted(artifacts.delete(model, _idle(call, model, artifactId)))


def change_artifact_compartment(call: Call, artifactId: str) -> Reply:
    model = scope(call)
    artifact = _idle(call, model, artifactId)
    target = require_compartment(call, call.json().get("compartmentId"))
    return accepted(artifacts.change_compartment(model, artifact, target))
