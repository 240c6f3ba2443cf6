"""Placeholder."""

from ocmp.sandbox.core.routing import RouteTable

ROUTES = RouteTable("Marketplace", "/20181001")
