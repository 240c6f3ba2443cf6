"""Artifacts: MACHINE_IMAGE and STACK, created, updated and deleted through work requests.

CREATE_ARTIFACT leaves the artifact CREATING / IN_PROGRESS / VALIDATION_IN_PROGRESS until
the work request completes; then it is ACTIVE and either AVAILABLE (VALIDATION_COMPLETED) or
UNAVAILABLE (VALIDATION_FAILED, ``validationError`` and ``statusNotes`` say why), in which
case the work request is FAILED with the same errors.
"""

from __future__ import annotations

from typing import Any

from ocmp.sandbox.core import workrequests
from ocmp.sandbox.core.errors import conflict, invalid, missing
from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import (
    BY_TIME_OR_NAME,
    collection,
    listed,
    new_id,
    resource,
    summary,
    touch,
)
from ocmp.sandbox.services.common import require_compartment, require_fields
from ocmp.sandbox.services.publisher.common import TAGS, fetch, live, publisher_of, tags
from ocmp.sandbox.services.publisher.validation import artifact_errors

BLOCKS = {"MACHINE_IMAGE": "machineImage", "STACK": "stack"}
_SUMMARY = ("id", "compartmentId", "displayName", "artifactType", "lifecycleState", "status",
            "timeCreated", "timeUpdated", *TAGS, "systemTags")


def _details(body: Doc, *, creating: bool) -> tuple[str, dict[str, Any]]:
    kind = body.get("artifactType")
    if not kind:
        raise missing("artifactType")
    if kind in ("CONTAINER_IMAGE", "HELM_CHART"):
        raise invalid(f"artifactType {kind} is not emulated by the sandbox")
    if kind not in BLOCKS:
        raise invalid(f"artifactType must be one of CONTAINER_IMAGE, HELM_CHART, MACHINE_IMAGE, "
                      f"STACK (got {kind!r})")
    block = body.get(BLOCKS[kind])
    if block is None and not creating:
        return kind, {}
    if not isinstance(block, dict):
        raise missing(BLOCKS[kind])
    if creating and kind == "MACHINE_IMAGE":
        for name in ("sourceImageId", "isSnapshotAllowed", "imageShapeCompatibilityEntries"):
            if block.get(name) is None:
                raise missing(f"machineImage.{name}")
        if not isinstance(block["imageShapeCompatibilityEntries"], list):
            raise invalid("machineImage.imageShapeCompatibilityEntries must be a list")
    if creating and kind == "STACK" and not block.get("sourceStackId"):
        raise missing("stack.sourceStackId")
    return kind, {k: v for k, v in block.items() if v is not None}


def _start(call: Call, artifact: Doc, operation: str, action: str, finish: str) -> Reply:
    wr = workrequests.start(
        call.store, call.tenancy, operation=operation, compartment_id=artifact["compartmentId"],
        resources=[workrequests.wr_resource("artifact", action, artifact["id"],
                                            f"/20241201/artifacts/{artifact['id']}")],
        finish=finish, args={"id": artifact["id"]}, polls=call.settings["work_request_polls"])
    artifact["_wr"] = wr["id"]
    call.store.put(call.tenancy, "artifact", touch(artifact))
    return workrequests.accepted(wr)


def create_artifact(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "compartmentId")
    compartment = require_compartment(call, body["compartmentId"])
    kind, block = _details(body, creating=True)
    publisher = publisher_of(call)
    block.update(validationStatus="VALIDATION_IN_PROGRESS", validationError=None)
    if kind == "STACK":
        block.setdefault("imageListingIds", None)
    artifact = touch({"id": new_id("mktpubartifact"), "displayName": body.get("displayName")
                      or f"artifact-{kind.lower()}", "artifactType": kind,
                      "status": "IN_PROGRESS", "statusNotes": None, "lifecycleState": "CREATING",
                      "compartmentId": compartment, "publisherId": publisher["id"],
                      BLOCKS[kind]: block, **tags(body)}, created=True)
    return _start(call, artifact, "CREATE_ARTIFACT", "CREATED", "validate_artifact")


