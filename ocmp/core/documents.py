"""The JSON contract: the one envelope every ``--format json`` document has, and each
command's body, declared once as TypedDicts.

Every document is ``{version, command, outcome, exit_code, error, …body}``: the envelope
keys are the same for every command and the body keys are the command's own (all
snake_case). ``error`` is ``null`` unless the run failed (exit 2, 3, 4, 5 or 70), when it is
always the same :class:`ErrorDoc` object. The TypedDicts serve twice: mypy checks that the
producers (``to_dict`` methods) build exactly these keys, and :func:`json_schema` turns them
into the JSON Schemas of ``docs/json-output.md`` that the tests validate every document
against, so the code, the docs and the output cannot drift apart.

A new command joins the contract with one line in :data:`BODIES` (its path, e.g.
``"terms push"``, mapped to its body TypedDict); ``tests/test_json_contract.py`` fails for
a command with ``--format json`` that is missing there.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal, NotRequired

# pydantic reads TypedDicts for the schemas; before Python 3.12 it needs this TypedDict.
from typing_extensions import TypedDict

ENVELOPE_VERSION = 1


class Outcome(StrEnum):
    """How a run ended, from its exit code (README, "Exit codes")."""

    PASS = "pass"  # exit 0: nothing to report, or done
    FAIL = "fail"  # exit 1: the command ran and the answer is no (findings, drift, missing)
    ERROR = "error"  # exit 2, 3, 4, 70: it could not run to the end
    INTERRUPTED = "interrupted"  # exit 5: stopped part-way, a re-run resumes

    @classmethod
    def of(cls, exit_code: int) -> Outcome:
        """The outcome an exit code stands for."""
        if exit_code == 0:
            return cls.PASS
        if exit_code == 1:
            return cls.FAIL
        if exit_code == 5:
            return cls.INTERRUPTED
        return cls.ERROR


ErrorType = Literal[
    "usage", "input", "cloud", "validation_failed", "rejected", "verify_failed", "interrupted",
    "internal",
]


class ErrorDoc(TypedDict):
    """Why a run failed: the same keys whatever failed (``null`` where they do not apply)."""

    type: ErrorType
    exit_code: int
    message: str
    hint: str | None
    file: str | None
    line: int | None
    path: str | None
    status: int | None
    code: str | None
    opc_request_id: str | None
    operation: str | None


def error_doc(
    type_: ErrorType, exit_code: int, message: str, hint: str | None = None, **where: Any
) -> ErrorDoc:
    """An :class:`ErrorDoc` with every key present."""
    doc: ErrorDoc = {
        "type": type_,
        "exit_code": exit_code,
        "message": message,
        "hint": hint,
        "file": None,
        "line": None,
        "path": None,
        "status": None,
        "code": None,
        "opc_request_id": None,
        "operation": None,
    }
    unknown = set(where) - set(doc)
    if unknown:
        raise TypeError(f"not ErrorDoc keys: {sorted(unknown)}")
    doc.update(where)  # type: ignore[typeddict-item]
    return doc


class Envelope(TypedDict):
    """The keys every document starts with."""

    version: int
    command: str
    outcome: Outcome
    exit_code: int
    error: ErrorDoc | None


def envelope(
    command: str, exit_code: int, body: Any, error: ErrorDoc | None = None
) -> dict[str, Any]:
    """The document: envelope keys first, then the body's (which may not redefine them)."""
    head: Envelope = {
        "version": ENVELOPE_VERSION,
        "command": command,
        "outcome": Outcome.of(exit_code),
        "exit_code": exit_code,
        "error": error,
    }
    clash = set(head) & set(body or {})
    if clash:
        raise ValueError(f"the body of {command} redefines envelope keys {sorted(clash)}")
    return {**head, **(body or {})}


# -- bodies --------------------------------------------------------------------------------


class FindingDoc(TypedDict):
    """One finding; ``file`` is relative to the working directory."""

    rule: str
    severity: Literal["error", "warning", "info"]
    message: str
    hint: str | None
    file: str | None
    line: int | None
    column: int | None


class SummaryDoc(TypedDict):
    """Counts of a report."""

    errors: int
    warnings: int
    files: int


class ReportDoc(TypedDict):
    """``validate`` and ``doctor``: the findings, sorted by file and line."""

    findings: list[FindingDoc]
    summary: SummaryDoc
    files: list[str]


