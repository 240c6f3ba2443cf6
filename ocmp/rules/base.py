"""What a rule is: a small registered function with a stable id and Markdown docs.

A rule is declared with :func:`rule` on a plain function that takes the
:class:`~ocmp.core.project.Project` under check and yields
:class:`~ocmp.core.findings.Problem` objects. A live (TENANCY) rule is declared
with :func:`live_rule` and also takes the :class:`~ocmp.core.tenancy.TenancyFacts` read for
this run: the facts travel beside the project, so a project never holds a cloud session.
Its user documentation lives in ``ocmp/rules/docs/<ID>.md`` with the fixed headings of
:data:`DOC_HEADINGS` (enforced by ``tests/rules/test_catalogue.py``).
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
    from ocmp.core.tenancy import TenancyFacts

RULE_ID = re.compile(r"^[A-Z]{3}\d{3}$")
RULE_NAME = re.compile(r"^[a-z]+(\.[a-z0-9-]+)+$")
# "Examples" is generated from the rule's test cases (python -m tests.rules.casekit docs).
DOC_HEADINGS = ("## What it checks", "## Why it matters", "## How to fix", "## Examples")


Check = Callable[["Project"], Iterable[Problem]]
LiveCheck = Callable[["Project", "TenancyFacts"], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    """A registered rule."""

    id: str
    name: str
    severity: Severity
    scope: Scope
    summary: str
    check: Check | None  # an offline rule's function
    live_check: LiveCheck | None = None  # a live rule's function (scope TENANCY)
    # Secrets (private keys, OCI credentials, Terraform state) must never ship: listing.yaml's
    # ``ignore:`` cannot switch such a rule off.
    ignorable: bool = True
    # A rule that runs only when asked for by id (``--select LST017``) or by the caller
    # (the publish gate): what is right in a sandbox rehearsal and wrong for real.
    on_request: bool = False

    def problems(self, project: Project, tenancy: TenancyFacts | None = None) -> Iterable[Problem]:
        """Run the rule: a live rule needs the tenancy facts, an offline rule ignores them."""
        if self.live_check is not None:
            if tenancy is None:
                raise ValueError(f"{self.id} checks the live tenancy: pass the tenancy facts")
            return self.live_check(project, tenancy)
        assert self.check is not None  # one of the two is set by the decorators below
        return self.check(project)

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
    on_request: bool = False,
) -> Callable[[Check], Check]:
    """Register ``check`` as rule ``id``; a duplicate id or a malformed one fails at import."""
    if scope is Scope.TENANCY:
        raise ValueError(f"rule {id} checks the live tenancy: declare it with live_rule")

    def register(check: Check) -> Check:
        _register(Rule(id, name, severity, scope, summary, check, None, ignorable, on_request))
        return check

    return register


def live_rule(
    id: str, *, name: str, severity: Severity, summary: str
) -> Callable[[LiveCheck], LiveCheck]:
    """Register ``check(project, facts)`` as the live (TENANCY) rule ``id``."""

    def register(check: LiveCheck) -> LiveCheck:
        _register(Rule(id, name, severity, Scope.TENANCY, summary, None, check))
        return check

    return register


def _register(new: Rule) -> None:
    if not RULE_ID.match(new.id):
        raise ValueError(f"rule id {new.id!r} must be three capitals and three digits")
    if not RULE_NAME.match(new.name):
        raise ValueError(
            f"rule name {new.name!r} must be dotted lower-case, e.g. listing.icon-size")
    if new.id in _REGISTRY:
        raise ValueError(f"rule id {new.id} registered twice")
    _REGISTRY[new.id] = new


def registered() -> dict[str, Rule]:
    """All registered rules by id (the group modules must have been imported)."""
    return dict(sorted(_REGISTRY.items()))


@cache
def rule_doc(rule_id: str) -> str:
    """Read ``docs/<ID>.md`` shipped inside the package."""
    return resources.files("ocmp.rules").joinpath("docs", f"{rule_id}.md").read_text("utf-8")
