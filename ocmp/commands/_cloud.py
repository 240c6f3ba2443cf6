"""Cloud options shared by every command that talks to OCI, and the session that uses them.

A command takes one ``cloud: CloudOptions`` parameter and is decorated with
:func:`cloud_options`, which puts the six options (``--config-file``, ``--profile``,
``--auth``, ``--region``, ``--endpoint``, ``--sandbox``) in its signature for Typer and
hands the command one :class:`CloudOptions`::

    @cloud_options
    def doctor(path: ..., output: FormatOption = OutputFormat.human, *,
               cloud: CloudOptions) -> None:
        with cloud_session(cloud) as clients:
            ...

``--sandbox`` starts :class:`ocmp.sandbox.Sandbox` in-process with the healthy demo tenancy
and points every client at it; that glue lives here so that ``ocmp.clients`` never depends
on the sandbox. Heavy modules are imported inside functions so that ``ocmp --version``
stays fast.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from ocmp.clients.credentials import AuthMethod

if TYPE_CHECKING:
    from ocmp.clients import Clients

R = TypeVar("R")

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


# The options' Typer declarations, by CloudOptions field name (same order).
_OPTION_TYPES: dict[str, Any] = {
    "config_file": ConfigFileOption,
    "profile": ProfileOption,
    "auth": AuthOption,
    "region": RegionOption,
    "endpoint": EndpointOption,
    "sandbox": SandboxOption,
}


def cloud_options(command: Callable[..., R]) -> Callable[..., R]:
    """Give ``command`` the six cloud options; it receives them as ``cloud: CloudOptions``.

    Typer builds a command's options from ``inspect.signature``, which honours
    ``__signature__``: the wrapper's signature is the command's own without ``cloud``,
    followed by one keyword-only parameter per :class:`CloudOptions` field (annotated with
    the option declarations above, defaulting to the field's default).

    Raises:
        TypeError: ``command`` has no ``cloud`` parameter (a programming error).
    """
    own = inspect.signature(command, eval_str=True)
    if "cloud" not in own.parameters:
        raise TypeError(f"{command.__name__} needs a `cloud: CloudOptions` parameter")
    added = [
        inspect.Parameter(
            f.name,
            inspect.Parameter.KEYWORD_ONLY,
            default=f.default,
            annotation=_OPTION_TYPES[f.name],
        )
        for f in fields(CloudOptions)
    ]
    kept = [p for p in own.parameters.values() if p.name != "cloud"]
    signature = own.replace(parameters=[*kept, *added])

    @functools.wraps(command)
    def with_cloud(*args: Any, **kwargs: Any) -> R:
        cloud = CloudOptions(**{name: kwargs.pop(name) for name in _OPTION_TYPES if name in kwargs})
        return command(*args, cloud=cloud, **kwargs)

    with_cloud.__signature__ = signature  # type: ignore[attr-defined]
    with_cloud.__annotations__ = {p.name: p.annotation for p in signature.parameters.values()}
    with_cloud.__annotations__["return"] = signature.return_annotation
    return with_cloud


SANDBOX_KEEP = (
    "`--sandbox` starts a fresh sandbox for each command and forgets it when the command "
    "ends; to keep one across commands, run `ocmp sandbox serve --state .sandbox.sqlite` in "
    "another terminal and pass `--endpoint <the URL it prints>` instead"
)


def sandbox_hint(options: CloudOptions, what: str) -> None:
    """With ``--sandbox``, tell the user (on stderr) that its state is gone after ``what``."""
    if not options.sandbox:
        return
    from ocmp import console

    console.err.print(f"[dim]note: {what}: {SANDBOX_KEEP}[/]", highlight=False)


def targets_sandbox(options: CloudOptions) -> bool:
    """Whether the calls go to a sandbox: ``--sandbox``, or an endpoint on this machine (the
    sandbox listens on loopback only; Oracle's services never do)."""
    if options.sandbox:
        return True
    if not options.endpoint:
        return False
    import ipaddress
    from urllib.parse import urlsplit

    try:
        host = urlsplit(options.endpoint).hostname or ""
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name other than localhost, or a malformed URL
        return False


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
