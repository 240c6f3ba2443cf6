"""``ocmp --version`` against ``oci --version`` (both from this virtualenv), whole processes.

The two commands run in turn (A B A B …) after one warm-up run each, so that both see the
same load; the ratio A/B is taken pair by pair. Printed: wall and CPU seconds of each
(min, median, max; quote the median) and the pair ratios. Target: A/B wall ≤ 0.2.
Latest figures: bench/version.txt (and the README, Start-up).

    .venv/bin/python bench/version.py [RUNS] > bench/version.txt
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def one_run(command: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of ``command``."""
    before = os.times()
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user
           + after.children_system - before.children_system)
    return wall, cpu


def row(name: str, values: list[float]) -> str:
    return (f"{name:<10} {min(values):8.3f} {statistics.median(values):10.3f} "
            f"{max(values):10.3f}")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    a_cmd, b_cmd = [str(BIN / "ocmp"), "--version"], [str(BIN / "oci"), "--version"]
    one_run(a_cmd)
    one_run(b_cmd)
    a, b = [], []
    for _ in range(runs):
        a.append(one_run(a_cmd))
        b.append(one_run(b_cmd))
    print("A = ocmp --version")
    print("B = oci --version (oci-cli)")
    print(f"{runs} runs each, in turn; load average {os.getloadavg()[0]:.1f}, "
          f"cpus {os.cpu_count()}")
    print(f"{'':<10} {'min':>8} {'median':>10} {'max':>10}   (seconds; ratios pair by pair)")
    print(row("A wall", [w for w, _ in a]))
    print(row("A cpu", [c for _, c in a]))
    print(row("B wall", [w for w, _ in b]))
    print(row("B cpu", [c for _, c in b]))
    print(row("A/B wall", [x[0] / y[0] for x, y in zip(a, b, strict=True)]))
    print(row("A/B cpu", [x[1] / y[1] for x, y in zip(a, b, strict=True) if y[1]]))


if __name__ == "__main__":
    main()
