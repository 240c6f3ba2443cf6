"""Plumbing of the Marketplace Publisher client: result types and one-request helpers.

Every method does one request (lists: one per page) through :func:`ocmp.clients.retry.call`,
and returns :class:`Resource`/:class:`WorkRequest` — ocmp's own small types holding the
wire form (camelCase JSON) of what the service answered, so the core never sees SDK
models. Bodies are sent as camelCase dicts, exactly the JSON the API documents.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ocmp.clients.retry import CallStats, RetryPolicy, call


@dataclass(frozen=True)
class Resource:
    """One Marketplace resource as the service returned it."""

    id: str
    name: str  # ``name`` or ``displayName``
    lifecycle_state: str
    status: str | None
    body: dict[str, Any] = field(repr=False)
    etag: str | None = None

    def get(self, key: str, default: Any = None) -> Any:
        """A field of the wire body."""
        return self.body.get(key, default)


@dataclass(frozen=True)
class WorkRequest:
    """An asynchronous operation and where it stands."""

    id: str
    status: str
    percent: float | None
    operation: str
    resources: list[dict[str, Any]]

    @property
    def finished(self) -> bool:
        """Whether the work request has reached an end state."""
        return self.status in {"SUCCEEDED", "FAILED", "CANCELED"}

    def created_id(self, entity_hint: str = "") -> str | None:
        """The OCID of the resource this work request created (``actionType`` CREATED)."""
        created = [r for r in self.resources if r.get("actionType") == "CREATED"]
        if entity_hint:
            matching = [
                r for r in created if entity_hint.lower() in str(r.get("entityType", "")).lower()
            ]
            created = matching or created
        return str(created[0]["identifier"]) if created else None


class PublisherBase:
    """One request per call, retried and counted; wire-form results."""

    """The Marketplace Publisher operations ocmp needs, retried and counted."""

    def __init__(self, sdk_client: Any, stats: CallStats, policy: RetryPolicy | None = None):
        self._c = sdk_client
        self.stats = stats
        self._policy = policy

    # -- plumbing --------------------------------------------------------------------

    def _wire(self, data: Any) -> Any:
        return self._c.base_client.sanitize_for_serialization(data)

    def _call(self, op: str, fn: Callable[[], Any], *, write: bool = False) -> Any:
        return call(op, fn, policy=self._policy, stats=self.stats, write=write)

    def _one(self, op: str, *args: Any, write: bool = False, **kw: Any) -> Resource:
        resp = self._call(op, lambda: getattr(self._c, op)(*args, **kw), write=write)
        return _resource(self._wire(resp.data), resp.headers.get("etag"))

    def _wr(self, op: str, *args: Any, **kw: Any) -> str:
        resp = self._call(op, lambda: getattr(self._c, op)(*args, **kw), write=True)
        return str(resp.headers["opc-work-request-id"])

    def _list(self, op: str, *args: Any, **kw: Any) -> list[Resource]:
        items: list[Resource] = []
        page: str | None = None
        while True:
            extra: dict[str, Any] = {"page": page} if page else {}
            resp = self._call(op, functools.partial(getattr(self._c, op), *args, **kw, **extra))
            data = self._wire(resp.data)
            rows = data.get("items", []) if isinstance(data, dict) else data
            items.extend(_resource(row, None) for row in rows)
            page = resp.headers.get("opc-next-page")
            if not page:
                return items


def _resource(data: dict[str, Any], etag: str | None) -> Resource:
    return Resource(
        id=str(data.get("id", "")),
        name=str(data.get("name") or data.get("displayName") or ""),
        lifecycle_state=str(data.get("lifecycleState", "")),
        status=data.get("status"),
        body=data,
        etag=etag,
    )
