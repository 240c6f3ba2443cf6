"""`ocmp sandbox`: run the local OCI emulator, and steer a running one."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ocmp.commands._options import FormatOption, at_least, choice_of

if TYPE_CHECKING:
    from ocmp.sandbox.admin_client import AdminClient

app = typer.Typer(help="A local emulator of the OCI APIs ocmp uses "
                  "(`ocmp sandbox docs` prints its documentation).",
                  no_args_is_help=True)

EndpointOption = Annotated[
    str | None,
    typer.Option("--endpoint", envvar="OCMP_ENDPOINT",
                 help="The running sandbox (http://127.0.0.1:PORT); default $OCMP_ENDPOINT."),
]


class ReviewMode(StrEnum):
    """How the simulated reviewer treats submitted revisions."""

    auto = "auto"
    reject = "reject"
    manual = "manual"


def _admin(endpoint: str | None) -> AdminClient:
    from ocmp.errors import InputError
    from ocmp.sandbox.admin_client import AdminClient

    if not endpoint:
        raise InputError("no sandbox endpoint given",
                         hint="pass --endpoint http://127.0.0.1:PORT or set OCMP_ENDPOINT")
    return AdminClient(endpoint)


def _control(action: Any) -> Any:
    """Run an admin call, turning its failures into ocmp errors (exit 4)."""
    from ocmp.errors import CloudError
    from ocmp.sandbox.admin_client import ControlError

    try:
        return action()
    except ControlError as exc:
        raise CloudError(str(exc), status=exc.status,
                         hint="is `ocmp sandbox serve` running at that endpoint?") from None


def _read_seed(path: Path) -> dict[str, Any]:
    from ocmp.errors import InputError
    from ocmp.sandbox.core.store import Store
    from ocmp.sandbox.seed import SeedError, apply_seed, load_seed

    try:
        data = load_seed(path)
        apply_seed(Store(), data)  # a dry run in memory: shape errors are input errors here
        return data
    except SeedError as exc:
        raise InputError(str(exc).removeprefix(f"{path}: "), file=str(path), line=exc.line,
                         hint="see the seed shape in `ocmp sandbox docs`") from None


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Loopback address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 = any free port).")] = 0,
    state: Annotated[Path | None, typer.Option(
        "--state", help="SQLite file that keeps state across restarts (default: in memory).")
    ] = None,
    config_dir: Annotated[Path | None, typer.Option(
        "--config-dir", help="Where to write the throw-away API key and OCI config file.")
    ] = None,
    seed: Annotated[Path | None, typer.Option(
        "--seed", help="Seed YAML (default: the healthy demo tenancy).")] = None,
    empty: Annotated[bool, typer.Option("--empty", help="Start with no seed at all.")] = False,
    latency: Annotated[float, typer.Option(help="Seconds added to every request.")] = 0.0,
) -> None:
    """Serve the sandbox until SIGINT/SIGTERM; first stdout line: endpoint=… config=… profile=…"""
    import signal
    import sqlite3
    import threading

    from ocmp.errors import InputError
    from ocmp.sandbox import Sandbox

    if host not in ("127.0.0.1", "localhost"):
        raise InputError(f"--host {host}: the sandbox only binds to loopback",
                         hint="use 127.0.0.1")
    # Relative paths are the caller's current directory's; the lines printed below name them
    # whole, so the config file they point at works from anywhere.
    state = state.absolute() if state is not None else None
    config_dir = config_dir.absolute() if config_dir is not None else None
    if state is not None and not state.parent.is_dir():
        raise InputError("--state: its folder does not exist", file=str(state),
                         hint="create the folder, or give --state a file in an existing one")
    if config_dir is not None and config_dir.exists() and not config_dir.is_dir():
        raise InputError("--config-dir: not a folder", file=str(config_dir),
                         hint="give --config-dir a folder (it is created when missing)")
    data: Any = None if empty else (_read_seed(seed) if seed else "demo")
    try:
        sb = Sandbox(state_file=state, seed=data, config_dir=config_dir, host=host, port=port,
                     latency=latency)
    except sqlite3.DatabaseError as exc:
        raise InputError(f"not a usable state file ({exc})", file=str(state)) from None
    except OSError as exc:
        raise InputError(f"cannot serve: {exc.strerror or exc}",
                         hint="choose another --port or --config-dir") from None
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    sb.start()
    typer.echo(f"endpoint={sb.endpoint} config={sb.config_file} profile={sb.profile}")
    typer.echo(f"  oci-cli: oci --config-file {sb.config_file} --profile {sb.profile} "
               f"--endpoint {sb.endpoint} iam region-subscription list --tenancy-id "
               f"{sb.tenancy_id}")
    typer.echo(f"  ocmp:    ocmp doctor --endpoint {sb.endpoint} --config-file {sb.config_file} "
               f"--profile {sb.profile}")
    typer.echo(f"           (or export OCMP_ENDPOINT={sb.endpoint} OCI_CLI_CONFIG_FILE="
               f"{sb.config_file} OCI_CLI_PROFILE={sb.profile})")
    typer.echo(f"  tenancy {sb.tenancy_id}; stop with Ctrl-C")
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sb.stop()
        signal.signal(signal.SIGTERM, previous)
    where = f"state saved in {state}" if state else "state was in memory"
    typer.echo(f"sandbox stopped; {where}", err=True)


@app.command("seed")
def seed_command(
    file: Annotated[Path, typer.Argument(help="Seed YAML to merge into the running sandbox.")],
    endpoint: EndpointOption = None,
) -> None:
    """Merge a seed file into a running sandbox."""
    data = _read_seed(file)
    admin = _admin(endpoint)
    result = _control(lambda: admin.seed(data))
    typer.echo(f"seeded tenancy {result['tenancyId']}", err=True)


@app.command("reset")
def reset(
    endpoint: EndpointOption = None,
    seed: Annotated[Path | None, typer.Option(help="Seed YAML instead of the demo.")] = None,
    empty: Annotated[bool, typer.Option("--empty", help="Leave the sandbox empty.")] = False,
) -> None:
    """Drop all state of a running sandbox and re-seed it."""
    data: Any = None if empty else (_read_seed(seed) if seed else "demo")
    admin = _admin(endpoint)
    _control(lambda: admin.reset(data))
    typer.echo("sandbox reset", err=True)


@app.command("review")
def review(
    revision_id: Annotated[str | None, typer.Argument(
        help="Decide this revision now; without it, set how the reviewer behaves.")] = None,
    reject: Annotated[bool, typer.Option("--reject", help="Reject instead of approve.")] = False,
    note: Annotated[str | None, typer.Option(help="The reviewer's note.")] = None,
    mode: Annotated[ReviewMode | None, typer.Option(
        help="Reviewer behaviour.", metavar="auto|reject|manual",
        parser=choice_of(ReviewMode))] = None,
    after_polls: Annotated[int, typer.Option(help="Polls before an auto decision (0 or more).",
                                                  callback=at_least(0))] = 3,
    endpoint: EndpointOption = None,
) -> None:
    """Approve/reject a revision under review, or set the simulated reviewer's behaviour."""
    admin = _admin(endpoint)
    if revision_id is not None:
        decision = "reject" if reject else "approve"
        result = _control(lambda: admin.review(revision_id, decision, note))
        typer.echo(f"{result['id']}: {result['status']}", err=True)
        return
    if mode is None:  # neither a decision nor a behaviour: a usage error (exit 2)
        raise typer.BadParameter("give a REVISION_ID to decide, or --mode to set the reviewer")
    _control(lambda: admin.set_reviewer(mode.value, after_polls, note))
    typer.echo(f"reviewer: {mode.value} after {after_polls} polls", err=True)


