"""Route tables, the per-request context handlers receive, and the replies they return.

Each service's ``routes`` module lists its operations in one :class:`RouteTable`; handlers
are plain functions ``handler(call: Call, **path_params) -> Reply`` that read state through
``call.store`` and never touch HTTP details beyond what :class:`Call` offers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request

from ocmp.sandbox.core.errors import ApiError, invalid, missing
from ocmp.sandbox.core.store import Doc, Store


@dataclass
class Reply:
    """What a handler answers: status, body (JSON value or bytes) and headers."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


@dataclass
class Call:
    """One authenticated request, as handlers see it."""

    request: Request
    tenancy: str
    store: Store
    settings: dict[str, Any]

    def json(self) -> Doc:
        """The JSON object body (400 ``CannotParseRequest`` when it is not one)."""
        raw = self.request.get_data(cache=True)
        try:
            value = json.loads(raw or b"{}")
        except ValueError as exc:
            raise ApiError(400, "CannotParseRequest", "The request body is not valid JSON") from exc
        if not isinstance(value, dict):
            raise ApiError(400, "CannotParseRequest", "The request body must be a JSON object")
        return value

    def body(self) -> bytes:
        """The raw body bytes."""
        return self.request.get_data(cache=True)

    def query(self, name: str, *, required: bool = False) -> str | None:
        """One query parameter."""
        value = self.request.args.get(name)
        if required and not value:
            raise missing(name)
        return value

    def query_list(self, name: str) -> list[str]:
        """A repeated query parameter."""
        return self.request.args.getlist(name)

    def query_bool(self, name: str) -> bool | None:
        """A ``true``/``false`` query parameter."""
        value = self.request.args.get(name)
        if value is None:
            return None
        if value.lower() not in ("true", "false"):
            raise invalid(f"{name} must be true or false")
        return value.lower() == "true"

    def header(self, name: str) -> str | None:
        """One request header."""
        return self.request.headers.get(name)


Handler = Callable[..., Reply]
Entry = tuple[str, str, str, Handler] | tuple[str, str, str, Handler, str]
"""``(method, path, operation, handler[, notes])``, the path under the table's prefix."""


@dataclass(frozen=True)
class Route:
    """One emulated operation."""

    service: str
    method: str
    path: str
    operation: str
    handler: Handler
    notes: str = ""

    def rule(self) -> Rule:
        """The werkzeug rule that dispatches to this route."""
        return Rule(self.path, methods=[self.method], endpoint=self)


class RouteTable:
    """The operations one service emulates, under its version prefix.

    Args:
        service: Human name (``"Marketplace Publisher"``), used in docs.
        prefix: Version path (``"/20241201"``).
        entries: The operations, in documentation order.
    """

    def __init__(self, service: str, prefix: str, entries: Iterable[Entry] = ()) -> None:
        self.service = service
        self.prefix = prefix
        self.routes: list[Route] = []
        for method, path, operation, handler, *notes in entries:
            self.add(method, path, operation, handler, notes[0] if notes else "")

    def add(self, method: str, path: str, operation: str, handler: Handler,
            notes: str = "") -> None:
        """Dispatch ``METHOD prefix+path`` (werkzeug ``<name>`` placeholders) to ``handler``."""
        self.routes.append(Route(self.service, method, self.prefix + path, operation, handler,
                                 notes))
