"""Findings: what a rule or a tenancy check reports, and the report that gathers them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Scope(StrEnum):
    """What a rule needs to run; the runner skips rules whose scope the input lacks."""

    LISTING = "listing"  # a listing.yaml (metadata, pricing, assets)
    STACK = "stack"  # a Terraform stack: a folder or a zip
    TENANCY = "tenancy"  # the live tenancy (``--online`` / ``ocmp doctor``)


class Severity(StrEnum):
    """How much a finding matters. Errors fail a run; warnings only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Order for sorting: errors first."""
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding points: a file (relative to where the user ran ocmp) and a line."""

    file: str | None = None
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule yields: the runner stamps it with the rule's id and severity."""

    message: str
    at: Location = Location()
    hint: str | None = None
    severity: Severity | None = None  # overrides the rule's default when set


@dataclass(frozen=True, slots=True)
class Finding:
    """One reported problem, in the shape of the JSON report."""

    rule: str
    severity: Severity
    message: str
    hint: str | None = None
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: every key always present."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
            "file": self.file,
            "line": self.line,
            "column": self.column,
        }

    def sort_key(self) -> tuple[str, int, int, int, str]:
        """File, then line, then severity, then rule."""
        return (self.file or "", self.line or 0, self.column or 0, self.severity.rank, self.rule)


@dataclass
class Report:
    """All findings of a run over one or more files."""

    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def extend(self, findings: Iterable[Finding]) -> None:
        """Add findings, keeping the report sorted and free of exact duplicates."""
        merged = set(self.findings)
        merged.update(findings)
        self.findings = sorted(merged, key=Finding.sort_key)

    def count(self, severity: Severity) -> int:
        """How many findings have this severity."""
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def errors(self) -> int:
        """Number of error findings."""
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        """Number of warning findings."""
        return self.count(Severity.WARNING)

    def failed(self, *, strict: bool = False) -> bool:
        """True when the run must exit 1: any error, or any warning under ``--strict``."""
        return self.errors > 0 or (strict and self.warnings > 0)

    def to_dict(self) -> dict[str, Any]:
        """The body of ``ocmp validate/doctor --format json`` (``ReportDoc``)."""
        return {
            "findings": [f.to_dict() for f in self.findings],
            "summary": {
                "errors": self.errors,
                "warnings": self.warnings,
                "files": len(self.files),
            },
            "files": list(self.files),
        }
