"""Helpers shared by the stack rule groups (STK, SCH)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ocmp.core.findings import Problem

if TYPE_CHECKING:
    from ocmp.core.project import Project
    from ocmp.core.stack import Stack

# Region-free Marketplace identifiers have an empty region segment (`oc1..`).
REGION_FREE_IMAGE = re.compile(r"^ocid1\.image\.oc\d+\.\.[a-z0-9]+$")
REGIONAL_IMAGE = re.compile(r"ocid1\.image\.oc\d+\.[a-z0-9-]+\.[a-z0-9]+")
LISTING_OCID = re.compile(r"^ocid1\.appcataloglisting\.oc\d+\.\.[a-z0-9]+$")


def stack_of(project: Project) -> Stack:
    """The project's stack facet (created once per project)."""
    return project.stack


def entry_problems(project: Project, rule_id: str, hint: str) -> Iterator[Problem]:
    """The archive problems the stack reader recorded for ``rule_id``."""
    stack = stack_of(project)
    for problem in stack.files.problems:
        if problem.rule == rule_id:
            yield Problem(problem.message, stack.where(problem.path), hint=hint)
