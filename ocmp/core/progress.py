"""The progress observer the publishing core calls; only the CLI draws it.

The core announces the list of steps once, then moves each step through
``doing`` → ``done`` (or ``skipped``/``failed``), reports waits (work requests,
reviews, Resource Manager jobs) with their elapsed time and percentage, and passes
on log lines worth showing (a PLAN job's Terraform output). It never prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol


class StepState(StrEnum):
    """Where a step is."""

    TODO = "todo"
    DOING = "doing"
    DONE = "done"
    PLANNED = "planned"  # a plan: the step would change something (nothing was written)
    SKIPPED = "skipped"  # nothing to change: the live state already matches
    FAILED = "failed"


class Reporter(Protocol):
    """What the publishing engine tells whoever watches it."""

    def begin(self, title: str, steps: Sequence[str]) -> None:
        """The run starts; ``steps`` are the names of every step, in order."""

    def step(self, name: str, state: StepState, detail: str = "") -> None:
        """A step changed state; ``detail`` says what was done (e.g. an OCID)."""

    def wait(self, what: str, elapsed: float, percent: float | None = None) -> None:
        """Still waiting on ``what`` after ``elapsed`` seconds (``percent`` when known)."""

    def log(self, line: str) -> None:
        """A line of output worth showing (e.g. a Resource Manager job log)."""

    def end(self) -> None:
        """The run is over (successfully or not)."""


class NullReporter:
    """A reporter that shows nothing: for ``--format json`` and for library use."""

    def begin(self, title: str, steps: Sequence[str]) -> None:
        """Ignore."""

    def step(self, name: str, state: StepState, detail: str = "") -> None:
        """Ignore."""

    def wait(self, what: str, elapsed: float, percent: float | None = None) -> None:
        """Ignore."""

    def log(self, line: str) -> None:
        """Ignore."""

    def end(self) -> None:
        """Ignore."""
