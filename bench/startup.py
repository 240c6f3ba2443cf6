"""Start-up time of ocmp, compared with the oci-cli.

Prints the median wall time of N runs (default 10) of:
``ocmp --version``, ``ocmp validate examples/image-listing`` and, for comparison,
``oci --version`` from the oci-cli installed in the same virtualenv.

Usage: ``.venv/bin/python bench/startup.py [RUNS]``
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def median_seconds(command: list[str], runs: int) -> float:
    """Median wall time of ``runs`` executions (after one warm-up run)."""
    subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    commands = {
        "ocmp --version": [str(BIN / "ocmp"), "--version"],
        "ocmp validate examples/image-listing": [
            str(BIN / "ocmp"),
            "validate",
            "examples/image-listing",
        ],
        "oci --version (oci-cli)": [str(BIN / "oci"), "--version"],
    }
    results = {name: median_seconds(cmd, runs) for name, cmd in commands.items()}
    baseline = results["oci --version (oci-cli)"]
    print(f"median of {runs} runs")
    for name, seconds in results.items():
        print(f"{name:<40} {seconds * 1000:8.0f} ms  {seconds / baseline:5.2f}x oci --version")


if __name__ == "__main__":
    main()
