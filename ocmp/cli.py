"""The root of the command line: global options, command registration, the help's shape,
and the ONE place where ocmp errors become exit codes."""

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
from ocmp.commands._help import polish
from ocmp.errors import CloudError, ExitCode, InputError, OcmpError, WorkflowInterrupted


class OcmpGroup(TyperGroup):
    """Root group: turns :class:`OcmpError` into its documented exit code.

    Done at the Click level (not around ``app()``) so that Click's test runner and
    ``python -m ocmp`` see the same behaviour. Usage errors stay Click's (exit 2), with
    an error document first when a document format was asked for. Anything else is a bug
    in ocmp: one line and exit 70 rather than a traceback, which ``OCMP_DEBUG=1`` brings
    back (Typer's, without locals).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        polish(self)  # plain metavars, examples (see ocmp.commands._help)

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        ctx.meta[_ARGV] = list(args)  # for a usage error's document (see _usage_document)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: _click.Context) -> Any:
        error: OcmpError
        try:
            return super().invoke(ctx)
        except _click.exceptions.UsageError as exc:
            _usage_document(ctx, exc)
            raise
        except (TyperException, Exit, Abort):
            raise  # Click's own: explicit exits, Ctrl-C at a prompt
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
            from ocmp.core.documents import error_doc

            console.emit_error(
                error_doc("internal", int(ExitCode.INTERNAL), f"{type(exc).__name__}: {exc}",
                          "this is a bug in ocmp; re-run with OCMP_DEBUG=1 for the traceback")
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None
        try:
            from ocmp import console
        except KeyboardInterrupt:  # a second Ctrl-C while the console loads: plain text
            sys.stderr.write(f"error: {error.message}\n")
            raise typer.Exit(int(error.exit_code)) from None
        console.emit_error(error)
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


_ARGV = "ocmp.argv"


def _usage_document(ctx: _click.Context, exc: _click.exceptions.UsageError) -> None:
    """``--format json`` (etc.) and a usage error: the error document, then Click's message.

    The option may not have been processed yet when parsing failed, so it is also looked
    for in the raw arguments.
    """
    from ocmp import console
    from ocmp.core.documents import error_doc
    from ocmp.formats import COMMAND_META_KEY, FORMAT_META_KEY, OutputFormat

    if FORMAT_META_KEY not in ctx.meta:
        args = ctx.meta.get(_ARGV, [])
        for i, arg in enumerate(args):
            value = None
            if arg in ("--format", "-f") and i + 1 < len(args):
                value = args[i + 1]
            elif arg.startswith("--format="):
                value = arg.partition("=")[2]
            if value is not None and value in OutputFormat.__members__:
                ctx.meta[FORMAT_META_KEY] = OutputFormat(value)
    if ctx.meta.get(FORMAT_META_KEY, OutputFormat.human) is OutputFormat.human:
        return
    if exc.ctx is not None and COMMAND_META_KEY not in ctx.meta:
        ctx.meta[COMMAND_META_KEY] = console.command_name(exc.ctx)
    console.emit_error(error_doc("usage", int(ExitCode.USAGE), exc.format_message()))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ocmp {__version__}")
        raise typer.Exit(int(ExitCode.OK))


_EPILOG = ("Docs: README.md; `ocmp rules explain ID`; `ocmp sandbox docs`; `ocmp schema`. "
           "Exit codes: 0 ok, 1 findings, 2 usage, 3 bad input, 4 cloud/API error, "
           "5 interrupted (re-run resumes), 70 internal error.")


def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="No progress, notes or summaries on stderr; errors still."
        ),
    ] = False,
) -> None:
    """Oracle Cloud Marketplace listings as code."""
    from ocmp import console

    console.set_quiet(quiet)  # set every run: in-process test runs share the console
    console.install_log_handler()


# One line each in `ocmp --help` (the docstring's first line is the command's own help).
SHORT_HELP = {
    "init": "Create a listing project that passes validation.",
    "validate": "Check listing projects offline against the rule catalogue.",
    "schema": "Print the JSON Schema of listing.yaml.",
    "plan": "Show what `ocmp publish` would change.",
    "publish": "Create or update the listing; submit and publish it.",
    "doctor": "Check the tenancy and the listing's live prerequisites.",
    "policy": "Print or apply the Marketplace IAM policy.",
    "status": "Show the listing's revisions, packages and review notes.",
    "diff": "Show where the live listing differs from listing.yaml.",
    "import": "Create a listing project from a live listing.",
    "package": "Build the stack zip Marketplace expects.",
    "rules": "List the validation rules; explain one.",
    "terms": "List or push the terms of use.",
    "sandbox": "Run the local emulator of the OCI APIs.",
    "stack": "Verify a stack in Resource Manager; subscribe it to images.",
    "withdraw": "Take the listing off the Marketplace (withdraw its revision).",
    "unpublish": "Retire one package version; the listing stays published.",
    "delete": "Delete a listing that is not published, with everything in it.",
    "leads": "Export the leads of your listings (table, JSON, CSV).",
    "report": "Install and payout reports (table, JSON, CSV).",
}


# Command → (module of ocmp.commands, attribute, whether it is a group), in help order.
COMMANDS: dict[str, tuple[str, str, bool]] = {
    "init": ("init", "init", False),
    "validate": ("validate", "validate", False),
    "rules": ("rules", "app", True),
    "schema": ("schema", "schema", False),
    "plan": ("publish", "plan", False),
    "publish": ("publish", "publish", False),
    "doctor": ("doctor", "doctor", False),
    "policy": ("policy", "policy", False),
    "status": ("status", "status", False),
    "terms": ("terms", "app", True),
    "diff": ("diff", "diff", False),
    "import": ("import_listing", "import_listing", False),
    "package": ("package", "package", False),
    "sandbox": ("sandbox", "app", True),
    "stack": ("stack", "app", True),
    "withdraw": ("retire", "withdraw", False),
    "unpublish": ("retire", "unpublish", False),
    "delete": ("retire", "delete", False),
    "leads": ("reports", "leads", False),
    "report": ("reports", "app", True),
}


def build_app(only: str | None = None) -> typer.Typer:
    """The command tree: every command, or just ``only`` (what one run of ``ocmp NAME``
    needs: Typer builds the options of every registered command on each run, and importing
    and building all twenty costs a cold `ocmp validate` about a fifth of its time)."""
    import importlib

    app = typer.Typer(
        name="ocmp",
        cls=OcmpGroup,
        help="Oracle Cloud Marketplace listings as code: init, validate, package, publish.",
        no_args_is_help=True,
        # Locals in tracebacks could show key paths or pass phrases: never.
        pretty_exceptions_show_locals=False,
        rich_markup_mode="rich",
    )
    app.callback(epilog=_EPILOG)(root)
    # Each command module owns its options; registration stays in this one table.
    for name, (module, attribute, is_group) in COMMANDS.items():
        if only is not None and name != only:
            continue
        target = getattr(importlib.import_module(f"ocmp.commands.{module}"), attribute)
        if is_group:
            app.add_typer(target, name=name, short_help=SHORT_HELP[name])
        else:
            app.command(name, short_help=SHORT_HELP[name])(target)
    return app


_ROOT_FLAGS = ("--quiet", "-q")


def _command_of(argv: list[str]) -> str | None:
    """The command a run names (``ocmp -q validate …`` → ``validate``), or None when the
    whole tree is needed (root help, completion, a misspelt command's suggestions)."""
    for arg in argv:
        if arg in _ROOT_FLAGS:
            continue
        return arg if arg in COMMANDS else None
    return None


_FULL: typer.Typer | None = None


def __getattr__(name: str) -> Any:
    # `ocmp.cli.app`, the whole tree, is built on first use (tests and tools invoke it).
    global _FULL
    if name == "app":
        if _FULL is None:
            _FULL = build_app()
        return _FULL
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
        command = _command_of(sys.argv[1:])
        (build_app(command) if command is not None else __getattr__("app"))()
    except KeyboardInterrupt:  # between Click's parsing and our command: nothing started
        sys.stderr.write("error: interrupted while starting; nothing was changed\n")
        sys.exit(int(ExitCode.INTERRUPTED))