@workrequests.completer("validate_artifact", failure_code="ValidationFailed")
def _validate(store: Store, tenancy: str, wr: Doc) -> list[str]:
    artifact = store.get(tenancy, "artifact", wr["_args"]["id"])
    if artifact is None:
        return ["The artifact no longer exists"]
    errors = artifact_errors(store, tenancy, artifact)
    block = artifact[BLOCKS[artifact["artifactType"]]]
    artifact["lifecycleState"] = "ACTIVE"
    artifact.pop("_wr", None)
    if errors:
        block.update(validationStatus="VALIDATION_FAILED", validationError="; ".join(errors))
        artifact.update(status="UNAVAILABLE", statusNotes="; ".join(errors))
    else:
        block.update(validationStatus="VALIDATION_COMPLETED", validationError=None)
        artifact.update(status="AVAILABLE", statusNotes=None)
    store.put(tenancy, "artifact", touch(artifact))
    return errors


def list_artifacts(call: Call) -> Reply:
    compartment = require_compartment(call, call.query("compartmentId"))
    docs = listed(call, "artifact", compartmentId=compartment,
                  displayName=call.query("displayName"), status=call.query("status"))
    return collection(call, docs, summary(_SUMMARY), sort=BY_TIME_OR_NAME)


def get_artifact(call: Call, artifactId: str) -> Reply:
    return resource(fetch(call, "artifact", artifactId))


def _idle(call: Call, artifact_id: str) -> Doc:
    artifact = fetch(call, "artifact", artifact_id, if_match=True)
    if artifact.get("_wr"):
        raise conflict(f"Artifact {artifact_id} has a work request in progress")
    return artifact


def update_artifact(call: Call, artifactId: str) -> Reply:
    artifact = _idle(call, artifactId)
    body = call.json()
    kind, block = _details(body, creating=False)
    if kind != artifact["artifactType"]:
        raise invalid(f"artifactType cannot change (artifact is {artifact['artifactType']})")
    artifact[BLOCKS[kind]].update(block)
    artifact[BLOCKS[kind]].update(validationStatus="VALIDATION_IN_PROGRESS", validationError=None)
    if body.get("displayName"):
        artifact["displayName"] = body["displayName"]
    artifact.update({k: body[k] for k in TAGS if body.get(k) is not None})
    artifact.update(lifecycleState="UPDATING", status="IN_PROGRESS")
    return _start(call, artifact, "UPDATE_ARTIFACT", "UPDATED", "validate_artifact")


def validate_and_publish(call: Call, artifactId: str) -> Reply:
    artifact = _idle(call, artifactId)
    artifact[BLOCKS[artifact["artifactType"]]]["validationStatus"] = "VALIDATION_IN_PROGRESS"
    artifact["status"] = "IN_PROGRESS"
    return _start(call, artifact, "VALIDATE_AND_PUBLISH_ARTIFACT", "UPDATED", "validate_artifact")


def delete_artifact(call: Call, artifactId: str) -> Reply:
    artifact = _idle(call, artifactId)
    if live(call.store, call.tenancy, "package", artifactId=artifactId):
        raise conflict(f"Artifact {artifactId} is used by a listing revision package")
    artifact["lifecycleState"] = "DELETING"
    return _start(call, artifact, "DELETE_ARTIFACT", "DELETED", "delete_artifact")


@workrequests.completer("delete_artifact")
def _delete(store: Store, tenancy: str, wr: Doc) -> list[str]:
    artifact = store.get(tenancy, "artifact", wr["_args"]["id"])
    if artifact is not None:
        artifact["lifecycleState"] = "DELETED"
        artifact.pop("_wr", None)
        store.put(tenancy, "artifact", touch(artifact))
    return []


def change_artifact_compartment(call: Call, artifactId: str) -> Reply:
    artifact = _idle(call, artifactId)
    target = require_compartment(call, call.json().get("compartmentId"))
    wr = workrequests.start(
        call.store, call.tenancy, operation="CHANGE_ARTIFACT_COMPARTMENT", compartment_id=target,
        resources=[workrequests.wr_resource("artifact", "UPDATED", artifactId,
                                            f"/20241201/artifacts/{artifactId}")],
        finish="move", args={"kind": "artifact", "id": artifactId, "compartmentId": target},
        polls=call.settings["work_request_polls"])
    artifact["_wr"] = wr["id"]
    call.store.put(call.tenancy, "artifact", artifact)
    return workrequests.accepted(wr)
