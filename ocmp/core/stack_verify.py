"""Verify a stack in Resource Manager (Oracle's stack flow, step 5): one core for both
``ocmp stack verify`` and ``ocmp publish --verify``.

The stack is the zip ``ocmp package`` builds, uploaded as a ``ZIP_UPLOAD`` stack whose
display name carries the zip's hash (so a re-run finds it again instead of creating a
second one). A PLAN job runs on it; with ``apply`` an APPLY of that very plan follows and
then a DESTROY, both auto-approved, so the check provisions for real and leaves nothing
behind. Job log lines are passed to the :class:`~ocmp.core.progress.Reporter` as they
arrive; a failed job becomes :class:`VerifyFailed` (exit 1) carrying Resource Manager's
``failureDetails`` and the job's ERROR lines. Nothing here prints.
"""

from __future__ import annotations

import hashlib
import secrets
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocmp.core.progress import Reporter, StepState
from ocmp.core.publish.desired import sha
from ocmp.core.publish.run import PollSettings, poll_until, token
from ocmp.errors import CloudError, ExitCode, InputError, OcmpError, WorkflowInterrupted

if TYPE_CHECKING:
    from ocmp.clients.resource_manager import Job, LogEntry, ResourceManagerApi, Stack
    from ocmp.core.project import Project
    from ocmp.core.stack_files import StackFiles

FINAL = frozenset({"SUCCEEDED", "FAILED", "CANCELED"})
# A stack zip given as a file is uploaded as it is; this bounds what ocmp reads into memory
# (Resource Manager's own limit on an inline upload is far lower).
MAX_ZIP_BYTES = 256 * 1024 * 1024


class VerifyFailed(OcmpError):
    """A Resource Manager job of the check failed (exit 1: fix the Terraform)."""

    exit_code = ExitCode.FINDINGS

    def __init__(self, message: str, *, hint: str | None = None,
                 jobs: Sequence[JobOutcome] = ()) -> None:
        super().__init__(message, hint=hint)
        self.jobs = list(jobs)


class SecretsInStack(OcmpError):
    """The stack holds a private key, credentials or Terraform state: never uploaded."""

    exit_code = ExitCode.FINDINGS


@dataclass(frozen=True)
class JobOutcome:
    """How one Resource Manager job ended."""

    operation: str  # PLAN | APPLY | DESTROY
    job_id: str
    state: str  # SUCCEEDED | FAILED | CANCELED
    failure_code: str | None = None
    failure_message: str | None = None
    errors: tuple[str, ...] = ()  # the job log's ERROR lines
    log_lines: int = 0

    @property
    def ok(self) -> bool:
        """Whether the job succeeded."""
        return self.state == "SUCCEEDED"

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        failure = None
        if not self.ok:
            failure = {"code": self.failure_code, "message": self.failure_message}
        return {"operation": self.operation, "id": self.job_id, "state": self.state,
                "failure": failure, "errors": list(self.errors), "log_lines": self.log_lines}


# -- the stack ---------------------------------------------------------------------------


def stack_display_name(base: str, data: bytes) -> str:
    """The stack's display name: ``base`` (the package's name) plus the hash of the zip."""
    return f"{base} #{sha(data)[:10]}"


def create_stack(rm: ResourceManagerApi, compartment_id: str, name: str, data: bytes,
                 description: str, variables: Mapping[str, str] | None = None) -> Stack:
    """Create the ``ZIP_UPLOAD`` stack ``name`` (idempotent: a retry replays the same create)."""
    stack: Stack = rm.create_stack(
        compartment_id,
        name,
        data,
        {"ocmp-zip": sha(data)},
        # The name too: two listings may ship the same zip, each in its own stack.
        token("stack", compartment_id, name),
        description=description,
        variables=dict(variables or {}),
    )
    return stack


def wait_active(rm: ResourceManagerApi, stack: Stack, poll: PollSettings,
                reporter: Reporter) -> Stack:
    """Wait until a new stack is ACTIVE.

    Raises:
        CloudError: Resource Manager could not create it (the upload is not a zip).
    """
    if stack.lifecycle_state != "ACTIVE":
        stack_id = stack.id
        stack = poll_until(poll, reporter, "the stack", lambda: rm.get_stack(stack_id),
                           lambda s: s.lifecycle_state in {"ACTIVE", "FAILED"})
    if stack.lifecycle_state != "ACTIVE":
        raise CloudError(
            f"Resource Manager could not create the stack {stack.name!r} "
            f"({stack.lifecycle_state})",
            hint="check the zip with `ocmp validate`, then re-run",
        )
    return stack


# -- the jobs ----------------------------------------------------------------------------


