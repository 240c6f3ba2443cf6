"""Resource Manager's state and behaviour: stacks from a zip, their creation work request,
and PLAN/APPLY/DESTROY jobs. No HTTP here (that is :mod:`.responses`).

A stack is CREATING until its first read, then ACTIVE, or FAILED when the upload is not a
zip archive. Each read of a job moves it one step (ACCEPTED → IN_PROGRESS →
SUCCEEDED/FAILED); the last step really unpacks the stack's zip and parses its Terraform,
failing the way Resource Manager does. Nothing is provisioned: a successful plan or apply
reports one change per ``resource`` block.
"""

from __future__ import annotations

import base64
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

import hcl2

from ocmp.sandbox.core.errors import conflict, incorrect_state, invalid, missing, not_found
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import new_id, now, touch
from ocmp.sandbox.services.terraform_catalog import catalog_errors
from ocmp.sandbox.services.terraform_check import zip_errors

PREFIX = "/20180917"
STACK_STATES = ("CREATING", "ACTIVE", "DELETING", "DELETED", "FAILED")
JOB_OPERATIONS = ("PLAN", "APPLY", "DESTROY")
JOB_FINAL = ("SUCCEEDED", "FAILED", "CANCELED")
PLAN_STRATEGIES = ("FROM_PLAN_JOB_ID", "FROM_LATEST_PLAN_JOB", "AUTO_APPROVED")
LOG_LEVELS = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL")
DEFAULT_TERRAFORM = "1.5.x"
TERRAFORM_RELEASE = "1.5.7"


@dataclass(frozen=True)
class ZipConfig:
    """A ZIP_UPLOAD configuration source: the archive's bytes and its working directory."""

    data: bytes
    working_directory: str | None = None

    @property
    def is_zip(self) -> bool:
        """Whether the bytes open as a zip archive (else the stack goes FAILED)."""
        try:
            with zipfile.ZipFile(io.BytesIO(self.data)):
                return True
        except zipfile.BadZipFile:
            return False


@dataclass(frozen=True)
class StackFields:
    """The caller-settable fields of a stack (``None``: not given)."""

    display_name: str | None = None
    description: str | None = None
    variables: dict[str, str] | None = None
    terraform_version: str | None = None
    freeform_tags: dict[str, Any] | None = None
    defined_tags: dict[str, Any] | None = None

    def given(self) -> Doc:
        """The given fields under their API names (what an update copies)."""
        named = {"displayName": self.display_name, "description": self.description,
                 "variables": self.variables, "terraformVersion": self.terraform_version,
                 "freeformTags": self.freeform_tags, "definedTags": self.defined_tags}
        return {k: v for k, v in named.items() if v is not None}


@dataclass(frozen=True)
class JobRequest:
    """What a CreateJob asks for, its operation details already in the current shape."""

    stack_id: str
    operation: str
    details: Doc
    display_name: str | None = None
    legacy_resolution: Doc | None = None
    provider_upgrade: bool = False
    freeform_tags: dict[str, Any] = field(default_factory=dict)
    defined_tags: dict[str, Any] = field(default_factory=dict)


def new_stack(ident: str, compartment: str, *, display_name: str | None = None,
              description: str | None = None, state: str = "CREATING",
              variables: dict[str, str] | None = None, terraform_version: str | None = None,
              freeform_tags: dict[str, Any] | None = None,
              defined_tags: dict[str, Any] | None = None) -> Doc:
    """A stack document (CreateStack and seeding build one)."""
    if state not in STACK_STATES:
        raise ValueError(f"stack state {state!r} is not one of {', '.join(STACK_STATES)}")
    return {"id": ident, "compartmentId": compartment,
            "displayName": display_name or "sandbox-stack",
            "description": description, "lifecycleState": state,
            "variables": variables or {},
            "terraformVersion": terraform_version or DEFAULT_TERRAFORM,
            "stackDriftStatus": "NOT_CHECKED", "timeDriftLastChecked": None,
            "customTerraformProvider": None, "isThirdPartyProviderExperienceEnabled": False,
            "freeformTags": freeform_tags or {}, "definedTags": defined_tags or {},
            "systemTags": {}}


