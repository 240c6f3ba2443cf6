"""Placeholder."""

from ocmp.sandbox.core.routing import RouteTable

ROUTES = RouteTable("Resource Manager", "/20180917")