def run_job(rm: ResourceManagerApi, stack_id: str, operation: str, retry_token: str, *,
            poll: PollSettings, reporter: Reporter, plan_job_id: str | None = None,
            after_write: Callable[[], None] = lambda: None) -> JobOutcome:
    """Start one job, pass its log lines on as they come, and wait for its end."""
    job = rm.create_job(stack_id, operation, retry_token, plan_job_id=plan_job_id)
    after_write()
    seen: list[LogEntry] = []

    def read() -> Job:
        current: Job = rm.get_job(job.id)
        # Read after the state: once the job is final, its log is complete.
        for entry in rm.job_logs(job.id)[len(seen):]:
            seen.append(entry)
            for line in entry.message.splitlines() or [""]:
                reporter.log(line)
        return current

    final = poll_until(poll, reporter, f"the {operation} job", read,
                       lambda j: j.lifecycle_state in FINAL)
    errors = tuple(e.message for e in seen if e.level in ("ERROR", "FATAL"))
    return JobOutcome(operation, job.id, final.lifecycle_state,
                      failure_code=final.failure_code, failure_message=final.failure_message,
                      errors=errors, log_lines=len(seen))


def run_jobs(rm: ResourceManagerApi, stack_id: str, *, apply: bool, poll: PollSettings,
             reporter: Reporter, nonce: str, steps: bool = False,
             after_write: Callable[[], None] = lambda: None) -> list[JobOutcome]:
    """PLAN; with ``apply``, APPLY that plan and DESTROY what it made (also after a failed
    APPLY, which may have created part of the stack).

    ``nonce`` goes into the retry tokens: the same value replays the same jobs (a retried
    request), a new one runs new jobs. ``steps`` reports each job as a step named after its
    operation (for a run whose step list these jobs are).
    """

    def one(operation: str, plan: str | None = None) -> JobOutcome:
        name = operation.lower()
        if steps:
            reporter.step(name, StepState.DOING)
        outcome = run_job(rm, stack_id, operation, token(name, stack_id, nonce, plan or ""),
                          poll=poll, reporter=reporter, plan_job_id=plan,
                          after_write=after_write)
        if steps:
            state = StepState.DONE if outcome.ok else StepState.FAILED
            reporter.step(name, state, f"{outcome.job_id} {outcome.state}")
        return outcome

    jobs = [one("PLAN")]
    if apply and jobs[0].ok:
        jobs.append(one("APPLY", jobs[0].job_id))
        jobs.append(one("DESTROY"))
    return jobs


def job_steps(apply: bool) -> list[str]:
    """The step names :func:`run_jobs` reports with ``steps=True``."""
    return ["plan", "apply", "destroy"] if apply else ["plan"]


def failure(jobs: Sequence[JobOutcome], hint: str) -> VerifyFailed | None:
    """The error of the first failed job, or None when every job succeeded."""
    failed = next((j for j in jobs if not j.ok), None)
    if failed is None:
        return None
    reason = failed.failure_message or "see the job log above"
    if failed.failure_code:
        reason = f"{failed.failure_code}: {reason}"
    return VerifyFailed(f"the {failed.operation} job {failed.job_id} ended {failed.state}: "
                        f"{reason}", hint=hint, jobs=jobs)


# -- ocmp stack verify -------------------------------------------------------------------


@dataclass(frozen=True)
class StackSource:
    """The zip to verify, and what to call its stack."""

    base_name: str  # the package's display name, or the folder's/zip's name
    data: bytes
    description: str
    compartment_id: str | None  # the listing's compartment, when it names one
    files: int = 0


@dataclass
class VerifyResult:
    """What ``ocmp stack verify`` did."""

    stack_id: str
    stack_name: str
    compartment_id: str
    zip_sha256: str
    created: bool
    updated: bool
    jobs: list[JobOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every job succeeded."""
        return all(j.ok for j in self.jobs)

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the command adds the request counts)."""
        return {"ok": self.ok,
                "stack": {"id": self.stack_id, "name": self.stack_name,
                          "compartment_id": self.compartment_id,
                          "created": self.created, "updated": self.updated},
                "zip_sha256": self.zip_sha256,
                "jobs": [j.to_dict() for j in self.jobs]}


def stack_source(project: Project) -> StackSource:
    """The zip of a project's stack: built exactly as ``ocmp package`` builds it from a
    folder, or the bytes of a zip as they are.

    Raises:
        InputError: no stack, or a zip that is not a regular file or is too large.
        SecretsInStack: the stack holds a private key, credentials or state.
    """
    from ocmp.core.package import zip_bytes
    from ocmp.core.stack_files import read_folder, read_zip

    path = project.stack_path
    if path is None:
        raise InputError("this listing has no stack to verify", file=project.display(project.root),
                         hint="`ocmp stack verify` is for kind: stack listings, stack folders "
                         "and stack zips")
    if path.is_dir():
        files: StackFiles = read_folder(path)
        data = zip_bytes(files)
    else:
        data = _read_zip_file(path, project.display(path))
        files = read_zip(path)
    _refuse_secrets(files, project)
    name = path.name if path.is_dir() else path.stem
    description = f"{name}, uploaded by ocmp stack verify"
    compartment = None
    if project.listing_path is not None:
        model = project.listing.model
        name = model.package.display_name or f"{model.listing.name} {model.package.version}"
        description = f"{model.listing.name} {model.package.version}, uploaded by ocmp"
        compartment = model.compartment
    return StackSource(name, data, description, compartment, len(files.files))


def _read_zip_file(path: Path, display: str) -> bytes:
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=display) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file", file=display,
                         hint="give a stack folder or a .zip file")
    if info.st_size > MAX_ZIP_BYTES:
        raise InputError(f"{info.st_size} bytes: larger than the {MAX_ZIP_BYTES} ocmp uploads",
                         file=display, hint="leave build output out of the stack")
    with path.open("rb") as handle:
        return handle.read(MAX_ZIP_BYTES + 1)


