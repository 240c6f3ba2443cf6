"""Resource Manager (``/20180917``): stacks from a base64 zip (ZIP_UPLOAD). Jobs live in
:mod:`ocmp.sandbox.services.rm_jobs`. Lists are bare JSON arrays.

A stack is CREATING until its first read, then ACTIVE, or FAILED when the upload is not a
zip archive. Terraform problems inside the zip surface when a job runs, as in the real
service.
"""

from __future__ import annotations

import base64
import binascii
import io
import zipfile

from ocmp.sandbox.core.errors import conflict, incorrect_state, invalid, missing, not_found
from ocmp.sandbox.core.routing import Call, Reply, RouteTable
from ocmp.sandbox.core.store import Doc
from ocmp.sandbox.core.wire import (
    check_if_match,
    collection,
    copy_given,
    listed,
    new_etag,
    new_id,
    now,
    public,
    public_without,
    resource,
    save,
    soft_delete,
    sort_docs,
    summary,
    touch,
)
from ocmp.sandbox.services.common import require_compartment, require_fields

# The SDK models of these resources have no timeUpdated.
_VIEW = public_without("timeUpdated")

ROUTES = RouteTable("Resource Manager", "/20180917")
_SORT = {"TIMECREATED": "timeCreated", "DISPLAYNAME": "displayName"}
_SUMMARY = ("id", "compartmentId", "displayName", "description", "timeCreated",
            "lifecycleState", "terraformVersion", "freeformTags", "definedTags", "systemTags")
DEFAULT_TERRAFORM = "1.5.x"


def _zip_from(source: object) -> tuple[bytes, str | None]:
    if not isinstance(source, dict):
        raise missing("configSource")
    kind = source.get("configSourceType")
    if kind != "ZIP_UPLOAD":
        raise invalid(f"configSourceType {kind!r} is not emulated; use ZIP_UPLOAD")
    encoded = source.get("zipFileBase64Encoded")
    if not encoded:
        raise missing("configSource.zipFileBase64Encoded")
    try:
        data = base64.b64decode(str(encoded), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise invalid("zipFileBase64Encoded is not valid base64") from exc
    return data, source.get("workingDirectory")


def _is_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)):
            return True
    except zipfile.BadZipFile:
        return False


def _store_zip(call: Call, stack: Doc, data: bytes, working_directory: str | None) -> None:
    call.store.put(call.tenancy, "content", {"id": f"stackZip:{stack['id']}",
                                             "mime": "application/zip",
                                             "data": base64.b64encode(data).decode()})
    stack["configSource"] = {"configSourceType": "ZIP_UPLOAD",
                             "workingDirectory": working_directory}
    stack["_zipOk"] = _is_zip(data)


def stack_doc(call: Call, stack_id: str) -> Doc:
    """A live stack; a CREATING one settles to ACTIVE or FAILED on this read."""
    doc = call.store.get(call.tenancy, "stack", stack_id)
    if doc is None or doc["lifecycleState"] == "DELETED":
        raise not_found("stack", stack_id)
    if doc["lifecycleState"] == "CREATING":
        doc["lifecycleState"] = "ACTIVE" if doc.get("_zipOk") else "FAILED"
        call.store.put(call.tenancy, "stack", touch(doc))
    return doc


def new_stack(ident: str, compartment: str, body: Doc, state: str) -> Doc:
    """A stack document (``body`` in the API's camelCase; seeding builds one too)."""
    return {"id": ident, "compartmentId": compartment,
            "displayName": body.get("displayName") or "sandbox-stack",
            "description": body.get("description"), "lifecycleState": state,
            "variables": body.get("variables") or {},
            "terraformVersion": body.get("terraformVersion") or DEFAULT_TERRAFORM,
            "stackDriftStatus": "NOT_CHECKED", "timeDriftLastChecked": None,
            "customTerraformProvider": None, "isThirdPartyProviderExperienceEnabled": False,
            "freeformTags": body.get("freeformTags") or {},
            "definedTags": body.get("definedTags") or {}, "systemTags": {}}