@app.command("faults")
def faults(
    method: Annotated[str, typer.Option(help="HTTP method to match, or *.")] = "*",
    path: Annotated[str, typer.Option(help="Regular expression matched in the path.")] = ".*",
    status: Annotated[int, typer.Option(help="Status to answer (0: delay/drop only).")] = 503,
    count: Annotated[int, typer.Option(help="How many requests it hits (-1: forever).")] = 1,
    code: Annotated[str, typer.Option(help="OCI error code (default from status).")] = "",
    delay: Annotated[float, typer.Option(help="Seconds to wait first.")] = 0.0,
    drop: Annotated[bool, typer.Option("--drop", help="Cut the connection.")] = False,
    clear: Annotated[bool, typer.Option("--clear", help="Disarm every fault.")] = False,
    endpoint: EndpointOption = None,
) -> None:
    """Inject faults into a running sandbox (N × 429/500/503, delays, dropped connections)."""
    admin = _admin(endpoint)
    if clear:
        _control(admin.clear_faults)
        typer.echo("faults cleared", err=True)
        return
    armed = _control(lambda: admin.add_fault(method=method.upper(), path_regex=path,
                                             status=status, count=count, code=code, delay=delay,
                                             drop_connection=drop))
    typer.echo(f"armed: {armed['method']} {armed['path_regex']} → {armed['status']} "
               f"{armed['code']} ×{armed['count']}", err=True)


@app.command("stats")
def stats(endpoint: EndpointOption = None, output: FormatOption = None) -> None:
    """Request counters of a running sandbox."""
    from ocmp import console

    admin = _admin(endpoint)
    result = _control(admin.stats)
    def human() -> None:
        typer.echo(f"requests {result['requests']}, writes {result['writes']}")
        for route, count in sorted(result["by_route"].items()):
            typer.echo(f"{count:6d}  {route}")

    console.emit(result, human=human)


@app.command("docs")
def docs() -> None:
    """Print the sandbox's documentation (Markdown): every emulated operation, the seed
    format, fault injection and how it differs from Oracle's services."""
    from ocmp.sandbox.docs import render

    typer.echo(render(), nl=False)

