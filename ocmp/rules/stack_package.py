"""STK001–STK012: the stack zip itself — layout, leftovers, secrets, unsafe paths, modules."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.project import Project
from ocmp.core.stack import is_tf
from ocmp.core.stack_secrets import find_secrets
from ocmp.rules.base import rule
from ocmp.rules.stack_common import entry_problems, stack_of


@rule("STK001", name="stack.zip-archive", severity=Severity.ERROR, scope=Scope.STACK,
      summary="The stack artifact is a readable ZIP archive")
def zip_archive(project: Project) -> Iterator[Problem]:
    """STK001."""
    yield from entry_problems(project, "STK001",
                              "build the artifact with `ocmp package` (a plain .zip)")


@rule("STK002", name="stack.root-terraform", severity=Severity.ERROR, scope=Scope.STACK,
      summary="At least one .tf file sits at the root of the zip")
def root_terraform(project: Project) -> Iterator[Problem]:
    """STK002."""
    stack = stack_of(project)
    if not stack.files.files:
        if not stack.files.problems:
            yield Problem("the stack holds no file at all", stack.where(),
                          hint="point package.stack.path at the folder with your .tf files")
        return
    if not any(is_tf(p) and "/" not in p for p in stack.files.files):
        yield Problem("no .tf file at the root: Resource Manager says \"Terraform config file "
                      "is missing in zip file\"", stack.where(),
                      hint="put main.tf, variables.tf… at the top of the stack folder")


@rule("STK003", name="stack.schema-file", severity=Severity.ERROR, scope=Scope.STACK,
      summary="Exactly one Resource Manager schema file at the root, named schema.yaml")
def schema_file(project: Project) -> Iterator[Problem]:
    """STK003."""
    stack = stack_of(project)
    if not any(is_tf(p) for p in stack.files.files):
        return
    docs = stack.schema_candidates
    named = [p for p in ("schema.yaml", "schema.yml") if p in stack.files.files]
    if not docs and named:
        yield Problem(f"{named[0]} is not a Resource Manager schema (it has no schemaVersion "
                      "and variables)", stack.where(named[0], 1),
                      hint="write the Resource Manager schema there (`ocmp init --kind stack` "
                      "writes one), or rename the other file")
    elif not docs:
        yield Problem("no schema file (.yaml with schemaVersion and variables) at the root",
                      stack.where(), hint="add schema.yaml next to the .tf files; "
                      "`ocmp init --kind stack` writes one")
    elif len(docs) > 1:
        names = ", ".join(d.file for d in docs)
        yield Problem(f"several schema files at the root ({names}): which one Resource Manager "
                      "uses is not defined", stack.where(docs[1].file, 1),
                      hint="keep one, named schema.yaml")
    elif docs[0].file not in ("schema.yaml", "schema.yml"):
        yield Problem(f"the schema file is called {docs[0].file}, not schema.yaml",
                      stack.where(docs[0].file, 1), severity=Severity.WARNING,
                      hint="rename it schema.yaml, the name Oracle's guidelines use")


@rule("STK004", name="stack.no-wrapper-folder", severity=Severity.ERROR, scope=Scope.STACK,
      summary="The zip holds the stack folder's contents, not the folder itself")
def wrapper_folder(project: Project) -> Iterator[Problem]:
    """STK004."""
    files = stack_of(project).files.files
    if not files or any("/" not in p for p in files):
        return
    tops = {p.split("/", 1)[0] for p in files}
    if len(tops) == 1 and any(is_tf(p) and p.count("/") == 1 for p in files):
        top = tops.pop()
        yield Problem(f"everything sits under {top}/: you zipped the folder, not its contents",
                      stack_of(project).where(), hint=f"zip the files inside {top}/ "
                      "(or run `ocmp package` on the folder)")


def _matching(project: Project, predicate: object) -> Iterator[str]:
    for path in sorted(stack_of(project).files.files):
        if callable(predicate) and predicate(path):
            yield path


@rule("STK005", name="stack.no-state", severity=Severity.ERROR, scope=Scope.STACK,
      summary="No Terraform state file in the zip", ignorable=False)
def no_state(project: Project) -> Iterator[Problem]:
    """STK005."""
    for path in _matching(project, lambda p: fnmatch.fnmatch(p.rsplit("/", 1)[-1], "*.tfstate")
                          or fnmatch.fnmatch(p.rsplit("/", 1)[-1], "*.tfstate.*")):
        yield Problem(f"{path} is Terraform state (it may hold secrets and real OCIDs)",
                      stack_of(project).where(path), hint="leave it out; `ocmp package` does")


@rule("STK006", name="stack.no-terraform-dir", severity=Severity.ERROR, scope=Scope.STACK,
      summary="No .terraform/ runtime directory in the zip")
def no_terraform_dir(project: Project) -> Iterator[Problem]:
    """STK006."""
    paths = list(_matching(project, lambda p: ".terraform" in p.split("/")[:-1]))
    if paths:
        yield Problem(f".terraform/ is in the zip ({len(paths)} files, e.g. {paths[0]})",
                      stack_of(project).where(paths[0]), hint="leave it out; `ocmp package` does")


@rule("STK007", name="stack.no-lock-file", severity=Severity.WARNING, scope=Scope.STACK,
      summary="No .terraform.lock.hcl in the zip")
def no_lock_file(project: Project) -> Iterator[Problem]:
    """STK007."""
    for path in _matching(project, lambda p: p.rsplit("/", 1)[-1] == ".terraform.lock.hcl"):
        yield Problem(f"{path} pins provider hashes of the machine that ran terraform init",
                      stack_of(project).where(path), hint="leave it out of the zip")


_AUTO_TFVARS = ("terraform.tfvars", "terraform.tfvars.json", "*.auto.tfvars", "*.auto.tfvars.json")


@rule("STK008", name="stack.no-tfvars", severity=Severity.WARNING, scope=Scope.STACK,
      summary="No auto-loaded variable files in the zip")
def no_tfvars(project: Project) -> Iterator[Problem]:
    """STK008."""
    for path in _matching(project, lambda p: fnmatch.fnmatch(p, "*.tfvars")
                          or fnmatch.fnmatch(p, "*.tfvars.json")):
        name = path.rsplit("/", 1)[-1]
        auto = "/" not in path and any(fnmatch.fnmatch(name, p) for p in _AUTO_TFVARS)
        what = ("auto-loaded by Terraform and overrides" if auto
                else "a variable file; it may override")
        yield Problem(
            f"{path} is {what} what customers enter", stack_of(project).where(path),
            severity=None if auto else Severity.INFO, hint="leave variable files out of the zip")


@rule("STK009", name="stack.no-secrets", severity=Severity.ERROR, scope=Scope.STACK,
      summary="No private keys or OCI credentials anywhere in the stack", ignorable=False)
def no_secrets(project: Project) -> Iterator[Problem]:
    """STK009."""
    stack = stack_of(project)
    for path, data in sorted(stack.files.files.items()):
        for line, what in find_secrets(path, data):
            yield Problem(f"{path} holds {what}", stack.where(path, line),
                          hint="remove it: Resource Manager authenticates on its own; "
                          "rotate the key if it was ever shared")


_JUNK_DIRS = {"__MACOSX", ".git", ".github", "packer", "images"}
_JUNK_FILES = (".DS_Store", "provider.tf.cli", "README*", "LICENSE*", "*.zip", "Thumbs.db")


@rule("STK010", name="stack.no-build-junk", severity=Severity.WARNING, scope=Scope.STACK,
      summary="No build junk (VCS, OS files, READMEs, nested zips) in the zip")
def no_junk(project: Project) -> Iterator[Problem]:
    """STK010."""
    reported: set[str] = set()
    for path in sorted(stack_of(project).files.files):
        parts = path.split("/")
        folder = next((d for d in parts[:-1] if d in _JUNK_DIRS), None)
        if folder:
            if folder not in reported:
                reported.add(folder)
                yield Problem(f"{folder}/ does not belong in a stack zip",
                              stack_of(project).where(path), hint="list it in .ocmpignore")
        elif any(fnmatch.fnmatch(parts[-1], p) for p in _JUNK_FILES):
            yield Problem(f"{path} does not belong in a stack zip", stack_of(project).where(path),
                          hint="list it in .ocmpignore")


@rule("STK011", name="stack.safe-paths", severity=Severity.ERROR, scope=Scope.STACK,
      summary="Safe archive: no absolute or '..' paths, symlinks, case clashes or zip bombs")
def safe_paths(project: Project) -> Iterator[Problem]:
    """STK011."""
    yield from entry_problems(project, "STK011", "rebuild the zip with `ocmp package`")
    stack = stack_of(project)
    if stack.files.kind == "folder":
        seen: dict[str, str] = {}
        for path in sorted(stack.files.files):
            if path.lower() in seen:
                yield Problem(f"{seen[path.lower()]} and {path} differ only by case",
                              stack.where(path), hint="rename one: unzipping on macOS or "
                              "Windows would keep only one")
            seen[path.lower()] = path


@rule("STK012", name="stack.local-modules", severity=Severity.ERROR, scope=Scope.STACK,
      summary="Local modules resolve inside the zip; remote module sources are flagged")
def local_modules(project: Project) -> Iterator[Problem]:
    """STK012."""
    stack = stack_of(project)
    used = {inst.config.dir for inst in stack.model.instances()}
    for call in stack.model.calls:
        if call.caller_dir not in used:
            continue
        where = stack.at(call.block, "source")
        if call.problem:
            yield Problem(f"module {call.block.name!r}: source {call.source!r} does not resolve "
                          f"inside the stack: {call.problem}", where,
                          hint="copy the module into the stack folder (a symlinked folder is "
                          "materialised by `ocmp package`)")
        elif call.target is None:
            yield Problem(f"module {call.block.name!r} is fetched from {call.source!r} when the "
                          "stack runs", where, severity=Severity.WARNING,
                          hint="vendor the module into the stack: Marketplace stacks should not "
                          "download code at run time")
