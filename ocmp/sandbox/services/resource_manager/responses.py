"""Resource Manager over HTTP: read each request into the typed arguments of
:class:`.models.ResourceManager`, answer its documents in the wire shape. Lists are bare
JSON arrays, as the real service sends them.
"""

from __future__ import annotations

import base64
import binascii
import json

from ocmp.sandbox.core.errors import invalid, missing
from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.store import Doc
from ocmp.sandbox.core.wire import (
    check_if_match,
    collection,
    listed,
    new_etag,
    public,
    public_without,
    resource,
    sort_docs,
    summary,
)
from ocmp.sandbox.services.common import require_compartment, require_fields
from ocmp.sandbox.services.resource_manager.models import (
    JobRequest,
    ResourceManager,
    StackFields,
    ZipConfig,
)

# The SDK models of these resources have no timeUpdated.
_VIEW = public_without("timeUpdated")

_STACK_SORT = {"TIMECREATED": "timeCreated", "DISPLAYNAME": "displayName"}
_STACK_SUMMARY = ("id", "compartmentId", "displayName", "description", "timeCreated",
                  "lifecycleState", "terraformVersion", "freeformTags", "definedTags",
                  "systemTags")
_JOB_SUMMARY = ("id", "stackId", "compartmentId", "displayName", "operation",
                "jobOperationDetails", "applyJobPlanResolution", "resolvedPlanJobId",
                "timeCreated", "timeFinished", "lifecycleState", "freeformTags", "definedTags",
                "systemTags")


def _backend(call: Call) -> ResourceManager:
    return ResourceManager(call.store, call.tenancy)


def _zip_config(source: object) -> ZipConfig:
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
    return ZipConfig(data, source.get("workingDirectory"))


def _stack_fields(body: Doc) -> StackFields:
    return StackFields(display_name=body.get("displayName"),
                       description=body.get("description"), variables=body.get("variables"),
                       terraform_version=body.get("terraformVersion"),
                       freeform_tags=body.get("freeformTags"),
                       defined_tags=body.get("definedTags"))


def _job_request(body: Doc) -> JobRequest:
    if not body.get("stackId"):
        raise missing("stackId")
    details = body.get("jobOperationDetails")
    if isinstance(details, dict) and details.get("operation"):
        operation, details = str(details["operation"]), dict(details)
    elif body.get("operation"):  # legacy shape: top-level operation + applyJobPlanResolution
        resolution = body.get("applyJobPlanResolution") or {}
        strategy = ("AUTO_APPROVED" if resolution.get("isAutoApproved") else
                    "FROM_PLAN_JOB_ID" if resolution.get("planJobId") else
                    "FROM_LATEST_PLAN_JOB" if resolution.get("isUseLatestJobId") else None)
        operation = str(body["operation"])
        details = {"operation": body["operation"], "executionPlanStrategy": strategy,
                   "executionPlanJobId": resolution.get("planJobId")}
    else:
        raise missing("jobOperationDetails.operation")
    return JobRequest(stack_id=str(body["stackId"]), operation=operation, details=details,
                      display_name=body.get("displayName"),
                      legacy_resolution=body.get("applyJobPlanResolution"),
                      provider_upgrade=bool(body.get("isProviderUpgradeRequired")),
                      freeform_tags=body.get("freeformTags") or {},
                      defined_tags=body.get("definedTags") or {})


# -- stacks -------------------------------------------------------------------------------
def create_stack(call: Call) -> Reply:
    body = call.json()
    require_fields(body, "compartmentId", "configSource")
    compartment = require_compartment(call, body["compartmentId"])
    config = _zip_config(body["configSource"])
    variables = body.get("variables") or {}
    if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
        raise invalid("variables must map names to strings")
    stack, wr_id = _backend(call).create_stack(compartment, _stack_fields(body), config)
    # Resource Manager answers CreateStack with the stack and the work request creating it.
    reply = resource(stack, view=_VIEW)
    reply.headers["opc-work-request-id"] = wr_id
    return reply


def get_work_request(call: Call, workRequestId: str) -> Reply:
    doc = _backend(call).stack_work_request(workRequestId)
    return resource({**doc, "_etag": new_etag()}, view=public)


def list_stacks(call: Call) -> Reply:
    compartment = call.query("compartmentId")
    wanted, name = call.query("id"), call.query("displayName")
    if not compartment and not wanted:
        raise missing("compartmentId")
    docs = listed(call, "stack", compartmentId=compartment, id=wanted, displayName=name)
    docs = sort_docs(call, docs, _STACK_SORT, "TIMECREATED")
    return collection(call, docs, summary(_STACK_SUMMARY), wrap=False)


def get_stack(call: Call, stackId: str) -> Reply:
    return resource(_backend(call).stack(stackId), view=_VIEW)


def update_stack(call: Call, stackId: str) -> Reply:
    backend = _backend(call)
    stack = backend.stack(stackId)
    check_if_match(call, stack)
    body = call.json()
    config = _zip_config(body["configSource"]) if body.get("configSource") is not None else None
    return resource(backend.update_stack(stack, _stack_fields(body), config), view=_VIEW)


def delete_stack(call: Call, stackId: str) -> Reply:
    backend = _backend(call)
    stack = backend.stack(stackId)
    check_if_match(call, stack)
    backend.delete_stack(stack)
    return Reply(204)


def get_stack_tf_config(call: Call, stackId: str) -> Reply:
    return Reply(200, _backend(call).stack_config(stackId), {}, "application/zip")


# -- jobs ---------------------------------------------------------------------------------
def create_job(call: Call) -> Reply:
    return resource(_backend(call).create_job(_job_request(call.json())), view=_VIEW)


def get_job(call: Call, jobId: str) -> Reply:
    return resource(_backend(call).job(jobId), view=_VIEW)


def list_jobs(call: Call) -> Reply:
    compartment, stack = call.query("compartmentId"), call.query("stackId")
    wanted, state = call.query("id"), call.query("lifecycleState")
    if not (compartment or stack or wanted):
        raise missing("compartmentId")
    docs = _backend(call).jobs(compartment=compartment, stack=stack, ident=wanted, state=state)
    return collection(call, docs, summary(_JOB_SUMMARY), wrap=False)


def get_job_logs(call: Call, jobId: str) -> Reply:
    job = _backend(call).job(jobId, advance=False)
    logs = ResourceManager.job_logs(job, call.query("levelGreaterThanOrEqualTo"),
                                    descending=call.query("sortOrder") == "DESC")
    return collection(call, logs, lambda e: e, wrap=False)


def get_job_logs_content(call: Call, jobId: str) -> Reply:
    job = _backend(call).job(jobId, advance=False)
    text = "".join(f"{e['timestamp']} {e['level']} {e['message']}\n" for e in job["_logs"])
    return Reply(200, text.encode(), {}, "text/plain; charset=utf-8")


def get_job_tf_state(call: Call, jobId: str) -> Reply:
    state = ResourceManager.tf_state(_backend(call).job(jobId, advance=False))
    return Reply(200, json.dumps(state).encode(), {}, "application/octet-stream")


def cancel_job(call: Call, jobId: str) -> Reply:
    backend = _backend(call)
    job = backend.job(jobId, advance=False)
    check_if_match(call, job)
    backend.cancel_job(job, forced=call.query_bool("isForced") or False)
    return Reply(204)
