"""Resource Manager jobs: PLAN, APPLY, DESTROY. Each GET moves a job one step
(ACCEPTED → IN_PROGRESS → SUCCEEDED/FAILED); the last step really unpacks the stack's zip and
parses its Terraform, failing the way Resource Manager does. Nothing is provisioned: a
successful plan or apply reports one change per ``resource`` block.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from typing import Any

import hcl2

from ocmp.sandbox.core.errors import ApiError, incorrect_state, invalid, missing
from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.store import Doc
from ocmp.sandbox.core.wire import (
    check_if_match,
    collection,
    get_or_404,
    new_id,
    now,
    public,
    resource,
    summary,
    touch,
)
from ocmp.sandbox.services.resource_manager import ROUTES, stack_doc
from ocmp.sandbox.services.terraform_catalog import catalog_errors
from ocmp.sandbox.services.terraform_check import zip_errors

_FINAL = ("SUCCEEDED", "FAILED", "CANCELED")
_SUMMARY = ("id", "stackId", "compartmentId", "displayName", "operation", "jobOperationDetails",
            "applyJobPlanResolution", "resolvedPlanJobId", "timeCreated", "timeFinished",
            "lifecycleState", "freeformTags", "definedTags", "systemTags")
STRATEGIES = ("FROM_PLAN_JOB_ID", "FROM_LATEST_PLAN_JOB", "AUTO_APPROVED")


def _operation(body: Doc) -> tuple[str, Doc]:
    details = body.get("jobOperationDetails")
    if isinstance(details, dict) and details.get("operation"):
        return str(details["operation"]), dict(details)
    if body.get("operation"):  # legacy shape: top-level operation + applyJobPlanResolution
        resolution = body.get("applyJobPlanResolution") or {}
        strategy = ("AUTO_APPROVED" if resolution.get("isAutoApproved") else
                    "FROM_PLAN_JOB_ID" if resolution.get("planJobId") else
                    "FROM_LATEST_PLAN_JOB" if resolution.get("isUseLatestJobId") else None)
        return str(body["operation"]), {"operation": body["operation"],
                                        "executionPlanStrategy": strategy,
                                        "executionPlanJobId": resolution.get("planJobId")}
    raise missing("jobOperationDetails.operation")


def _resolve_plan(call: Call, stack_id: str, details: Doc) -> str | None:
    strategy = details.get("executionPlanStrategy")
    if strategy not in STRATEGIES:
        raise invalid(f"executionPlanStrategy must be one of {', '.join(STRATEGIES)}")
    if strategy == "AUTO_APPROVED":
        return None
    plans = [j for j in call.store.list(call.tenancy, "job", parent=stack_id)
             if j["operation"] == "PLAN" and j["lifecycleState"] == "SUCCEEDED"]
    if strategy == "FROM_PLAN_JOB_ID":
        wanted = details.get("executionPlanJobId")
        if not wanted:
            raise missing("executionPlanJobId")
        if not any(p["id"] == wanted for p in plans):
            raise ApiError(400, "InvalidParameter",
                           f"{wanted} is not a succeeded plan job of stack {stack_id}")
        return str(wanted)
    if not plans:
        raise incorrect_state(f"Stack {stack_id} has no succeeded plan job")
    return str(plans[-1]["id"])


@ROUTES.route("POST", "/jobs", "CreateJob", "PLAN, APPLY and DESTROY")
def create_job(call: Call) -> Reply:
    body = call.json()
    if not body.get("stackId"):
        raise missing("stackId")
    stack = stack_doc(call, str(body["stackId"]))
    if stack["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"Stack {stack['id']} is {stack['lifecycleState']}")
    operation, details = _operation(body)
    if operation not in ("PLAN", "APPLY", "DESTROY"):
        raise invalid(f"operation {operation} is not emulated (PLAN, APPLY, DESTROY)")
    plan_id = _resolve_plan(call, stack["id"], details) if operation != "PLAN" else None
    doc: Doc = {"id": new_id("ormjob"), "stackId": stack["id"],
                "compartmentId": stack["compartmentId"],
                "displayName": body.get("displayName") or f"{operation.lower()}-job",
                "operation": operation, "jobOperationDetails": details,
                "applyJobPlanResolution": body.get("applyJobPlanResolution"),
                "resolvedPlanJobId": plan_id, "timeFinished": None, "lifecycleState": "ACCEPTED",
                "failureDetails": None, "cancellationDetails": None,
                "isProviderUpgradeRequired": bool(body.get("isProviderUpgradeRequired")),
                "isThirdPartyProviderExperienceEnabled": False,
                "workingDirectory": stack["configSource"].get("workingDirectory"),
                "variables": stack.get("variables") or {},
                "configSource": {"configSourceRecordType": "ZIP_UPLOAD"},
                "freeformTags": body.get("freeformTags") or {},
                "definedTags": body.get("definedTags") or {}, "systemTags": {},
                "_logs": [], "_resources": 0}
    call.store.put(call.tenancy, "job", touch(doc, created=True), parent=stack["id"])
    return resource(doc, view=public)


def _log(doc: Doc, message: str, level: str = "INFO") -> None:
    doc["_logs"].append({"type": "TERRAFORM_CONSOLE", "level": level, "timestamp": now(),
                         "message": message})


def _resource_blocks(data: bytes) -> int:
    count = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not name.endswith(".tf"):
                continue
            try:
                parsed: dict[str, Any] = hcl2.loads(archive.read(name).decode("utf-8"))
            except Exception:  # files outside the working directory were not checked
                continue
            for block in parsed.get("resource", []):
                count += sum(len(v) for v in block.values() if isinstance(v, dict))
    return count


def _in_catalog(call: Call, listing_id: str, version: str | None) -> bool:
    """Whether the App Catalog the stack's tenancy sees has this listing (or version)."""
    if version is None:
        return call.store.get(call.tenancy, "appCatalogListing", listing_id) is not None
    return call.store.get(call.tenancy, "appCatalogVersion", f"{listing_id}/{version}") is not None


