"""Resource Manager (``/20180917``): the stack a STACK artifact points to, and PLAN jobs.

Same conventions as :mod:`ocmp.clients.publisher`: one request per method (per page for
lists) through :meth:`~ocmp.clients._base.ServiceWrapper._send`, results as :class:`Resource`.
"""

from __future__ import annotations

import base64
from typing import Any

from ocmp.clients.publisher_base import Resource, WireWrapper


class ResourceManagerApi(WireWrapper):
    """The Resource Manager operations ``ocmp publish`` needs for stack listings."""

    service = "resource_manager"

    def find_stacks(self, compartment_id: str, display_name: str) -> list[Resource]:
        """Stacks of the compartment with this display name (not deleted or failed)."""
        rows = self._list("list_stacks", compartment_id=compartment_id, display_name=display_name)
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
    ) -> Resource:
        """Create a stack from a zip (``ZIP_UPLOAD``)."""
        body = {
            "compartmentId": compartment_id,
            "displayName": display_name,
            "description": description,
            "configSource": {
                "configSourceType": "ZIP_UPLOAD",
                "zipFileBase64Encoded": base64.b64encode(zip_bytes).decode("ascii"),
            },
            "variables": {},
            "freeformTags": tags,
        }
        return self._one("create_stack", body, opc_retry_token=token, write=True)

    def get_stack(self, stack_id: str) -> Resource:
        """One stack."""
        return self._one("get_stack", stack_id)

    def get_stack_zip(self, stack_id: str) -> bytes:
        """The Terraform configuration zip of a stack."""
        return self._content("get_stack_tf_config", stack_id)

    def create_plan_job(self, stack_id: str, token: str) -> Resource:
        """Start a PLAN job on the stack."""
        body = {
            "stackId": stack_id,
            "displayName": "ocmp verify",
            "jobOperationDetails": {"operation": "PLAN"},
        }
        return self._one("create_job", body, opc_retry_token=token, write=True)

    def get_job(self, job_id: str) -> Resource:
        """One job and its state."""
        return self._one("get_job", job_id)

    def job_logs(self, job_id: str, after: str | None = None) -> list[dict[str, Any]]:
        """Log entries of a job (oldest first), after the timestamp ``after`` if given."""
        entries: list[dict[str, Any]] = self._wire_rows("get_job_logs", job_id, sort_order="ASC")
        if after:
            entries = [e for e in entries if str(e.get("timestamp", "")) > after]
        return entries
