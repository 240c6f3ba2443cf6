"""Resource Manager (``/20180917``): the stack a STACK artifact points to, and PLAN jobs.

Same conventions as :mod:`ocmp.clients.publisher`: one request per method (per page for
lists) through :func:`ocmp.clients.retry.call`, results as :class:`Resource`.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable
from typing import Any

from ocmp.clients.publisher import Resource, _resource
from ocmp.clients.retry import CallStats, RetryPolicy, call


class ResourceManagerApi:
    """The Resource Manager operations ``ocmp publish`` needs for stack listings."""

    def __init__(self, sdk_client: Any, stats: CallStats, policy: RetryPolicy | None = None):
        self._c = sdk_client
        self.stats = stats
        self._policy = policy

    def _call(self, op: str, fn: Callable[[], Any], *, write: bool = False) -> Any:
        return call(op, fn, policy=self._policy, stats=self.stats, write=write)

    def _wire(self, data: Any) -> Any:
        return self._c.base_client.sanitize_for_serialization(data)

    def find_stacks(self, compartment_id: str, display_name: str) -> list[Resource]:
        """Stacks of the compartment with this display name (not deleted or failed)."""
        rows: list[Resource] = []
        page: str | None = None
        while True:
            extra: dict[str, Any] = {"page": page} if page else {}
            resp = self._call(
                "list_stacks",
                functools.partial(
                    self._c.list_stacks,
                    compartment_id=compartment_id,
                    display_name=display_name,
                    **extra,
                ),
            )
            rows.extend(_resource(item, None) for item in self._wire(resp.data))
            page = resp.headers.get("opc-next-page")
            if not page:
                break
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
        resp = self._call(
            "create_stack", lambda: self._c.create_stack(body, opc_retry_token=token), write=True
        )
        return _resource(self._wire(resp.data), resp.headers.get("etag"))

    def get_stack(self, stack_id: str) -> Resource:
        """One stack."""
        resp = self._call("get_stack", lambda: self._c.get_stack(stack_id))
        return _resource(self._wire(resp.data), resp.headers.get("etag"))

    def get_stack_zip(self, stack_id: str) -> bytes:
        """The Terraform configuration zip of a stack."""
        resp = self._call("get_stack_tf_config", lambda: self._c.get_stack_tf_config(stack_id))
        return bytes(resp.data.content)

    def create_plan_job(self, stack_id: str, token: str) -> Resource:
        """Start a PLAN job on the stack."""
        body = {
            "stackId": stack_id,
            "displayName": "ocmp verify",
            "jobOperationDetails": {"operation": "PLAN"},
        }
        resp = self._call(
            "create_job", lambda: self._c.create_job(body, opc_retry_token=token), write=True
        )
        return _resource(self._wire(resp.data), resp.headers.get("etag"))

    def get_job(self, job_id: str) -> Resource:
        """One job and its state."""
        resp = self._call("get_job", lambda: self._c.get_job(job_id))
        return _resource(self._wire(resp.data), resp.headers.get("etag"))

    def job_logs(self, job_id: str, after: str | None = None) -> list[dict[str, Any]]:
        """Log entries of a job (oldest first), after the timestamp ``after`` if given."""
        kw: dict[str, Any] = {"sort_order": "ASC"}
        entries: list[dict[str, Any]] = []
        page: str | None = None
        while True:
            extra: dict[str, Any] = {"page": page} if page else {}
            resp = self._call(
                "get_job_logs", functools.partial(self._c.get_job_logs, job_id, **kw, **extra)
            )
            entries.extend(self._wire(resp.data))
            page = resp.headers.get("opc-next-page")
            if not page:
                break
        if after:
            entries = [e for e in entries if str(e.get("timestamp", "")) > after]
        return entries
