"""What ``ocmp validate`` looks at, found from the paths the user gave.

A :class:`Project` is one of: a listing project (a ``listing.yaml``, with its assets and,
for a stack listing, the Terraform folder its package points to), a bare Terraform stack
folder, or a stack zip. Rules read it through attributes computed once per run: the
listing side (``listing``, ``locate``) and the stack side (``stack`` facets) are cached
properties, so a rule pays only for what it reads.

A project is what is on disk only: the live tenancy facts of ``ocmp doctor`` and
``validate --online`` (:class:`~ocmp.core.tenancy.TenancyFacts`) are read beside it and
handed to the rule runner with it, so this module never depends on the cloud side.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ocmp.core.discovery import LISTING_FILE as LISTING_FILE
from ocmp.core.discovery import find_listing_files, has_terraform_below
from ocmp.core.findings import Location, Scope
from ocmp.errors import InputError

if TYPE_CHECKING:
    from ocmp.core.listing_file import LoadedListing
    from ocmp.core.stack import Stack


@dataclass
class Project:
    """One unit of validation."""

    root: Path  # the project directory (or the folder holding the zip)
    listing_path: Path | None = None  # listing.yaml, when there is one
    stack_path: Path | None = None  # Terraform folder or .zip, when there is one
    cwd: Path = field(default_factory=Path.cwd)
    loaded: LoadedListing | None = None  # the validated listing.yaml (see ``listing``)

    def display(self, path: Path) -> str:
        """A path as the user should read it: relative to where ocmp runs, if below it."""
        try:
            return os.path.relpath(path, self.cwd) if path.is_absolute() else str(path)
        except ValueError:  # another drive on Windows
            return str(path)

    def offers(self, scope: Scope) -> bool:
        """Whether offline rules of ``scope`` can run on this project (live rules need the
        tenancy facts the runner is given, not the project)."""
        if scope is Scope.LISTING:
            return self.listing_path is not None
        if scope is Scope.STACK:
            return self.stack_path is not None
        return False

    @property
    def listing(self) -> LoadedListing:
        """The loaded listing file; only LISTING-scope rules may ask (the runner ensures it)."""
        if self.loaded is None:
            if self.listing_path is None:
                raise InputError("this project has no listing.yaml", file=str(self.root))
            from ocmp.core.listing_file import load_listing

            self.loaded = load_listing(self.listing_path, self.display(self.listing_path))
        return self.loaded

    def locate(self, *path: str | int) -> Location:
        """Where a value of listing.yaml is, by its path: ``locate("listing", "name")``."""
        listing = self.listing
        return Location(listing.display, listing.line_of(*path))

    def locate_file(self, relative: str, line: int | None = None) -> Location:
        """A file of the project (e.g. ``docs/usage.md``) as a finding location."""
        return Location(self.display(self.root / relative), line)

    @cached_property
    def stack(self) -> Stack:
        """The Terraform stack facet (files, model, schema); only STACK-scope rules ask."""
        from ocmp.core.stack import Stack

        if self.stack_path is None:
            raise InputError("this project has no Terraform stack", file=str(self.root))
        return Stack(self.stack_path, self.display)

    def checked_files(self) -> list[str]:
        """The files a run reads, as the user should read them: listing.yaml and the stack's
        Terraform files and schema (each one counts in "N files checked")."""
        shown = [self.display(self.listing_path)] if self.listing_path is not None else []
        if self.stack_path is not None:
            from ocmp.core.stack import is_tf

            stack = self.stack
            try:
                names = sorted(p for p in stack.files.files if is_tf(p) or p == "schema.yaml")
            except InputError:  # a missing stack: the STK rules say so
                names = []
            shown += [stack.where(p).file or p for p in names] or [self.display(self.stack_path)]
        return shown or [self.display(self.root)]

    def ignored_rules(self) -> set[str]:
        """Rule ids the listing's ``ignore:`` section switches off."""
        if self.listing_path is None:
            return set()
        return {entry.rule for entry in self.listing.model.ignore}


def open_projects(paths: Iterable[str | Path], cwd: Path | None = None) -> list[Project]:
    """The projects named by the command line, each listing loaded and checked.

    A path may be a ``listing.yaml`` file, a directory containing one, a release repository
    (a directory with listing projects below it: all of them), a bare Terraform folder (its
    .tf files at the top or, wrongly, in a subfolder: STK002 says so) or a stack zip.

    Raises:
        InputError: for a path that does not exist or holds nothing ocmp can validate, or an
            invalid listing file.
    """
    here = cwd or Path.cwd()
    projects: list[Project] = []
    problems: list[InputError] = []
    for raw in paths:
        try:
            projects.extend(_open_one(raw, here))
        except InputError as exc:  # check every path given, then report them all at once
            problems.append(exc)
    if problems:
        raise combined(problems)
    return projects


def combined(problems: list[InputError]) -> InputError:
    """One error naming every path that cannot be validated (the first one's location)."""
    if len(problems) == 1:
        return problems[0]
    first, rest = problems[0], problems[1:]
    others = "\n".join("  " + str(e).replace("\n", "\n  ") for e in rest)
    return InputError(
        f"{first.detail}\n{len(rest)} more path{'s' if len(rest) > 1 else ''} cannot be "
        f"validated either:\n{others}",
        file=first.file, line=first.line, path=first.path, hint=first.hint,
        problems=[p for e in problems for p in e.problems])


def _open_one(raw: str | Path, here: Path) -> list[Project]:
    """The projects one command-line path names (see :func:`open_projects`)."""
    path = Path(raw)
    absolute = path if path.is_absolute() else here / path
    if not absolute.exists():
        raise InputError("no such file or directory", file=str(raw))
    if absolute.is_dir() and absolute.suffix in (".yaml", ".yml"):
        raise InputError("is a directory, not a file", file=str(raw))
    stack = _stack_project(absolute, here)  # a bare stack folder or an artifact (zip)
    if stack is not None:
        return [stack]
    if absolute.is_dir():
        listing = absolute / LISTING_FILE
        if not listing.exists():
            below = find_listing_files(absolute)
            if below:  # a release repository: every listing project below
                return [_listing_project(f, here) for f in below]
            if has_terraform_below(absolute):  # a stack whose .tf sit in a subfolder
                return [Project(root=absolute, stack_path=absolute, cwd=here)]
            raise InputError(
                f"no {LISTING_FILE} here",
                file=str(raw),
                hint="give a listing project directory or its listing.yaml; "
                "`ocmp init DIR` creates one",
            )
    else:
        listing = absolute
    return [_listing_project(listing, here)]


def _listing_project(listing: Path, cwd: Path) -> Project:
    from ocmp.schemas.listing import StackListingFile

    project = Project(root=listing.parent, listing_path=listing, cwd=cwd)
    loaded = project.listing  # load now: invalid input stops the run before any output
    if isinstance(loaded.model, StackListingFile):
        project.stack_path = listing.parent / loaded.model.package.stack.path
    return project


def _stack_project(path: Path, cwd: Path) -> Project | None:
    """A folder with .tf files and no listing.yaml, or any non-YAML file (a stack artifact)."""
    if path.is_dir():
        if (path / LISTING_FILE).exists():
            return None
        if not any(p.name.endswith((".tf", ".tf.json")) for p in path.iterdir()):
            return None
        return Project(root=path, stack_path=path, cwd=cwd)
    if path.suffix.lower() in (".yaml", ".yml"):
        return None
    return Project(root=path.parent, stack_path=path, cwd=cwd)
