"""Every emulated service's route table, in documentation order (moto's ``backend_index``)."""

from __future__ import annotations

from ocmp.sandbox.core.routing import Route, RouteTable
from ocmp.sandbox.services.compute.routes import ROUTES as COMPUTE
from ocmp.sandbox.services.identity.routes import ROUTES as IDENTITY
from ocmp.sandbox.services.marketplace.routes import ROUTES as MARKETPLACE
from ocmp.sandbox.services.publisher.routes import ROUTES as PUBLISHER
from ocmp.sandbox.services.resource_manager.routes import ROUTES as RESOURCE_MANAGER

TABLES: tuple[RouteTable, ...] = (PUBLISHER, IDENTITY, COMPUTE, RESOURCE_MANAGER, MARKETPLACE)


def tables() -> list[RouteTable]:
    """Every service's route table, in documentation order."""
    return list(TABLES)


def all_routes() -> list[Route]:
    """Every emulated operation."""
    return [route for table in TABLES for route in table.routes]


def version_prefixes() -> list[str]:
    """The version prefixes the sandbox answers under."""
    return sorted({table.prefix for table in TABLES})