@ROUTES.route("POST", "/stacks", "CreateStack", "ZIP_UPLOAD config sources only")
def create_stack(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "compartmentId", "configSource")
    compartment = require_compartment(call, body["compartmentId"])
    data, working_directory = _zip_from(body["configSource"])
    variables = body.get("variables") or {}
    if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
        raise invalid("variables must map names to strings")
    doc = new_stack(new_id("ormstack"), compartment, body, "CREATING")
    doc["variables"] = variables
    _store_zip(call, doc, data, working_directory)
    call.store.put(call.tenancy, "stack", touch(doc, created=True))
    # Resource Manager answers CreateStack with the stack and the work request creating it.
    stamp = now()
    wr_id = new_id("ormworkrequest")
    call.store.put(call.tenancy, "ormWorkRequest", {
        # No operationType: the SDK's WorkRequest enum has no value for a stack's creation.
        "id": wr_id, "compartmentId": compartment,
        "timeAccepted": stamp, "timeStarted": stamp, "_stack": doc["id"],
        "resources": [{"entityType": "stack", "actionType": "CREATED", "identifier": doc["id"],
                       "entityUri": f"/20180917/stacks/{doc['id']}"}]})
    reply = resource(doc, view=_VIEW)
    reply.headers["opc-work-request-id"] = wr_id
    return reply


@ROUTES.route("GET", "/workRequests/<workRequestId>", "GetWorkRequest",
              "CreateStack's work request; its status follows the stack's lifecycleState")
def get_work_request(call: Call, workRequestId: str) -> Reply:
    doc = call.store.get(call.tenancy, "ormWorkRequest", workRequestId)
    if doc is None:
        raise not_found("work request", workRequestId)
    stack = call.store.get(call.tenancy, "stack", str(doc["_stack"]))
    state = stack_doc(call, stack["id"])["lifecycleState"] if stack is not None and stack[
        "lifecycleState"] != "DELETED" else "ACTIVE"
    status = {"CREATING": "IN_PROGRESS", "FAILED": "FAILED"}.get(str(state), "SUCCEEDED")
    body = {**public(doc), "status": status,
            "percentComplete": 50.0 if status == "IN_PROGRESS" else 100.0,
            "timeFinished": None if status == "IN_PROGRESS" else doc["timeStarted"]}
    return resource({**doc, **body, "_etag": new_etag()}, view=public)


@ROUTES.route("GET", "/stacks", "ListStacks")
def list_stacks(call: Call) -> Reply:
    compartment = call.query("compartmentId")
    wanted, name = call.query("id"), call.query("displayName")
    if not compartment and not wanted:
        raise missing("compartmentId")
    docs = listed(call, "stack", compartmentId=compartment, id=wanted, displayName=name)
    docs = sort_docs(call, docs, _SORT, "TIMECREATED")
    return collection(call, docs, summary(_SUMMARY), wrap=False)


@ROUTES.route("GET", "/stacks/<stackId>", "GetStack")
def get_stack(call: Call, stackId: str) -> Reply:
    return resource(stack_doc(call, stackId), view=_VIEW)


@ROUTES.route("PUT", "/stacks/<stackId>", "UpdateStack")
def update_stack(call: Call, stackId: str) -> Reply:
    doc = stack_doc(call, stackId)
    check_if_match(call, doc)
    body = call.json()
    if body.get("configSource") is not None:
        data, working_directory = _zip_from(body["configSource"])
        _store_zip(call, doc, data, working_directory)
        doc["lifecycleState"] = "ACTIVE" if doc["_zipOk"] else "FAILED"
    copy_given(doc, body, ("displayName", "description", "variables", "terraformVersion",
                           "freeformTags", "definedTags"))
    return save(call, "stack", doc, view=_VIEW)


@ROUTES.route("DELETE", "/stacks/<stackId>", "DeleteStack")
def delete_stack(call: Call, stackId: str) -> Reply:
    doc = stack_doc(call, stackId)
    check_if_match(call, doc)
    if any(j["stackId"] == stackId and j["lifecycleState"] in ("ACCEPTED", "IN_PROGRESS")
           for j in call.store.list(call.tenancy, "job")):
        raise conflict(f"Stack {stackId} has a job in progress")
    return soft_delete(call, "stack", doc)


@ROUTES.route("GET", "/stacks/<stackId>/tfConfig", "GetStackTfConfig")
def get_stack_tf_config(call: Call, stackId: str) -> Reply:
    stack_doc(call, stackId)
    content = call.store.get(call.tenancy, "content", f"stackZip:{stackId}")
    if content is None:
        raise incorrect_state(f"Stack {stackId} has no configuration")
    return Reply(200, base64.b64decode(str(content["data"])), {}, "application/zip")


# Jobs register on this table too.
from ocmp.sandbox.services import rm_jobs  # noqa: E402

__all__ = ["ROUTES", "rm_jobs", "stack_doc"]
