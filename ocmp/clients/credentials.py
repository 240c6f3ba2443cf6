"""What credentials are: the method the user chose, the settings, and a ready signer.

The two ways of getting a signer, :mod:`ocmp.clients.auth` (config-file profiles) and
:mod:`ocmp.clients.auth_principals` (instance and resource principals), both build these;
keeping the types apart from either lets both import them without importing each other.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

DEFAULT_CONFIG_FILE = Path("~/.oci/config")
DEFAULT_PROFILE = "DEFAULT"


class AuthMethod(StrEnum):
    """How ocmp proves who it is (the oci-cli's ``--auth`` values)."""

    api_key = "api_key"
    security_token = "security_token"
    instance_principal = "instance_principal"
    resource_principal = "resource_principal"


@dataclass(frozen=True, slots=True)
class AuthSettings:
    """What the user chose on the command line or in the environment."""

    method: AuthMethod = AuthMethod.api_key
    config_file: Path | None = None  # None: OCI_CLI_CONFIG_FILE, then ~/.oci/config
    profile: str | None = None  # None: OCI_CLI_PROFILE, then DEFAULT
    region: str | None = None  # overrides the profile's region

    def resolved_config_file(self) -> Path:
        """The config file to read: the explicit one, then the oci-cli's variable, then ~/.oci."""
        chosen = self.config_file or os.environ.get("OCI_CLI_CONFIG_FILE") or DEFAULT_CONFIG_FILE
        return Path(chosen).expanduser()

    def resolved_profile(self) -> str:
        """The profile to use: the explicit one, then OCI_CLI_PROFILE, then DEFAULT."""
        return self.profile or os.environ.get("OCI_CLI_PROFILE") or DEFAULT_PROFILE


@dataclass(frozen=True)
class Credentials:
    """A ready signer plus the facts every client needs. ``repr`` hides the signer."""

    config: dict[str, Any]  # the SDK config dict (never printed: it may hold a pass phrase)
    signer: Any
    tenancy_id: str
    region: str
    method: AuthMethod
    source: str  # "profile DEFAULT of /home/x/.oci/config", "instance principal", …

    def __repr__(self) -> str:
        return f"Credentials({self.method.value}, {self.source}, tenancy={self.tenancy_id})"