def failure_message(error: str) -> str:
    """``failureDetails.message``: the error's first line, and where it is when it says."""
    lines = error.splitlines()
    where = next((ln.strip() for ln in lines[1:] if ln.strip().startswith("on ")), "")
    return f"{lines[0]} ({where.rstrip(':')})" if where else lines[0]


def resource_blocks(data: bytes) -> int:
    """How many ``resource`` blocks the zip's Terraform declares (a plan's change count)."""
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


class ResourceManager:
    """Resource Manager as one tenancy sees it (moto's per-service backend).

    Args:
        store: The sandbox's documents.
        tenancy: The caller's tenancy; nothing of another tenancy is visible.
    """

    def __init__(self, store: Store, tenancy: str) -> None:
        self.store = store
        self.tenancy = tenancy

    # -- stacks ---------------------------------------------------------------------------
    def _keep_zip(self, stack: Doc, config: ZipConfig) -> None:
        self.store.put(self.tenancy, "content", {
            "id": f"stackZip:{stack['id']}", "mime": "application/zip",
            "data": base64.b64encode(config.data).decode()})
        stack["configSource"] = {"configSourceType": "ZIP_UPLOAD",
                                 "workingDirectory": config.working_directory}
        stack["_zipOk"] = config.is_zip

    def stack(self, stack_id: str) -> Doc:
        """A live stack; a CREATING one settles to ACTIVE or FAILED on this read."""
        doc = self.store.get(self.tenancy, "stack", stack_id)
        if doc is None or doc["lifecycleState"] == "DELETED":
            raise not_found("stack", stack_id)
        if doc["lifecycleState"] == "CREATING":
            doc["lifecycleState"] = "ACTIVE" if doc.get("_zipOk") else "FAILED"
            self.store.put(self.tenancy, "stack", touch(doc))
        return doc

    def create_stack(self, compartment: str, fields: StackFields, config: ZipConfig
                     ) -> tuple[Doc, str]:
        """A CREATING stack and the id of the work request that creates it."""
        doc = new_stack(new_id("ormstack"), compartment, display_name=fields.display_name,
                        description=fields.description, variables=fields.variables,
                        terraform_version=fields.terraform_version,
                        freeform_tags=fields.freeform_tags, defined_tags=fields.defined_tags)
        self._keep_zip(doc, config)
        self.store.put(self.tenancy, "stack", touch(doc, created=True))
        stamp = now()
        wr_id = new_id("ormworkrequest")
        self.store.put(self.tenancy, "ormWorkRequest", {
            # No operationType: the SDK's WorkRequest enum has no value for a stack's creation.
            "id": wr_id, "compartmentId": compartment,
            "timeAccepted": stamp, "timeStarted": stamp, "_stack": doc["id"],
            "resources": [{"entityType": "stack", "actionType": "CREATED",
                           "identifier": doc["id"],
                           "entityUri": f"{PREFIX}/stacks/{doc['id']}"}]})
        return doc, wr_id

    def stack_work_request(self, wr_id: str) -> Doc:
        """CreateStack's work request; its status follows the stack's lifecycleState."""
        doc = self.store.get(self.tenancy, "ormWorkRequest", wr_id)
        if doc is None:
            raise not_found("work request", wr_id)
        stack = self.store.get(self.tenancy, "stack", str(doc["_stack"]))
        state = (self.stack(stack["id"])["lifecycleState"]
                 if stack is not None and stack["lifecycleState"] != "DELETED" else "ACTIVE")
        status = {"CREATING": "IN_PROGRESS", "FAILED": "FAILED"}.get(str(state), "SUCCEEDED")
        return {**doc, "status": status,
                "percentComplete": 50.0 if status == "IN_PROGRESS" else 100.0,
                "timeFinished": None if status == "IN_PROGRESS" else doc["timeStarted"]}

    def update_stack(self, stack: Doc, fields: StackFields, config: ZipConfig | None) -> Doc:
        """Apply an UpdateStack; a new zip settles the stack at once."""
        if config is not None:
            self._keep_zip(stack, config)
            stack["lifecycleState"] = "ACTIVE" if stack["_zipOk"] else "FAILED"
        stack.update(fields.given())
        self.store.put(self.tenancy, "stack", touch(stack))
        return stack

    def delete_stack(self, stack: Doc) -> None:
        """Mark a stack DELETED (409 while one of its jobs runs)."""
        if any(j["stackId"] == stack["id"] and j["lifecycleState"] in ("ACCEPTED", "IN_PROGRESS")
               for j in self.store.list(self.tenancy, "job")):
            raise conflict(f"Stack {stack['id']} has a job in progress")
        stack["lifecycleState"] = "DELETED"
        self.store.put(self.tenancy, "stack", touch(stack))

    def stack_config(self, stack_id: str) -> bytes:
        """The zip a stack was created or last updated with."""
        self.stack(stack_id)
        content = self.store.get(self.tenancy, "content", f"stackZip:{stack_id}")
        if content is None:
            raise incorrect_state(f"Stack {stack_id} has no configuration")
        return base64.b64decode(str(content["data"]))

    # -- jobs -----------------------------------------------------------------------------
    def _resolve_plan(self, stack_id: str, details: Doc) -> str | None:
        strategy = details.get("executionPlanStrategy")
        if strategy not in PLAN_STRATEGIES:
            raise invalid(f"executionPlanStrategy must be one of {', '.join(PLAN_STRATEGIES)}")
        if strategy == "AUTO_APPROVED":
            return None
        plans = [j for j in self.store.list(self.tenancy, "job", parent=stack_id)
                 if j["operation"] == "PLAN" and j["lifecycleState"] == "SUCCEEDED"]
        if strategy == "FROM_PLAN_JOB_ID":
            wanted = details.get("executionPlanJobId")
            if not wanted:
                raise missing("executionPlanJobId")
            if not any(p["id"] == wanted for p in plans):
                raise invalid(f"{wanted} is not a succeeded plan job of stack {stack_id}")
            return str(wanted)
        if not plans:
            raise incorrect_state(f"Stack {stack_id} has no succeeded plan job")
        return str(plans[-1]["id"])

    def create_job(self, request: JobRequest) -> Doc:
        """An ACCEPTED job on an ACTIVE stack (APPLY/DESTROY resolve their plan first)."""
        stack = self.stack(request.stack_id)
        if stack["lifecycleState"] != "ACTIVE":
            raise incorrect_state(f"Stack {stack['id']} is {stack['lifecycleState']}")
        operation = request.operation
        if operation not in JOB_OPERATIONS:
            raise invalid(f"operation {operation} is not emulated ({', '.join(JOB_OPERATIONS)})")
        plan_id = (self._resolve_plan(stack["id"], request.details)
                   if operation != "PLAN" else None)
        doc: Doc = {"id": new_id("ormjob"), "stackId": stack["id"],
                    "compartmentId": stack["compartmentId"],
                    "displayName": request.display_name or f"{operation.lower()}-job",
                    "operation": operation, "jobOperationDetails": request.details,
                    "applyJobPlanResolution": request.legacy_resolution,
                    "resolvedPlanJobId": plan_id, "timeFinished": None,
                    "lifecycleState": "ACCEPTED", "failureDetails": None,
                    "cancellationDetails": None,
                    "isProviderUpgradeRequired": request.provider_upgrade,
                    "isThirdPartyProviderExperienceEnabled": False,
                    "workingDirectory": stack["configSource"].get("workingDirectory"),
                    "variables": stack.get("variables") or {},
                    "configSource": {"configSourceRecordType": "ZIP_UPLOAD"},
                    "freeformTags": request.freeform_tags,
                    "definedTags": request.defined_tags, "systemTags": {},
                    "_logs": [], "_resources": 0}
        self.store.put(self.tenancy, "job", touch(doc, created=True), parent=stack["id"])
        return doc

    def job(self, job_id: str, *, advance: bool = True) -> Doc:
        """A job, moved one step by this read unless ``advance`` is false."""
        doc = self.store.get(self.tenancy, "job", job_id)
        if doc is None:
            raise not_found("job", job_id)
        if advance and doc["lifecycleState"] not in JOB_FINAL:
            if doc["lifecycleState"] == "ACCEPTED":
                doc["lifecycleState"] = "IN_PROGRESS"
            else:
                self._run(doc)
                doc["timeFinished"] = now()
            self.store.put(self.tenancy, "job", touch(doc))
        return doc

    def jobs(self, *, compartment: str | None, stack: str | None, ident: str | None,
             state: str | None) -> list[Doc]:
        """The jobs matching every given filter, oldest first."""
        return [d for d in self.store.list(self.tenancy, "job")
                if compartment in (None, d["compartmentId"]) and stack in (None, d["stackId"])
                and ident in (None, d["id"]) and state in (None, d["lifecycleState"])]

    @staticmethod
    def job_logs(job: Doc, floor: str | None, descending: bool) -> list[Doc]:
        """A job's log entries at ``floor`` level or above."""
        logs = [e for e in job["_logs"]
                if floor is None or LOG_LEVELS.index(e["level"]) >= LOG_LEVELS.index(floor)]
        return list(reversed(logs)) if descending else logs

    @staticmethod
    def tf_state(job: Doc) -> Doc:
        """A Terraform state stub with one managed resource per applied block."""
        return {"version": 4, "terraform_version": TERRAFORM_RELEASE, "serial": 1,
                "lineage": job["id"], "outputs": {},
                "resources": [{"mode": "managed", "type": "sandbox_resource", "name": f"r{i}",
                               "instances": []} for i in range(job["_resources"])]}

    def cancel_job(self, job: Doc, forced: bool) -> None:
        """CANCELED now (409 once the job is final)."""
        if job["lifecycleState"] in JOB_FINAL:
            raise incorrect_state(f"Job {job['id']} is {job['lifecycleState']}")
        job.update(lifecycleState="CANCELED", timeFinished=now(),
                   cancellationDetails={"isForced": forced})
        self.store.put(self.tenancy, "job", touch(job))

    def _in_catalog(self, listing_id: str, version: str | None) -> bool:
        """Whether the App Catalog the stack's tenancy sees has this listing (or version)."""
        if version is None:
            return self.store.get(self.tenancy, "appCatalogListing", listing_id) is not None
        return self.store.get(self.tenancy, "appCatalogVersion",
                              f"{listing_id}/{version}") is not None

    def _run(self, doc: Doc) -> None:
        content = self.store.get(self.tenancy, "content", f"stackZip:{doc['stackId']}")
        data = base64.b64decode(str(content["data"])) if content else b""
        _log(doc, f"Terraform v{TERRAFORM_RELEASE} {doc['operation'].lower()} job started")
        errors = zip_errors(data, doc.get("workingDirectory"))
        if not errors and doc["operation"] in ("PLAN", "APPLY"):
            # The provider reads App Catalog data sources while planning (and applying), and
            # creates agreements and subscriptions while applying.
            errors = catalog_errors(data, doc.get("workingDirectory"),
                                    doc.get("variables") or {}, self._in_catalog,
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
        count = resource_blocks(data)
        if doc["operation"] == "PLAN":
            _log(doc, f"Plan: {count} to add, 0 to change, 0 to destroy.")
        elif doc["operation"] == "APPLY":
            doc["_resources"] = count
            _log(doc, f"Apply complete! Resources: {count} added, 0 changed, 0 destroyed.")
        else:
            _log(doc, f"Destroy complete! Resources: {count} destroyed.")
        doc["lifecycleState"] = "SUCCEEDED"


def _log(doc: Doc, message: str, level: str = "INFO") -> None:
    doc["_logs"].append({"type": "TERRAFORM_CONSOLE", "level": level, "timestamp": now(),
                         "message": message})
