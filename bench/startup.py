"""Start-up time of ocmp, compared with the oci-cli.

Prints the median wall time (min–max) and the median CPU time of N runs (default 10) of:
``ocmp --version``, ``ocmp validate examples/image-listing``, a cold ``ocmp validate`` of
the stack project ``ocmp init --kind stack`` writes (empty parse cache each run; target
well under 0.5 s) and, for comparison, ``oci --version`` from the oci-cli installed in the
same virtualenv. ocmp is compiled to bytecode first, as an installed wheel is (with
``PYTHONDONTWRITEBYTECODE`` set an editable checkout would compile itself in every run).
The load average is printed with the figures: on a busy machine wall time grows, CPU
time much less.

With ``--baseline CHECKOUT`` (another checkout of ocmp, e.g. ``git worktree add ../base main``)
each ocmp command runs in turn with this checkout and with that one (``PYTHONPATH``, same
virtualenv and dependencies), and the ratios this/baseline are taken pair by pair, so that
both see the same load.

Usage: ``.venv/bin/python bench/startup.py [RUNS] [--baseline CHECKOUT]``
"""

from __future__ import annotations

import argparse
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


def spread(values: list[float], unit: float = 1000) -> str:
    """median (min–max), in ms by default."""
    return (f"{statistics.median(values) * unit:5.0f} ({min(values) * unit:.0f}–"
            f"{max(values) * unit:.0f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", type=int, nargs="?", default=10)
    parser.add_argument("--baseline", type=Path, help="another ocmp checkout to compare with")
    args = parser.parse_args()
    runs = args.runs
    print(ensure_bytecode())
    env = dict(os.environ, NO_COLOR="1")
    if args.baseline is not None:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(args.baseline / "ocmp")],
                       capture_output=True, check=True)
    with tempfile.TemporaryDirectory(prefix="ocmp-bench-startup-") as tmp:
        work = Path(tmp)
        subprocess.run([str(BIN / "ocmp"), "init", "stack-app", "--kind", "stack",
                        "--non-interactive"], cwd=work, check=True, capture_output=True)
        ocmp = str(BIN / "ocmp")
        commands = {
            "ocmp --version": ([ocmp, "--version"], ROOT, None),
            "ocmp validate examples/image-listing": (
                [ocmp, "validate", "examples/image-listing"], ROOT, None),
            "ocmp validate <stack project>, cold": (
                [ocmp, "validate", "stack-app"], work, work),
        }
        if args.baseline is None:
            results = {name: measure(cmd, runs, cwd, env, cache)
                       for name, (cmd, cwd, cache) in commands.items()}
            results["oci --version (oci-cli)"] = measure([str(BIN / "oci"), "--version"], runs,
                                                         ROOT, env)
        else:
            base_env = dict(env, PYTHONPATH=str(args.baseline.resolve()))
            paired = {}
            for name, (cmd, cwd, cache) in commands.items():
                ours, theirs = ([], []), ([], [])
                for _ in range(runs):  # in turn: both see the same load
                    for into, run_env in ((ours, env), (theirs, base_env)):
                        walls, cpus = measure(cmd, 1, cwd, run_env, cache)
                        into[0].extend(walls)
                        into[1].extend(cpus)
                paired[name] = (ours, theirs)
    print(f"median of {runs} runs, load average {os.getloadavg()[0]:.1f}, cpus {os.cpu_count()}")
    if args.baseline is not None:
        print(f"this checkout against {args.baseline} (ms, median (min–max); ratios pair by pair)")
        for name, ((walls, cpus), (base_walls, base_cpus)) in paired.items():
            wall_ratio = [a / b for a, b in zip(walls, base_walls, strict=True)]
            cpu_ratio = [a / b for a, b in zip(cpus, base_cpus, strict=True) if b]
            print(f"{name:<38} wall {spread(walls)} vs {spread(base_walls)}  "
                  f"cpu {spread(cpus)} vs {spread(base_cpus)}")
            print(f"{'':<38} ratio wall {statistics.median(wall_ratio):.2f} "
                  f"({min(wall_ratio):.2f}–{max(wall_ratio):.2f}), cpu "
                  f"{statistics.median(cpu_ratio):.2f} ({min(cpu_ratio):.2f}–{max(cpu_ratio):.2f})")
        return
    baseline = statistics.median(results["oci --version (oci-cli)"][0])
    for name, (walls, cpus) in results.items():
        wall = statistics.median(walls)
        print(f"{name:<38} wall {spread(walls)} ms  cpu {statistics.median(cpus) * 1000:5.0f} ms  "
              f"{wall / baseline:5.2f}x oci --version")


if __name__ == "__main__":
    main()
