"""Resource Manager (``/20180917``): the stack a STACK artifact points to, and its jobs.

Same conventions as :mod:`ocmp.clients.publisher`: one request per method (per page for
lists) through :meth:`~ocmp.clients._base.ServiceWrapper._send`, results as the typed
records of :mod:`ocmp.clients.publisher_types` (:class:`Stack`, :class:`Job`, :class:`LogEntry`).
"""

from __future__ import annotations

import base64
from typing import Any

from ocmp.clients import publisher_types as types
from ocmp.clients.publisher_types import Job, LogEntry, Stack
from ocmp.clients.wire import WireWrapper

__all__ = ["Job", "LogEntry", "ResourceManagerApi", "Stack"]


class ResourceManagerApi(WireWrapper):
    """The Resource Manager operations of ``ocmp publish`` and ``ocmp stack verify``."""

    service = "resource_manager"

    def find_stacks(self, compartment_id: str, display_name: str) -> list[Stack]:
        """Stacks of the compartment with this display name (not deleted or failed)."""
        rows = self._list(
            "list_stacks", types.stack, compartment_id=compartment_id, display_name=display_name
        )
        return [
            r
            for r in rows
            if r.name == display_name and r.lifecycle_state not in {"DELETED", "DELETING", "FAILED"}
        ]

    def create_stack(
        self,
        compartment_id: str,
        display_name: str,
        zip_bytes: bytes,
        tags: dict[str, str],
        token: str,
        description: str = "",
        variables: dict[str, str] | None = None,
    ) -> Stack:
        """Create a stack from a zip (``ZIP_UPLOAD``)."""
        body = {
            "compartmentId": compartment_id,
            "displayName": display_name,
            "description": description,
            "configSource": {
                "configSourceType": "ZIP_UPLOAD",
                "zipFileBase64Encoded": base64.b64encode(zip_bytes).decode("ascii"),
            },
            "variables": variables or {},
            "freeformTags": tags,
        }
        return self._stack("create_stack", body, opc_retry_token=token, write=True)

    def _stack(self, op: str, *args: Any, write: bool = False, **kw: Any) -> Stack:
        """A stack with its etag (an update sends it back as If-Match)."""
        resp = self._send(op, *args, write=write, **kw)
        return types.stack(self._wire(resp.data), resp.headers.get("etag"))

    def get_stack(self, stack_id: str) -> Stack:
        """One stack."""
        return self._stack("get_stack", stack_id)

    def get_stack_zip(self, stack_id: str) -> bytes:
        """The Terraform configuration zip of a stack."""
        return self._content("get_stack_tf_config", stack_id)

    def update_stack_variables(
        self, stack_id: str, variables: dict[str, str], etag: str | None = None
    ) -> Stack:
        """Replace the stack's Terraform variables (the zip stays as it is)."""
        body = {"variables": variables}
        extra = {"if_match": etag} if etag else {}
        return self._stack("update_stack", stack_id, body, write=True, **extra)

    def create_job(
        self,
        stack_id: str,
        operation: str,
        token: str,
        *,
        plan_job_id: str | None = None,
        display_name: str = "ocmp verify",
    ) -> Job:
        """Start a PLAN, APPLY or DESTROY job on the stack.

        An APPLY runs the plan of ``plan_job_id`` (``FROM_PLAN_JOB_ID``); without one, and
        for a DESTROY, it is auto-approved: nobody is there to answer Terraform's prompt.
        """
        details: dict[str, Any] = {"operation": operation}
        if operation == "APPLY" and plan_job_id:
            details.update(executionPlanStrategy="FROM_PLAN_JOB_ID", executionPlanJobId=plan_job_id)
        elif operation in ("APPLY", "DESTROY"):
            details["executionPlanStrategy"] = "AUTO_APPROVED"
        body = {"stackId": stack_id, "displayName": display_name, "jobOperationDetails": details}
        return self._one("create_job", types.job, body, opc_retry_token=token, write=True)

    def get_job(self, job_id: str) -> Job:
        """One job and its state."""
        return self._one("get_job", types.job, job_id)

    def job_logs(self, job_id: str) -> list[LogEntry]:
        """Every log entry of a job so far, oldest first (entries are only ever appended)."""
        return self._list("get_job_logs", types.log_entry, job_id, sort_order="ASC")