class PackageDoc(TypedDict):
    """``package``: the zip written (or not) and the stack findings."""

    written: bool
    path: str
    size: int | None
    sha256: str | None
    entries: list[str]
    left_out: list[str]
    unread: list[str]  # files the configuration never reads, left out (see .ocmpinclude)
    findings: list[FindingDoc]
    summary: SummaryDoc


class FieldChangeDoc(TypedDict):
    """One field that differs: what is live and what listing.yaml wants."""

    field: str
    live: Any
    desired: Any


class ChangeDoc(TypedDict):
    """One write a run made (or, in a plan, would make)."""

    step: str
    action: str
    target: str
    detail: str
    fields: list[FieldChangeDoc]


class CallsDoc(TypedDict):
    """Requests sent (each retry counts), writes among them, and retries."""

    requests: int
    writes: NotRequired[int]
    retries: NotRequired[int]


class ReviewDoc(TypedDict):
    """A rejected review: the reviewer's notes."""

    status: str
    revision: str
    notes: list[dict[str, Any]]


class ComparedDoc(TypedDict):
    """``diff``: the live revision compared with, and the draft beside it (if any)."""

    revision: str
    status: str | None
    draft: str | None
    draft_status: str | None


class PublishDoc(TypedDict):
    """``plan``, ``publish`` and ``diff``: the changes, the ids and statuses reached.

    ``ids`` and ``statuses`` are what exists now; a plan adds ``would_create`` (the
    resources it would create, which have no id yet) and ``target_status`` (the revision
    status a publish with this target would end on, when the plan has changes).
    """

    listing: str
    kind: str
    target: str
    dry_run: bool
    up_to_date: bool
    changes: list[ChangeDoc]
    ids: dict[str, str]
    statuses: dict[str, str]
    steps: dict[str, str]
    calls: CallsDoc
    duration_seconds: float
    would_create: NotRequired[list[str]]  # plans only
    target_status: NotRequired[str | None]  # plans only
    compared_with: NotRequired[ComparedDoc]  # diff only
    review: NotRequired[ReviewDoc]
    validation: NotRequired[ReportDoc]  # the findings that stopped the run (error documents)


class ListingRefDoc(TypedDict):
    """A listing by name, with its OCID once it exists."""

    name: str
    id: str | None


class RevisionDoc(TypedDict):
    """One revision of a listing (the newest carries the review's status notes)."""

    id: str
    status: str | None
    lifecycle_state: str | None
    time_created: str | None
    status_notes: NotRequired[str | None]


class ArtifactRefDoc(TypedDict):
    """The artifact a package ships."""

    id: str | None
    name: str | None
    status: str | None
    lifecycle_state: str | None


class PackageStatusDoc(TypedDict):
    """One package of the newest revision."""

    id: str
    version: str | None
    status: str | None
    is_default: bool
    artifact: ArtifactRefDoc


class NoteDoc(TypedDict):
    """A note on the newest revision (e.g. from the reviewer)."""

    source: str | None
    text: str | None
    time_created: str | None


class StatusDoc(TypedDict):
    """``status``: where the listing stands."""

    listing: ListingRefDoc
    revisions: list[RevisionDoc]
    packages: list[PackageStatusDoc]
    notes: list[NoteDoc]
    hidden: int  # withdrawn revisions and unpublished packages left out (all shown: --all)
    calls: CallsDoc


class TermsPushDoc(TypedDict):
    """``terms push``: the term, its active version and what changed."""

    term: str | None
    term_version: str | None
    changes: list[ChangeDoc]
    calls: CallsDoc


class TermVersionDoc(TypedDict):
    """One version of a term."""

    id: str
    name: str | None
    lifecycle_state: str | None
    status: str | None
    time_created: str | None


class TermDoc(TypedDict):
    """One term with its versions, oldest first."""

    id: str
    name: str
    lifecycle_state: str | None
    versions: list[TermVersionDoc]


class TermsListDoc(TypedDict):
    """``terms list``."""

    terms: list[TermDoc]


class PolicyDoc(TypedDict):
    """``policy``: the statements, and with ``--apply`` what was added where."""

    kind: str
    name: str
    compartment: str
    statements: list[str]
    policy_id: NotRequired[str | None]
    result: NotRequired[str]
    added: NotRequired[list[str]]


class ImportDoc(TypedDict):
    """``import``: the project written."""

    directory: str
    files: list[str]
    skipped: list[str]
    calls: CallsDoc