def failure_message(error: str) -> str:
    """``failureDetails.message``: the error's first line, and where it is when it says."""
    lines = error.splitlines()
    where = next((ln.strip() for ln in lines[1:] if ln.strip().startswith("on ")), "")
    return f"{lines[0]} ({where.rstrip(':')})" if where else lines[0]


def _run(call: Call, doc: Doc) -> None:
    content = call.store.get(call.tenancy, "content", f"stackZip:{doc['stackId']}")
    data = base64.b64decode(str(content["data"])) if content else b""
    _log(doc, f"Terraform v1.5.7 {doc['operation'].lower()} job started")
    errors = zip_errors(data, doc.get("workingDirectory"))
    if not errors and doc["operation"] in ("PLAN", "APPLY"):
        # The provider reads App Catalog data sources while planning (and applying), and
        # creates agreements and subscriptions while applying.
        errors = catalog_errors(data, doc.get("workingDirectory"), doc.get("variables") or {},
                                lambda listing, version: _in_catalog(call, listing, version),
                                planning=doc["operation"] == "PLAN")
    if errors:
        for error in errors:
            _log(doc, error, "ERROR")
        unzip = errors[0].startswith(("Invalid zip", "Terraform config file is missing"))
        doc["failureDetails"] = {
            "code": "TERRAFORM_CONFIG_UNZIP_FAILED" if unzip else "TERRAFORM_EXECUTION_ERROR",
            "message": failure_message(errors[0])}
        doc["lifecycleState"] = "FAILED"
        return
    count = _resource_blocks(data)
    if doc["operation"] == "PLAN":
        _log(doc, f"Plan: {count} to add, 0 to change, 0 to destroy.")
    elif doc["operation"] == "APPLY":
        doc["_resources"] = count
        _log(doc, f"Apply complete! Resources: {count} added, 0 changed, 0 destroyed.")
    else:
        _log(doc, f"Destroy complete! Resources: {count} destroyed.")
    doc["lifecycleState"] = "SUCCEEDED"


def job_doc(call: Call, job_id: str, *, advance: bool = True) -> Doc:
    """A job, moved one step by this read."""
    doc = get_or_404(call, "job", job_id)
    if advance and doc["lifecycleState"] not in _FINAL:
        if doc["lifecycleState"] == "ACCEPTED":
            doc["lifecycleState"] = "IN_PROGRESS"
        else:
            _run(call, doc)
            doc["timeFinished"] = now()
        call.store.put(call.tenancy, "job", touch(doc))
    return doc


@ROUTES.route("GET", "/jobs/<jobId>", "GetJob", "Each GET advances the job one step")
def get_job(call: Call, jobId: str) -> Reply:
    return resource(job_doc(call, jobId))


@ROUTES.route("GET", "/jobs", "ListJobs")
def list_jobs(call: Call) -> Reply:
    compartment, stack = call.query("compartmentId"), call.query("stackId")
    wanted, state = call.query("id"), call.query("lifecycleState")
    if not (compartment or stack or wanted):
        raise missing("compartmentId")
    docs = [d for d in call.store.list(call.tenancy, "job")
            if compartment in (None, d["compartmentId"]) and stack in (None, d["stackId"])
            and wanted in (None, d["id"]) and state in (None, d["lifecycleState"])]
    return collection(call, docs, summary(_SUMMARY), wrap=False)


@ROUTES.route("GET", "/jobs/<jobId>/logs", "GetJobLogs")
def get_job_logs(call: Call, jobId: str) -> Reply:
    doc = job_doc(call, jobId, advance=False)
    levels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]
    floor = call.query("levelGreaterThanOrEqualTo")
    logs = [e for e in doc["_logs"]
            if floor is None or levels.index(e["level"]) >= levels.index(floor)]
    if call.query("sortOrder") == "DESC":
        logs = list(reversed(logs))
    return collection(call, logs, lambda e: e, wrap=False)


@ROUTES.route("GET", "/jobs/<jobId>/logs/content", "GetJobLogsContent")
def get_job_logs_content(call: Call, jobId: str) -> Reply:
    doc = job_doc(call, jobId, advance=False)
    text = "".join(f"{e['timestamp']} {e['level']} {e['message']}\n" for e in doc["_logs"])
    return Reply(200, text.encode(), {}, "text/plain; charset=utf-8")


@ROUTES.route("GET", "/jobs/<jobId>/tfState", "GetJobTfState")
def get_job_tf_state(call: Call, jobId: str) -> Reply:
    doc = job_doc(call, jobId, advance=False)
    state = {"version": 4, "terraform_version": "1.5.7", "serial": 1, "lineage": doc["id"],
             "outputs": {}, "resources": [{"mode": "managed", "type": "sandbox_resource",
                                           "name": f"r{i}", "instances": []}
                                          for i in range(doc["_resources"])]}
    return Reply(200, json.dumps(state).encode(), {}, "application/octet-stream")


@ROUTES.route("DELETE", "/jobs/<jobId>", "CancelJob")
def cancel_job(call: Call, jobId: str) -> Reply:
    doc = job_doc(call, jobId, advance=False)
    check_if_match(call, doc)
    if doc["lifecycleState"] in _FINAL:
        raise incorrect_state(f"Job {jobId} is {doc['lifecycleState']}")
    doc.update(lifecycleState="CANCELED", timeFinished=now(),
               cancellationDetails={"isForced": call.query_bool("isForced") or False})
    call.store.put(call.tenancy, "job", touch(doc))
    return Reply(204)
