"""Start-up time of ocmp, compared with the oci-cli.

Prints the median wall time (min–max) and the median CPU time of N runs (default 10) of:
``ocmp --version``, ``ocmp validate examples/image-listing``, a cold ``ocmp validate`` of
the stack project ``ocmp init --kind stack`` writes (empty parse cache each run; target
well under 0.5 s) and, for comparison, ``oci --version`` from the oci-cli installed in the
same virtualenv. ocmp is compiled to bytecode first, as an installed wheel is (with
``PYTHONDONTWRITEBYTECODE`` set an editable checkout would compile itself in every run).
The load average is printed with the figures: on a busy machine wall time grows, CPU
time much less.

Usage: ``.venv/bin/python bench/startup.py [RUNS]``
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from validate_real import ensure_bytecode

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def measure(command: list[str], runs: int, cwd: Path, env: dict[str, str],
            fresh_cache: Path | None = None) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of ``runs`` executions (after one warm-up run); with
    ``fresh_cache`` each run gets an empty parse cache below it."""
    walls, cpus = [], []
    for run in range(runs + 1):
        if fresh_cache is not None:
            env = dict(env, OCMP_CACHE_DIR=str(fresh_cache / f"cache-{run}"))
        before = os.times()
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
        wall = time.perf_counter() - started
        after = os.times()
        if run:  # the first run warms the file cache
            walls.append(wall)
            cpus.append(after.children_user - before.children_user
                        + after.children_system - before.children_system)
    return walls, cpus


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    print(ensure_bytecode())
    env = dict(os.environ, NO_COLOR="1")
    with tempfile.TemporaryDirectory(prefix="ocmp-bench-startup-") as tmp:
        work = Path(tmp)
        subprocess.run([str(BIN / "ocmp"), "init", "stack-app", "--kind", "stack",
                        "--non-interactive"], cwd=work, check=True, capture_output=True)
        ocmp = str(BIN / "ocmp")
        results = {
            "ocmp --version": measure([ocmp, "--version"], runs, ROOT, env),
            "ocmp validate examples/image-listing": measure(
                [ocmp, "validate", "examples/image-listing"], runs, ROOT, env),
            "ocmp validate <stack project>, cold": measure(
                [ocmp, "validate", "stack-app"], runs, work, env, fresh_cache=work),
            "oci --version (oci-cli)": measure([str(BIN / "oci"), "--version"], runs, ROOT, env),
        }
    baseline = statistics.median(results["oci --version (oci-cli)"][0])
    print(f"median of {runs} runs, load average {os.getloadavg()[0]:.1f}, cpus {os.cpu_count()}")
    for name, (walls, cpus) in results.items():
        wall = statistics.median(walls)
        print(f"{name:<38} wall {wall * 1000:5.0f} ms ({min(walls) * 1000:.0f}–"
              f"{max(walls) * 1000:.0f})  cpu {statistics.median(cpus) * 1000:5.0f} ms  "
              f"{wall / baseline:5.2f}x oci --version")


if __name__ == "__main__":
    main()