class RuleDoc(TypedDict):
    """One rule of the catalogue."""

    id: str
    name: str
    severity: Literal["error", "warning", "info"]
    scope: Literal["listing", "stack", "tenancy"]
    summary: str


class RulesDoc(TypedDict):
    """``rules``: the catalogue."""

    rules: list[RuleDoc]


class SandboxStatsDoc(TypedDict):
    """``sandbox stats``: request counters of a running sandbox."""

    requests: int
    writes: int
    by_route: dict[str, int]


class ListingResultDoc(TypedDict):
    """One listing of a repository run: its outcome, or its error, or why it was skipped."""

    name: str
    folder: str
    kind: str
    exit_code: int
    outcome: PublishDoc | None
    error: ErrorDoc | None
    subscription: NotRequired[dict[str, Any]]
    validation: NotRequired[ReportDoc]  # when validation stopped this listing


class ReleaseDoc(TypedDict):
    """``plan``/``publish`` of a repository (several listing projects): ONE document for the
    run, a result per listing in the order they ran, the validation of the whole release."""

    repository: str
    target: str
    dry_run: bool
    listings: list[ListingResultDoc]
    validation: ReportDoc
    calls: CallsDoc
    duration_seconds: float


class StackRefDoc(TypedDict):
    """The Resource Manager stack a verification used."""

    id: str | None
    name: str | None
    compartment_id: str | None
    created: bool
    updated: bool


class JobDoc(TypedDict):
    """One Resource Manager job (PLAN, APPLY, DESTROY)."""

    operation: str
    id: str | None
    state: str | None
    failure: dict[str, Any] | None
    errors: list[str]
    log_lines: int


class StackVerifyDoc(TypedDict):
    """``stack verify``: the stack, the zip's hash and each job."""

    ok: bool
    stack: StackRefDoc
    zip_sha256: str
    jobs: list[JobDoc]
    calls: CallsDoc


class SubscribedImageDoc(TypedDict):
    """An image listing's published package, as the stack subscribes to it."""

    listing: str
    listing_id: str | None
    app_catalog_listing_id: str | None
    image_id: str | None
    package_version: str | None
    is_pricing_associated: bool | None
    compatible_shapes: list[str]


class StackSubscribeDoc(TypedDict):
    """``stack subscribe``: the images, the files it (would) write, what it could not."""

    stack: str
    up_to_date: bool
    images: list[SubscribedImageDoc]
    files: list[dict[str, Any]]
    unrewritable: list[dict[str, Any]]
    applied: bool


class StatusRepositoryDoc(TypedDict):
    """``status`` of a repository: each listing's status."""

    repository: str
    listings: list[StatusDoc]


class DiffRepositoryDoc(TypedDict):
    """``diff`` of a repository: each listing's drift."""

    repository: str
    listings: list[PublishDoc]


class RowsDoc(TypedDict):
    """``leads``, ``report installs`` and ``report payouts``: rows of one report.

    Each row has exactly the keys named in ``columns`` (the Publisher API's field names,
    which are also the CSV header), ``null`` where the service gave no value.
    """

    report: Literal["leads", "installs", "payouts"]
    source: Literal["list", "export"]  # listed page by page, or fetched as a report export
    count: int
    columns: list[str]
    rows: list[dict[str, str | int | float | bool | None]]


# A command's body, or its bodies: plan/publish of one listing project or of a repository.
BODIES: dict[str, type | tuple[type, ...]] = {
    "validate": ReportDoc,
    "doctor": ReportDoc,
    "package": PackageDoc,
    "plan": (PublishDoc, ReleaseDoc),
    "publish": (PublishDoc, ReleaseDoc),
    "diff": (PublishDoc, DiffRepositoryDoc),
    "status": (StatusDoc, StatusRepositoryDoc),
    "terms push": TermsPushDoc,
    "terms list": TermsListDoc,
    "policy": PolicyDoc,
    "import": ImportDoc,
    "rules": RulesDoc,
    "sandbox stats": SandboxStatsDoc,
    "stack verify": StackVerifyDoc,
    "stack subscribe": StackSubscribeDoc,
    # Retiring runs through the publish engine: the same changes, ids and steps.
    "withdraw": PublishDoc,
    "unpublish": PublishDoc,
    "delete": PublishDoc,
    "leads": RowsDoc,
    "report installs": RowsDoc,
    "report payouts": RowsDoc,
}


