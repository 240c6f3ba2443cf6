"""A local emulator of the OCI APIs ocmp uses. Imports nothing else from ocmp.

>>> with Sandbox() as sb:          # doctest: +SKIP
...     client = oci.identity.IdentityClient(config, service_endpoint=sb.endpoint)
"""

from ocmp.sandbox.server import Sandbox

__all__ = ["Sandbox"]
