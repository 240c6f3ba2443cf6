"""The one error tree of ocmp.

Every error a user can cause or meet derives from :class:`OcmpError` and carries the
exit code documented in the README. Only ``ocmp.cli`` turns these into exit codes;
findings of ``validate``/``doctor`` are results, not exceptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Protocol

# What must never reach a terminal, a log or a JSON document, whatever produced the text.
_SECRETS = [
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)",
                re.S), "[private key redacted]"),
    (re.compile(r"(?<=://)([^/@\s:]+):([^/@\s]+)@"), r"\1:***@"),  # user:password@ in a URL
    (re.compile(r"(?i)\b(pass_?phrase|password|secret|token|authorization)(\s*[=:]\s*)"
                r"(\"[^\"]*\"|'[^']*'|\S+)"), r"\1\2***"),
    (re.compile(r"\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]+"), "***"),  # a JWT (session token)
]


def redact(text: str) -> str:
    """``text`` with private keys, pass phrases, tokens and URL passwords masked."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class ExitCode(IntEnum):
    """The documented exit codes (README, "Exit codes")."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    INVALID_INPUT = 3
    CLOUD = 4
    INTERRUPTED = 5
    INTERNAL = 70  # a bug in ocmp (sysexits' EX_SOFTWARE); never used for the user's input


class PartialOutcome(Protocol):
    """What a publish or retiring run reached before it stopped
    (:class:`ocmp.core.publish.engine.Outcome`)."""

    def to_dict(self) -> dict[str, Any]:
        """Its JSON form."""
        ...


class OcmpError(Exception):
    """Base of all ocmp errors: a one-line message, an optional hint, an exit code."""

    exit_code: ExitCode = ExitCode.INVALID_INPUT
    kind = "input"  # the ``type`` of the JSON error object
    # Set by the publish engine on every error that stops a run: how far the run got (its
    # changes, ids, steps), so that the error document can carry it.
    outcome: PartialOutcome | None = None

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        # Redacted once, here: every way an error is shown starts from these two.
        message = redact(message)
        super().__init__(message)
        self.message = message
        self.hint = redact(hint) if hint else hint

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, Any]:
        """The ``error`` object of a failed run's JSON document (``ErrorDoc`` in
        :mod:`ocmp.core.documents`): every key always present, ``None`` where it does not
        apply, so that CI reads one shape whatever failed."""
        return {
            "type": self.kind,
            "exit_code": int(self.exit_code),
            "message": self.message,
            "hint": self.hint,
            "file": None,
            "line": None,
            "path": None,
            "status": None,
            "code": None,
            "opc_request_id": None,
            "operation": None,
            "problems": [],
        }


@dataclass(frozen=True)
class InputProblem:
    """One problem of an input: where it is and what is wrong (a listing.yaml may hold many)."""

    message: str
    file: str | None = None
    line: int | None = None
    path: str | None = None
    hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """An entry of the error object's ``problems``."""
        return {"file": self.file, "line": self.line, "path": self.path,
                "message": redact(self.message), "hint": redact(self.hint) if self.hint else None}


class InputError(OcmpError, ValueError):
    """Unreadable or invalid input (exit 3), located as ``file:line: path: what``."""

    exit_code = ExitCode.INVALID_INPUT

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        path: str | None = None,
        hint: str | None = None,
        problems: list[InputProblem] | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.path = path
        self.detail = message
        # Every problem, each located (JSON and SARIF list them one by one); by default the
        # one this error names. ``message`` stays the text people read.
        self.problems = problems or [InputProblem(message, file, line, path, hint)]
        prefix = ""
        if file is not None:
            prefix = f"{file}:{line}: " if line is not None else f"{file}: "
        if path:
            prefix += f"{path}: "
        super().__init__(prefix + message, hint=hint)

    def to_dict(self) -> dict[str, Any]:
        """Adds where the input is wrong, and each of its problems."""
        return {**super().to_dict(), "file": self.file, "line": self.line, "path": self.path,
                "problems": [p.to_dict() for p in self.problems]}


class CloudError(OcmpError):
    """An OCI service answered with an error, or could not be reached (exit 4)."""

    exit_code = ExitCode.CLOUD
    kind = "cloud"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        request_id: str | None = None,
        operation: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.request_id = request_id
        self.operation = operation
        parts = []
        if operation:
            parts.append(operation)
        if status is not None or code:
            parts.append(" ".join(str(p) for p in (status, code) if p is not None))
        head = ": ".join(parts)
        text = f"{head}: {message}" if head else message
        if request_id:
            text += f" (opc-request-id {request_id})"
        super().__init__(text, hint=hint)

    def to_dict(self) -> dict[str, Any]:
        """Adds what the service answered."""
        return {
            **super().to_dict(),
            "status": self.status,
            "code": self.code,
            "opc_request_id": self.request_id,
            "operation": self.operation,
        }


class WorkflowInterrupted(OcmpError):
    """The run stopped part-way; its state is saved and a re-run resumes it (exit 5)."""

    exit_code = ExitCode.INTERRUPTED
    kind = "interrupted"


# -- errors the publish engine raises ---------------------------------------------------


@dataclass(frozen=True)
class ReviewNote:
    """One reviewer note, with the listing.yaml fields it concerns when they can be told."""

    text: str
    field: str | None  # the first field the note names
    line: int | None
    also: tuple[tuple[str, int | None], ...] = ()  # further fields it names, with their lines


class ReviewRejected(OcmpError):
    """Oracle's reviewer rejected the revision (exit 1: fix listing.yaml and re-run)."""

    exit_code = ExitCode.FINDINGS
    kind = "rejected"

    def __init__(self, revision_id: str, notes: list[ReviewNote]) -> None:
        super().__init__(
            f"revision {revision_id} was rejected by the reviewer ({len(notes)} note"
            f"{'s' if len(notes) != 1 else ''})",
            hint="fix listing.yaml as the notes say, then run the same command again",
        )
        self.revision_id = revision_id
        self.notes = notes


class UnchangedSinceRejection(ReviewRejected):
    """A REJECTED revision that this run did not change: submitting it again is pointless."""

    def __init__(self, revision_id: str, notes: list[ReviewNote]) -> None:
        super().__init__(revision_id, notes)
        self.message = (
            f"revision {revision_id} was rejected by the reviewer and nothing changed since "
            f"({len(notes)} note{'s' if len(notes) != 1 else ''})"
        )
        self.hint = "change listing.yaml (or pass --resubmit) and run again"


class DependencyFailed(OcmpError):
    """A stack's image listing did not finish: the stack is not uploaded (exit 1)."""

    exit_code = ExitCode.FINDINGS