def _refuse_secrets(files: StackFiles, project: Project) -> None:
    """Keys, credentials and state never leave the machine, not even to a test stack."""
    from ocmp.core.stack_secrets import find_secrets

    for name in sorted(files.files):
        if name.rsplit("/", 1)[-1].endswith((".tfstate", ".tfstate.backup")):
            found = [(1, "a Terraform state file")]
        else:
            found = find_secrets(name, files.files[name])
        if found:
            line, what = found[0]
            where = project.display(files.origins[name]) if name in files.origins else name
            raise SecretsInStack(
                f"{where}:{line}: {what}; nothing was uploaded",
                hint="remove it from the stack (or list it in .ocmpignore), then re-run; "
                "`ocmp validate` shows every such finding (STK005, STK009)",
            )


def verify_stack(rm: ResourceManagerApi, source: StackSource, *, compartment_id: str,
                 variables: Mapping[str, str], apply: bool, poll: PollSettings,
                 reporter: Reporter,
                 after_write: Callable[[], None] = lambda: None) -> VerifyResult:
    """Create (or find, and update the variables of) the stack, then run its jobs.

    A failed job does not raise: the result says so (:func:`failure` builds the error),
    so that the caller can report every job first. ``after_write`` runs after each write
    (the crash-test hook, :class:`~ocmp.core.publish.run.WriteHook`).
    """
    name = stack_display_name(source.base_name, source.data)
    reporter.begin(f"stack verify {name!r}", ["stack", *job_steps(apply)])
    current = "stack"
    try:
        reporter.step("stack", StepState.DOING)
        found = rm.find_stacks(compartment_id, name)
        created = updated = False
        if found:
            stack = rm.get_stack(found[0].id)  # the summary has no variables
            if dict(stack.variables) != dict(variables):
                stack = rm.update_stack_variables(stack.id, dict(variables), stack.etag)
                after_write()
                updated = True
        else:
            stack = create_stack(rm, compartment_id, name, source.data, source.description,
                                 variables)
            after_write()
            created = True
        stack = wait_active(rm, stack, poll, reporter)
        action = "created" if created else "variables updated" if updated else "found"
        reporter.step("stack", StepState.DONE if created or updated else StepState.SKIPPED,
                      f"{action} {stack.id}")
        current = ""  # run_jobs reports its own steps, failures included
        # A fresh nonce per invocation: a re-run must plan again (the image it subscribes to
        # may have been published since), while a retried request still replays its job.
        jobs = run_jobs(rm, stack.id, apply=apply, poll=poll, reporter=reporter,
                        nonce=secrets.token_hex(8), steps=True, after_write=after_write)
    except KeyboardInterrupt:
        raise WorkflowInterrupted(
            "interrupted; jobs already started run on in Resource Manager",
            hint="run the same command again: it finds the stack and runs the check anew",
        ) from None
    except OcmpError:
        if current:
            reporter.step(current, StepState.FAILED)
        raise
    finally:
        reporter.end()
    return VerifyResult(stack.id, name, compartment_id, hashlib.sha256(source.data).hexdigest(),
                        created, updated, jobs)


def parse_variables(pairs: Sequence[str]) -> dict[str, str]:
    """``NAME=VALUE`` pairs (``--var``) as the stack's variables.

    Raises:
        InputError: a pair without ``=`` or with an empty name.
    """
    variables: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--var {pair!r} is not NAME=VALUE",
                             hint="e.g. --var ssh_public_key=\"$(cat ~/.ssh/id_rsa.pub)\"")
        variables[name.strip()] = value
    return variables

