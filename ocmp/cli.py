"""The root of the command line: global options, command registration, and the ONE place
where ocmp errors become exit codes."""

from __future__ import annotations

import os
import signal
from types import FrameType
from typing import Annotated, Any

import typer
from typer import _click  # Typer 0.29 vendors Click; its Context is the one TyperGroup takes
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit, TyperException

from ocmp import __version__
from ocmp.commands._options import FORMAT_META_KEY, OutputFormat
from ocmp.errors import CloudError, ExitCode, InputError, OcmpError


class OcmpGroup(TyperGroup):
    """Root group: turns :class:`OcmpError` into its documented exit code.

    Done at the Click level (not around ``app()``) so that Click's test runner and
    ``python -m ocmp`` see the same behaviour. Usage errors stay Click's (exit 2).
    Anything else is a bug in ocmp: one line and exit 70 rather than a traceback, which
    ``OCMP_DEBUG=1`` brings back (Typer's, without locals).
    """

    def invoke(self, ctx: _click.Context) -> Any:
        from ocmp import console

        error: OcmpError
        try:
            return super().invoke(ctx)
        except (TyperException, Exit, Abort):
            raise  # Click's own: usage errors (2), explicit exits, Ctrl-C at a prompt
        except OcmpError as exc:
            error = exc
        except ConnectionError as exc:  # should have been translated by ocmp.clients already
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
            console.print_internal_error(exc)
            raise typer.Exit(int(ExitCode.INTERNAL)) from None
        console.print_error(error)
        if ctx.meta.get(FORMAT_META_KEY) == OutputFormat.json:
            console.print_json_error(error)
        raise typer.Exit(int(error.exit_code))


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
    signal.signal(signal.SIGTERM, _terminate)
    app()
