"""ocmp: Oracle Cloud Marketplace listings as code.

Importing this package is deliberately cheap (no SDK, no pydantic): `ocmp --version`
and offline validation must start fast.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
