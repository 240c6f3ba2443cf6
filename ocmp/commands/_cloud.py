"""Cloud options shared by every command that talks to OCI, and the session that uses them.

A command declares the options as parameters (Typer needs them spelled out) and hands them
to :func:`cloud_session`::

    from ocmp.commands._cloud import (AuthOption, ConfigFileOption, EndpointOption,
        ProfileOption, RegionOption, SandboxOption, CloudOptions, cloud_session)

    def doctor(..., config_file: ConfigFileOption = None, profile: ProfileOption = None,
               auth: AuthOption = AuthMethod.api_key, region: RegionOption = None,
               endpoint: EndpointOption = None, sandbox: SandboxOption = False) -> None:
        options = CloudOptions(config_file, profile, auth, region, endpoint, sandbox)
        with cloud_session(options) as clients:
            ...

``--sandbox`` starts :class:`ocmp.sandbox.Sandbox` in-process with the healthy demo tenancy
and points every client at it; that glue lives here so that ``ocmp.clients`` never depends
on the sandbox. Heavy modules are imported inside functions so that ``ocmp --version``
stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ocmp.clients.auth import AuthMethod

if TYPE_CHECKING:
    from ocmp.clients import Clients

_PANEL = "Cloud access"

ConfigFileOption = Annotated[
    Path | None,
    typer.Option(
        "--config-file",
        envvar="OCI_CLI_CONFIG_FILE",
        help="OCI config file (default: ~/.oci/config).",
        rich_help_panel=_PANEL,
        show_default=False,
    ),
]
ProfileOption = Annotated[
    str | None,
    typer.Option(
        "--profile",
        envvar="OCI_CLI_PROFILE",
        help="Profile of the config file (default: DEFAULT).",
        rich_help_panel=_PANEL,
        show_default=False,
    ),
]
AuthOption = Annotated[
    AuthMethod,
    typer.Option(
        "--auth",
        envvar="OCI_CLI_AUTH",
        help="api_key, security_token (oci session), instance_principal, resource_principal.",
        rich_help_panel=_PANEL,
    ),
]
RegionOption = Annotated[
    str | None,
    typer.Option(
        "--region",
        envvar="OCI_CLI_REGION",
        help="Region to call, overriding the profile's.",
        rich_help_panel=_PANEL,
        show_default=False,
    ),
]
EndpointOption = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        envvar="OCMP_ENDPOINT",
        help="Send every API call to this URL (e.g. a running `ocmp sandbox serve`).",
        rich_help_panel=_PANEL,
        show_default=False,
    ),
]
SandboxOption = Annotated[
    bool,
    typer.Option(
        "--sandbox",
        help="Start the built-in sandbox with a healthy demo tenancy and use it.",
        rich_help_panel=_PANEL,
    ),
]


@dataclass(frozen=True, slots=True)
class CloudOptions:
    """The cloud options of one command invocation."""

    config_file: Path | None = None
    profile: str | None = None
    auth: AuthMethod = AuthMethod.api_key
    region: str | None = None
    endpoint: str | None = None
    sandbox: bool = False


@contextmanager
def cloud_session(options: CloudOptions) -> Iterator[Clients]:
    """Yield a :class:`~ocmp.clients.Clients` bundle for ``options``.

    With ``--sandbox``, a sandbox runs for the duration of the block (in memory, demo seed)
    and its own config file and key are used, whatever the other options say.
    """
    from ocmp.clients import AuthSettings, Clients, ClientSettings, RetryPolicy

    retry = RetryPolicy.from_env()
    if not options.sandbox:
        auth = AuthSettings(
            method=options.auth,
            config_file=options.config_file,
            profile=options.profile,
            region=options.region,
        )
        yield Clients(ClientSettings(auth=auth, endpoint=options.endpoint, retry=retry))
        return

    from ocmp import console
    from ocmp.sandbox import Sandbox

    with Sandbox(seed="demo") as sb:
        console.err.print(f"[dim]using the built-in sandbox at {sb.endpoint}[/]", highlight=False)
        auth = AuthSettings(
            method=AuthMethod.api_key,
            config_file=Path(sb.config_file),
            profile=sb.profile,
            region=options.region,
        )
        yield Clients(ClientSettings(auth=auth, endpoint=sb.endpoint, retry=retry))