def json_schema(command: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``ocmp COMMAND --format json`` documents.

    A successful or failed run has the whole body; an error document (``error`` not
    null) may stop after the envelope, or carry the part of the body the run reached.
    A command with several bodies (one listing, or a repository) has one variant each.
    """
    bodies = BODIES[command]
    variants = [_variant(command, b) for b in (bodies if isinstance(bodies, tuple) else (bodies,))]
    if len(variants) == 1:
        schema = variants[0]
    else:
        defs: dict[str, Any] = {}
        for v in variants:
            defs.update(v.pop("$defs", {}))
        schema = {"$defs": defs, "anyOf": variants,
                  "title": "".join(w.capitalize() for w in command.split()) + "Document"}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _variant(command: str, body: Any) -> dict[str, Any]:
    from pydantic import TypeAdapter

    class Document(Envelope, body):  # type: ignore[misc]
        pass

    Document.__doc__ = f"`ocmp {command} --format json`" + (
        f": {body.__doc__.splitlines()[0]}" if body.__doc__ else "")
    Document.__name__ = (
        "".join(w.capitalize() for w in command.split()) + "Document"
        + (body.__name__.removesuffix("Doc") if isinstance(BODIES[command], tuple) else "")
    )
    schema = TypeAdapter(Document).json_schema()
    _close(schema)
    body_keys = [k for k in schema.get("required", []) if k not in Envelope.__annotations__]
    # Error documents: only the envelope is required (a run can fail before any result).
    schema["required"] = list(Envelope.__annotations__)
    schema["if"] = {"properties": {"error": {"type": "null"}}}
    schema["then"] = {"required": body_keys}
    return schema


def _close(node: Any) -> None:
    """No undocumented keys: every object with declared properties forbids others."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _close(value)
    elif isinstance(node, list):
        for value in node:
            _close(value)


def markdown() -> str:
    """The text of ``docs/json-output.md`` (``python -m ocmp.core.documents --write``)."""
    import json

    parts = [
        "# JSON output\n\n",
        "<!-- Generated by `python -m ocmp.core.documents --write` from ocmp/core/documents.py;"
        " tests/test_json_contract.py checks it is current. -->\n\n",
        "Every `--format json` run writes exactly one JSON document to stdout (or to "
        "`--output FILE`). Its first keys are the same for every command:\n\n",
        "| key | meaning |\n|---|---|\n",
        f"| `version` | the contract version, `{ENVELOPE_VERSION}`; it changes only when a key "
        "is removed or changes meaning |\n",
        "| `command` | the command, e.g. `validate`, `terms push` |\n",
        "| `outcome` | `pass` (exit 0), `fail` (exit 1: findings, drift, no listing yet), "
        "`error` (exit 2, 3, 4, 70) or `interrupted` (exit 5: re-run to resume) |\n",
        "| `exit_code` | the process exit code |\n",
        "| `error` | `null`, or the error object below when the run failed |\n\n",
        "The command's own keys follow. All keys are snake_case. A document with an `error` "
        "carries the envelope and as much of the body as the run reached (a failed "
        "`publish` still lists the changes it made).\n\n",
        "## The error object\n\n",
        "| key | meaning |\n|---|---|\n",
        "| `type` | `usage` (exit 2), `input` (3), `cloud` (4), `validation_failed` (1: "
        "the offline rules found errors, the findings are in `validation`), `rejected` "
        "(1: the review rejected the revision), `verify_failed` (1: the `--verify` PLAN job "
        "failed), "
        "`interrupted` (5) or `internal` (70) |\n",
        "| `exit_code` | as above |\n",
        "| `message` | one line, as printed on stderr |\n",
        "| `hint` | what to do, or `null` |\n",
        "| `file`, `line`, `path` | where the input is wrong (`input`) |\n",
        "| `status`, `code`, `opc_request_id`, `operation` | what the service answered "
        "(`cloud`); quote `opc_request_id` to Oracle support |\n\n",
        "## Schemas\n\n",
        "One JSON Schema (draft 2020-12) per command, generated from the code.\n\n",
    ]
    for command in BODIES:
        parts.append(f"### `ocmp {command}`\n\n```json\n")
        parts.append(json.dumps(json_schema(command), indent=2) + "\n```\n\n")
    return "".join(parts).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    import sys
    from pathlib import Path

    target = Path(__file__).resolve().parents[2] / "docs" / "json-output.md"
    if "--write" in sys.argv:
        target.write_text(markdown(), encoding="utf-8")
    else:
        sys.stdout.write(markdown())
