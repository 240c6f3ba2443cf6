"""Artifacts: MACHINE_IMAGE and STACK, created, updated and deleted through work requests.

CREATE_ARTIFACT leaves the artifact CREATING / IN_PROGRESS / VALIDATION_IN_PROGRESS until
the work request completes; then it is ACTIVE and either AVAILABLE (VALIDATION_COMPLETED) or
UNAVAILABLE (VALIDATION_FAILED, ``validationError`` and ``statusNotes`` say why), in which
case the work request is FAILED with the same errors, under the code ``ValidationFailed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ocmp.sandbox.core.errors import conflict, invalid, missing
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import new_id, touch
from ocmp.sandbox.services.publisher.models import work_requests
from ocmp.sandbox.services.publisher.models.compartments import start_move
from ocmp.sandbox.services.publisher.models.scope import PREFIX, Scope, Tags
from ocmp.sandbox.services.publisher.models.validation import artifact_errors

BLOCKS = {"MACHINE_IMAGE": "machineImage", "STACK": "stack"}
"""Each emulated artifact type and the field holding its details."""
_IMAGE_REQUIRED = ("sourceImageId", "isSnapshotAllowed", "imageShapeCompatibilityEntries")


@dataclass(frozen=True)
class ArtifactDetails:
    """An artifact type and its details block as given (``machineImage`` or ``stack``)."""

    artifact_type: str | None
    block: Any = None


@dataclass(frozen=True)
class NewArtifact:
    """What a CreateArtifact asks for."""

    compartment_id: str
    details: ArtifactDetails
    display_name: str | None = None
    tags: Tags = field(default_factory=Tags)


@dataclass(frozen=True)
class ArtifactChanges:
    """What an UpdateArtifact changes (``None``: not given)."""

    details: ArtifactDetails
    display_name: str | None = None
    tags: Tags = field(default_factory=Tags)


def _checked(details: ArtifactDetails, *, creating: bool) -> tuple[str, dict[str, Any]]:
    kind = details.artifact_type
    if not kind:
        raise missing("artifactType")
    if kind in ("CONTAINER_IMAGE", "HELM_CHART"):
        raise invalid(f"artifactType {kind} is not emulated by the sandbox")
    if kind not in BLOCKS:
        raise invalid(f"artifactType must be one of CONTAINER_IMAGE, HELM_CHART, MACHINE_IMAGE, "
                      f"STACK (got {kind!r})")
    block = details.block
    if block is None and not creating:
        return kind, {}
    if not isinstance(block, dict):
        raise missing(BLOCKS[kind])
    if creating and kind == "MACHINE_IMAGE":
        for name in _IMAGE_REQUIRED:
            if block.get(name) is None:
                raise missing(f"machineImage.{name}")
        if not isinstance(block["imageShapeCompatibilityEntries"], list):
            raise invalid("machineImage.imageShapeCompatibilityEntries must be a list")
    if creating and kind == "STACK" and not block.get("sourceStackId"):
        raise missing("stack.sourceStackId")
    return kind, {k: v for k, v in block.items() if v is not None}


def _start(scope: Scope, artifact: Doc, operation: str, action: str, finish: str) -> Doc:
    wr = work_requests.start(
        scope.store, scope.tenancy, operation=operation,
        compartment_id=artifact["compartmentId"],
        resources=[work_requests.wr_resource("artifact", action, artifact["id"],
                                             f"{PREFIX}/artifacts/{artifact['id']}")],
        finish=finish, args={"id": artifact["id"]}, polls=scope.polls)
    artifact["_wr"] = wr["id"]
    scope.put("artifact", touch(artifact))
    return wr


def get(scope: Scope, ident: str) -> Doc:
    """A live artifact, its pending work settled."""
    return scope.fetch("artifact", ident)


def create(scope: Scope, new: NewArtifact) -> Doc:
    """Start CREATE_ARTIFACT (validation runs when it completes); return the work request."""
    kind, block = _checked(new.details, creating=True)
    publisher = scope.publisher()
    block.update(validationStatus="VALIDATION_IN_PROGRESS", validationError=None)
    if kind == "STACK":
        block.setdefault("imageListingIds", None)
    artifact = touch({"id": new_id("mktpubartifact"), "displayName": new.display_name
                      or f"artifact-{kind.lower()}", "artifactType": kind,
                      "status": "IN_PROGRESS", "statusNotes": None, "lifecycleState": "CREATING",
                      "compartmentId": new.compartment_id, "publisherId": publisher["id"],
                      BLOCKS[kind]: block, **new.tags.fields()}, created=True)
    return _start(scope, artifact, "CREATE_ARTIFACT", "CREATED", "validate_artifact")


@work_requests.completer("validate_artifact", failure_code="ValidationFailed")
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


def idle(scope: Scope, artifact: Doc) -> Doc:
    """The artifact, when no work request is working on it (409 otherwise)."""
    if artifact.get("_wr"):
        raise conflict(f"Artifact {artifact['id']} has a work request in progress")
    return artifact


def update(scope: Scope, artifact: Doc, changes: ArtifactChanges) -> Doc:
    """Start UPDATE_ARTIFACT (validation runs again); return the work request."""
    kind, block = _checked(changes.details, creating=False)
    if kind != artifact["artifactType"]:
        raise invalid(f"artifactType cannot change (artifact is {artifact['artifactType']})")
    artifact[BLOCKS[kind]].update(block)
    artifact[BLOCKS[kind]].update(validationStatus="VALIDATION_IN_PROGRESS", validationError=None)
    if changes.display_name:
        artifact["displayName"] = changes.display_name
    artifact.update(changes.tags.given())
    artifact.update(lifecycleState="UPDATING", status="IN_PROGRESS")
    return _start(scope, artifact, "UPDATE_ARTIFACT", "UPDATED", "validate_artifact")


def validate_and_publish(scope: Scope, artifact: Doc) -> Doc:
    """Start VALIDATE_AND_PUBLISH_ARTIFACT; return the work request."""
    artifact[BLOCKS[artifact["artifactType"]]]["validationStatus"] = "VALIDATION_IN_PROGRESS"
    artifact["status"] = "IN_PROGRESS"
    return _start(scope, artifact, "VALIDATE_AND_PUBLISH_ARTIFACT", "UPDATED",
                  "validate_artifact")


def delete(scope: Scope, artifact: Doc) -> Doc:
    """Start DELETE_ARTIFACT (409 while a package uses it); return the work request."""
    if scope.live("package", artifactId=artifact["id"]):
        raise conflict(f"Artifact {artifact['id']} is used by a listing revision package")
    artifact["lifecycleState"] = "DELETING"
    return _start(scope, artifact, "DELETE_ARTIFACT", "DELETED", "delete_artifact")


@work_requests.completer("delete_artifact")
def _delete(store: Store, tenancy: str, wr: Doc) -> list[str]:
    artifact = store.get(tenancy, "artifact", wr["_args"]["id"])
    if artifact is not None:
        artifact["lifecycleState"] = "DELETED"
        artifact.pop("_wr", None)
        store.put(tenancy, "artifact", touch(artifact))
    return []


def change_compartment(scope: Scope, artifact: Doc, target: str) -> Doc:
    """Start moving the artifact to compartment ``target``."""
    return start_move(scope, "artifact", "artifact", "artifacts", artifact, target,
                      operation="CHANGE_ARTIFACT_COMPARTMENT")
