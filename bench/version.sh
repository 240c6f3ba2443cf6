#!/bin/sh
# `ocmp --version` against `oci --version` (both from .venv), with the harness's timer.
# Target: A/B wall <= 0.2. Latest figures: bench/version.txt (and the README, Start-up).
PATH="$(dirname "$0")/../.venv/bin:$PATH" exec farm-bench -n 10 --vs 'oci --version' -- ocmp --version
