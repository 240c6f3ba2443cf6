"""Helpers shared by the stack rule groups (STK, SCH)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from ocmp.core.findings import Problem, Severity

if TYPE_CHECKING:
    from ocmp.core.project import Project
    from ocmp.core.rm_schema import SchemaDoc
    from ocmp.core.stack import Stack

# Region-free Marketplace identifiers have an empty region segment (`oc1..`).
REGION_FREE_IMAGE = re.compile(r"^ocid1\.image\.oc\d+\.\.[a-z0-9]+$")
REGIONAL_IMAGE = re.compile(r"ocid1\.image\.oc\d+\.[a-z0-9-]+\.[a-z0-9]+")
LISTING_OCID = re.compile(r"^ocid1\.appcataloglisting\.oc\d+\.\.[a-z0-9]+$")


def stack_of(project: Project) -> Stack:
    """The project's stack facet (created once per project)."""
    return project.stack


def schema_of(project: Project) -> tuple[Stack, SchemaDoc] | None:
    """The stack and its parsed schema, when it parsed."""
    stack = stack_of(project)
    doc = stack.schema
    if doc is None or doc.error:
        return None
    return stack, doc


def entry_problems(project: Project, rule_id: str, hint: str) -> Iterator[Problem]:
    """The archive problems the stack reader recorded for ``rule_id``."""
    stack = stack_of(project)
    for problem in stack.files.problems:
        if problem.rule == rule_id:
            yield Problem(problem.message, stack.where(problem.path), hint=problem.hint or hint,
                          severity=Severity.WARNING if problem.warning else None)


def unparsed_files(project: Project) -> list[str]:
    """Terraform files of the configuration (root and called local modules) that do not parse."""
    stack = stack_of(project)
    used = set(stack.used_files)
    return sorted(path for path in stack.model.errors if path in used)


StackCheck = Callable[["Project"], Iterator[Problem]]


def needs_whole_configuration(check: StackCheck) -> StackCheck:
    """Skip ``check`` while a file of the configuration does not parse (STK020 reports it).

    For rules that conclude something is *absent* — a reference that resolves nowhere, a
    variable nothing uses, a missing subscription: with a file missing from the model they
    cannot prove it, and what a rule cannot prove must never be an error. Put it under
    ``@rule``; it is the one place that decides this for every such rule.
    """

    @functools.wraps(check)
    def guarded(project: Project) -> Iterator[Problem]:
        if unparsed_files(project):
            return
        yield from check(project)

    return guarded


def unparsed_folders(project: Project) -> set[str]:
    """Folders (stack-relative, "" for the root) holding a configuration file that does not
    parse."""
    import posixpath

    return {posixpath.dirname(path) for path in unparsed_files(project)}


def needs_root_configuration(check: StackCheck) -> StackCheck:
    """Skip ``check`` only while a file of the *root* module does not parse.

    For rules that conclude an absence among the root module's own blocks (a schema
    variable Terraform does not declare, an output that does not exist): a child module
    that does not parse cannot hold what they look for, so it must not silence them.
    """

    @functools.wraps(check)
    def guarded(project: Project) -> Iterator[Problem]:
        if "" in unparsed_folders(project):
            return
        yield from check(project)

    return guarded
