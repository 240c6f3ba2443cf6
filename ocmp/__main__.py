"""`python -m ocmp` and the `ocmp` console script.

``ocmp --version`` is answered here, before the command tree (Typer, Rich, pydantic) is
imported: CI images print it in every job, and it should cost a Python start-up, not a
CLI's. SIGTERM is handled before the (slow) imports too, so that a CI job cancelled in its
first second still ends with exit 5 and a message, never a silent 143. Everything else goes
to :func:`ocmp.cli.main`.
"""

from __future__ import annotations

import signal
import sys


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _forget_caught_interrupt() -> None:
    """Keep the exit code ocmp chose after it caught a Ctrl-C or SIGTERM.

    CPython marks a KeyboardInterrupt that leaves code run by ``exec`` of a string as
    unhandled, even when ocmp catches it further up; dataclasses, namedtuples and pydantic
    build their methods that way while a module imports, and ocmp imports lazily, so a
    signal can land there at any moment of a run. Under ``python -m`` the interpreter then
    ends the process by SIGINT (-2, 130 in a shell) instead of with exit 5. Every such
    ``exec`` first clears the mark, so one empty ``exec`` once the exit code is decided
    clears it.
    """
    exec("")


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:] == ["--version"]:
        from ocmp import __version__

        sys.stdout.write(f"ocmp {__version__}\n")
        return
    signal.signal(signal.SIGTERM, _terminate)
    try:
        from ocmp.cli import main as cli_main

        cli_main()  # handles its own interruptions; this catches one during the imports
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted while starting; nothing was changed\n")
        sys.exit(5)
    finally:
        _forget_caught_interrupt()


if __name__ == "__main__":
    main()
