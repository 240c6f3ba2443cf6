"""The emulated OCI services, one route table each."""

from __future__ import annotations

from ocmp.sandbox.core.routing import Route, RouteTable


def tables() -> list[RouteTable]:
    """Every service's route table, in documentation order."""
    from ocmp.sandbox.services.compute import ROUTES as compute
    from ocmp.sandbox.services.identity import ROUTES as identity
    from ocmp.sandbox.services.marketplace import ROUTES as marketplace
    from ocmp.sandbox.services.publisher import ROUTES as publisher
    from ocmp.sandbox.services.resource_manager.routes import ROUTES as resource_manager

    return [publisher, identity, compute, resource_manager, marketplace]


def all_routes() -> list[Route]:
    """Every emulated operation."""
    return [route for table in tables() for route in table.routes]


def version_prefixes() -> list[str]:
    """The version prefixes the sandbox answers under."""
    return sorted({table.prefix for table in tables()})
