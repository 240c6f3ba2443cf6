"""What a rule is: a small registered function with a stable id and Markdown docs.

A rule is declared with :func:`rule` on a plain function that takes the
:class:`~ocmp.core.project.Project` under check and yields
:class:`~ocmp.core.findings.Problem` objects. Its user documentation lives in
``ocmp/rules/docs/<ID>.md`` with the fixed headings of :data:`DOC_HEADINGS`
(enforced by ``tests/rules/test_catalogue.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from ocmp.core.findings import Problem, Scope, Severity

if TYPE_CHECKING:
    from ocmp.core.project import Project

RULE_ID = re.compile(r"^[A-Z]{3}\d{3}$")
RULE_NAME = re.compile(r"^[a-z]+(\.[a-z0-9-]+)+$")
# "Examples" is generated from the rule's test cases (python -m tests.rules.casekit docs).
DOC_HEADINGS = ("## What it checks", "## Why it matters", "## How to fix", "## Examples")


Check = Callable[["Project"], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    """A registered rule."""

    id: str
    name: str
    severity: Severity
    scope: Scope
    summary: str
    check: Check
    # Secrets (private keys, OCI credentials, Terraform state) must never ship: listing.yaml's
    # ``ignore:`` cannot switch such a rule off.
    ignorable: bool = True

    @property
    def doc(self) -> str:
        """The Markdown documentation of this rule."""
        return rule_doc(self.id)


_REGISTRY: dict[str, Rule] = {}


def rule(
    id: str,
    *,
    name: str,
    severity: Severity,
    scope: Scope,
    summary: str,
    ignorable: bool = True,
) -> Callable[[Check], Check]:
    """Register ``check`` as rule ``id``; a duplicate id or a malformed one fails at import."""
    if not RULE_ID.match(id):
        raise ValueError(f"rule id {id!r} must be three capitals and three digits")
    if not RULE_NAME.match(name):
        raise ValueError(f"rule name {name!r} must be dotted lower-case, e.g. listing.icon-size")

    def register(check: Check) -> Check:
        if id in _REGISTRY:
            raise ValueError(f"rule id {id} registered twice")
        _REGISTRY[id] = Rule(id, name, severity, scope, summary, check, ignorable)
        return check

    return register


def registered() -> dict[str, Rule]:
    """All registered rules by id (the group modules must have been imported)."""
    return dict(sorted(_REGISTRY.items()))


@cache
def rule_doc(rule_id: str) -> str:
    """Read ``docs/<ID>.md`` shipped inside the package."""
    return resources.files("ocmp.rules").joinpath("docs", f"{rule_id}.md").read_text("utf-8")
