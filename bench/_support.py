"""What the sandbox benchmarks share: where the tools are, their environment, a stopwatch.

Imported as ``from _support import …`` (the benchmarks run as scripts from ``bench/``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ocmp.sandbox import Sandbox

BIN = Path(sys.executable).parent  # ocmp and oci of this venv


def sandbox_env(sb: Sandbox) -> dict[str, str]:
    """The environment that points both ocmp and the oci-cli at ``sb``, quietly."""
    return {
        **os.environ,
        "OCMP_ENDPOINT": sb.endpoint,
        "OCI_CLI_CONFIG_FILE": str(sb.config_file),
        "OCI_CLI_PROFILE": sb.profile,
        "OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING": "True",
        "SUPPRESS_LABEL_WARNING": "True",
        "NO_COLOR": "1",
    }


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    """Wall seconds of one run of ``cmd``; a failed run ends the benchmark with its output."""
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{cmd[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return elapsed


@contextmanager
def scratch_dir() -> Iterator[Path]:
    """A temporary working directory, removed afterwards."""
    work = Path(tempfile.mkdtemp(prefix="ocmp-bench-"))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def init_project(work: Path, name: str, kind: str) -> Path:
    """``ocmp init NAME --kind KIND --non-interactive`` in ``work``; the project directory."""
    subprocess.run(
        [str(BIN / "ocmp"), "init", name, "--kind", kind, "--non-interactive"],
        cwd=work,
        check=True,
        capture_output=True,
    )
    return work / name
