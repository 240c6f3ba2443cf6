"""`python -m ocmp` is the same as the `ocmp` console script."""

import signal
import sys


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


# SIGTERM is handled before the (slow) imports, so that a CI job cancelled in the first
# second still ends with exit 5 and a message, never a silent 143.
signal.signal(signal.SIGTERM, _terminate)
try:
    from ocmp.cli import main

    main()  # handles its own interruptions; this catches one during the imports above
except KeyboardInterrupt:
    sys.stderr.write("error: interrupted while starting; nothing was changed\n")
    sys.exit(5)
