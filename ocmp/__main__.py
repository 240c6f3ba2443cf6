"""`python -m ocmp` and the `ocmp` console script.

``ocmp --version`` is answered here, before the command tree (Typer, Rich, pydantic) is
imported: CI images print it in every job, and it should cost a Python start-up, not a
CLI's. Everything else goes to :func:`ocmp.cli.main`.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:] == ["--version"]:
        from ocmp import __version__

        sys.stdout.write(f"ocmp {__version__}\n")
        return
    from ocmp.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
