"""The root of the command line: global options, command registration, and the ONE place
where ocmp errors become exit codes."""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType
from typing import Annotated, Any, NoReturn

import typer
from typer import _click  # Typer 0.29 vendors Click; its Context is the one TyperGroup takes
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit, TyperException

from ocmp import __version__
from ocmp.commands._options import FORMAT_META_KEY, OutputFormat
from ocmp.errors import CloudError, ExitCode, InputError, OcmpError, WorkflowInterrupted


class OcmpGroup(TyperGroup):
    """Root group: turns :class:`OcmpError` into its documented exit code.

    Done at the Click level (not around ``app()``) so that Click's test runner and
    ``python -m ocmp`` see the same behaviour. Usage errors stay Click's (exit 2).
    Anything else is a bug in ocmp: one line and exit 70 rather than a traceback, which
    ``OCMP_DEBUG=1`` brings back (Typer's, without locals).
    """

    def invoke(self, ctx: _click.Context) -> Any:
        error: OcmpError
        try:
            return super().invoke(ctx)
        except (TyperException, Exit, Abort):
            raise  # Click's own: usage errors (2), explicit exits, Ctrl-C at a prompt
        except OcmpError as exc:
            error = exc
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM outside a publish's step loop
            command = ctx.invoked_subcommand or ""
            where = (
                # publish/plan name their own phase and step once they have started
                f"while starting `ocmp {command}`, before the first step; nothing was written"
                if command in ("publish", "plan")
                else f"`ocmp {command}` stopped before it finished"
            )
            error = WorkflowInterrupted(f"interrupted: {where}", hint="run the same command again")
        except ConnectionError as exc:  # should have been translated by ocmp.clients already
            if isinstance(exc, BrokenPipeError) and stdout_closed():
                quiet_exit()
            error = CloudError(str(exc), hint="check the endpoint and the network, then run again")
        except OSError as exc:  # the machine, not ocmp: a full disk, a permission, a vanished file
            error = InputError(
                exc.strerror or str(exc),
                file=str(exc.filename) if exc.filename else None,
                hint="check the path, its permissions and the free space, then run again",
            )
        except Exception as exc:
            if os.environ.get("OCMP_DEBUG"):
                raise
            from ocmp import console

            console.print_internal_error(exc)
            raise typer.Exit(int(ExitCode.INTERNAL)) from None
        try:
            from ocmp import console
        except KeyboardInterrupt:  # a second Ctrl-C while the console loads: plain text
            sys.stderr.write(f"error: {error.message}\n")
            raise typer.Exit(int(error.exit_code)) from None
        console.print_error(error)
        if ctx.meta.get(FORMAT_META_KEY) == OutputFormat.json:
            console.print_json_error(error)
        raise typer.Exit(int(error.exit_code))


    def make_context(self, info_name: str | None, args: list[str],
                     parent: _click.Context | None = None, **extra: Any) -> _click.Context:
        """Click's, but `ocmp --help | head -2` ends quietly (the root help is printed here)."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except BrokenPipeError:
            if stdout_closed():
                quiet_exit()
            raise
        except KeyboardInterrupt:  # Typer would exit 130 without a word
            sys.stderr.write("error: interrupted while starting; nothing was changed\n")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None


def stdout_closed() -> bool:
    """Whether stdout is a pipe whose reader has gone (``ocmp … | head``)."""
    import select

    try:
        fd = sys.stdout.fileno()
        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        return any(ev & (select.POLLERR | select.POLLHUP) for _, ev in poller.poll(0))
    except (AttributeError, ValueError, OSError):
        return False


def _on_broken_pipe(self: Any) -> None:
    # Rich's documented hook: its default exits 1. A reader that stopped reading (`ocmp …
    # --help | head -2`) is not a failure of ocmp: end quietly, like quiet_exit().
    self.quiet = True
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)
    raise SystemExit(int(ExitCode.OK))


def quiet_exit() -> NoReturn:
    """The reader stopped reading: end without a word, and without Python's complaint about
    flushing a closed pipe at exit (stdout now goes nowhere)."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)
    raise typer.Exit(int(ExitCode.OK))


app = typer.Typer(
    name="ocmp",
    cls=OcmpGroup,
    help="Oracle Cloud Marketplace listings as code: init, validate, package, publish.",
    no_args_is_help=True,
    # Locals in tracebacks could show key paths or pass phrases: never.
    pretty_exceptions_show_locals=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ocmp {__version__}")
        raise typer.Exit(int(ExitCode.OK))


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Oracle Cloud Marketplace listings as code."""


def _register() -> None:
    # Each command module owns its options; registration stays in this one list.
    from ocmp.commands import init, rules, schema, validate

    app.command("init")(init.init)
    app.command("validate")(validate.validate)
    app.add_typer(rules.app, name="rules")
    app.command("schema")(schema.schema)
    from ocmp.commands import publish

    app.command("plan")(publish.plan)
    app.command("publish")(publish.publish)
    from ocmp.commands import doctor, policy

    app.command("doctor")(doctor.doctor)
    app.command("policy")(policy.policy)
    from ocmp.commands import status

    app.command("status")(status.status)
    from ocmp.commands import terms

    app.add_typer(terms.app, name="terms")
    from ocmp.commands import diff

    app.command("diff")(diff.diff)
    from ocmp.commands import import_listing

    app.command("import")(import_listing.import_listing)
    from ocmp.commands import package

    app.command("package")(package.package)
    from ocmp.commands import sandbox

    app.add_typer(sandbox.app, name="sandbox")
    from ocmp.commands import stack

    app.add_typer(stack.app, name="stack")


_register()


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Console-script entry point."""
    # A cancelled CI job gets SIGTERM: handle it like Ctrl-C, so that `ocmp publish` says
    # where it stopped and exits 5 (journal saved) instead of dying silently with 143.
    # (`python -m ocmp` installs it earlier still, before the imports.)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        import rich.console

        rich.console.Console.on_broken_pipe = _on_broken_pipe  # type: ignore[method-assign]
        app()
    except KeyboardInterrupt:  # between Click's parsing and our command: nothing started
        sys.stderr.write("error: interrupted while starting; nothing was changed\n")
        sys.exit(int(ExitCode.INTERRUPTED))
