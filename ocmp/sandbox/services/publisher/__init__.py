"""Marketplace Publisher (``/20241201``)."""

from ocmp.sandbox.core.routing import RouteTable

ROUTES = RouteTable("Marketplace Publisher", "/20241201")
