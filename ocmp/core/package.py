"""Build the stack zip: deterministic bytes, checked with the STK00x rules before it is written.

Same input → same bytes: entries sorted by path, a fixed timestamp (1980-01-01, the zip
epoch), fixed permissions (0644, or 0755 for executable files), fixed compression level,
no directory entries or extra fields. The zip is first written to a temporary file
in a private folder, validated there exactly as Oracle would receive it, and only then
written into place atomically: an invalid stack leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ocmp.core.files import write_file_atomic
from ocmp.core.findings import Finding, Report, Severity
from ocmp.core.project import Project
from ocmp.core.stack import Stack
from ocmp.core.stack_files import StackFiles, read_folder

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
PACKAGE_RULES = ("STK00", "STK010", "STK011", "STK012")  # the archive-level rules


@dataclass
class PackageResult:
    """What ``ocmp package`` built (``written`` is False when errors stopped it)."""

    output: Path
    size: int = 0
    sha256: str = ""
    entries: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # files the stack never reads: not shipped
    report: Report = field(default_factory=Report)
    written: bool = False


def zip_bytes(files: StackFiles) -> bytes:
    """The deterministic zip of a stack selection."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(files.files):
            info = zipfile.ZipInfo(path, date_time=ZIP_EPOCH)
            origin = files.origins.get(path)
            executable = origin is not None and os.access(origin, os.X_OK)
            info.external_attr = (0o100755 if executable else 0o100644) << 16
            info.create_system = 3  # unix, so that the permissions above are honoured
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, files.files[path], compresslevel=9)
    return buffer.getvalue()


INCLUDE_FILE = ".ocmpinclude"  # gitignore-style patterns of files to ship although unread


def _unread(stack_dir: Path, selection: StackFiles, display: Callable[[Path], str]) -> list[str]:
    """Files of the selection that neither Terraform nor Resource Manager reads.

    Kept: the ``.tf``/``.tf.json`` of the root and of the local modules it calls, the
    schema, every file the configuration reads (``file()``, ``templatefile()``, a ``file``
    provisioner's source) and what ``.ocmpinclude`` lists. When a read path cannot be
    computed from defaults, nothing is dropped: what it reads cannot be known.
    """
    from ocmp.core.stack_files import ignored
    from ocmp.core.stack_secrets import find_secrets

    stack = Stack(stack_dir, display)
    stack.__dict__["files"] = selection  # the selection just made, not a second walk
    if stack.model.errors or any(r.path is None for r in stack.reads):
        return []
    keep = set(stack.used_files) | set(stack.read_files)
    if stack.schema is not None:
        keep.add(stack.schema.file)
    patterns = _include_patterns(stack_dir)
    # A secret is never dropped quietly: it stays in the selection so that STK009 refuses
    # the package and the publisher learns that a key sits in the stack folder.
    return sorted(p for p in selection.files
                  if p not in keep and not (patterns and ignored(p, False, patterns))
                  and not find_secrets(p, selection.files[p]))


def _include_patterns(folder: Path) -> list[str]:
    path = folder / INCLUDE_FILE
    if not path.is_file():
        return []
    lines = path.read_text("utf-8", errors="replace").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


RunRules = Callable[[Project, Sequence[str]], list[Finding]]


def build_package(stack_dir: Path, output: Path, display: Callable[[Path], str],
                  run_rules: RunRules, *, project_root: Path | None = None) -> PackageResult:
    """Select, zip, validate and (when clean of errors) atomically write the stack zip.

    ``run_rules(project, select)`` runs the catalogue (passed in by the caller, as the
    runner lives in ``ocmp.rules``, a layer above this one). The zip is checked from a
    private temporary folder, then written with :func:`write_file_atomic` (which refuses
    to replace a device, a directory or anything outside ``project_root``).
    """
    selection = read_folder(stack_dir)
    unread = _unread(stack_dir, selection, display)
    for path in unread:
        del selection.files[path]
        selection.origins.pop(path, None)
    out_display = display(output)
    result = PackageResult(output, left_out=selection.left_out, unread=unread)
    data = zip_bytes(selection)
    with tempfile.TemporaryDirectory(prefix="ocmp-package-") as scratch:
        tmp = Path(scratch) / (output.name or "stack.zip")
        tmp.write_bytes(data)  # a fresh private folder: nothing there to follow or replace
        project = Project(root=stack_dir, stack_path=tmp, cwd=Path.cwd())
        project.stack = Stack(tmp, lambda p: out_display if p == tmp else display(p),
                              lambda rel: display(stack_dir / rel))
        # The zip passes the same stack rules `ocmp validate` runs on it, not only the
        # archive ones: a package that validation refuses is never written.
        findings = run_rules(project, (*PACKAGE_RULES, "STK", "SCH"))
    # Problems the folder walk found (symlinks leaving the stack) are not in the zip.
    findings += [
        Finding(problem.rule, Severity.WARNING if problem.warning else Severity.ERROR,
                problem.message,
                hint=problem.hint or "remove the link, or copy what it points to into the stack",
                file=display(stack_dir / problem.path))
        for problem in selection.problems
    ]
    # The files counted are the zip's entries ("10 files packaged"), as validate counts the
    # files it checks, not the one folder they come from.
    result.report.files.extend(display(stack_dir / rel) for rel in sorted(selection.files))
    result.report.extend(findings)
    result.entries = sorted(selection.files)
    if result.report.errors:
        return result
    write_file_atomic(output, data, project_root=project_root, display=out_display)
    result.written = True
    result.size = len(data)
    result.sha256 = hashlib.sha256(data).hexdigest()
    return result
