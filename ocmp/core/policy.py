"""The IAM statements the ``marketplace`` service needs, and a tolerant matcher for them.

Oracle documents seven statements for the root compartment of a publisher tenancy
(validation-rules.md §3.1). Real tenancies write them in many ways: other case, extra
spaces or line breaks, a higher verb (``manage`` covers ``read``), a family
(``instance-family`` covers ``instance-images``), split over several policies, mixed
with other statements. :func:`evaluate` accepts all of those, and recognises the near
misses that do NOT grant what is needed — a lower verb, a statement scoped to a
compartment, a ``where`` condition, a permission list — so the report can say why.

Pure logic: no I/O, no SDK. Policies come in as :class:`PolicyText`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Verb(IntEnum):
    """Policy verbs; access is cumulative (inspect < read < use < manage)."""

    INSPECT = 1
    READ = 2
    USE = 3
    MANAGE = 4


@dataclass(frozen=True, slots=True)
class Requirement:
    """One statement the marketplace service needs."""

    verb: Verb
    resource: str  # lower-case resource type
    statement: str  # the exact text to paste, as Oracle prints it
    kinds: frozenset[str]  # listing kinds that need it: image, stack
    purpose: str


_ALL = frozenset({"image", "stack"})
_STACK = frozenset({"stack"})

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        Verb.MANAGE,
        "app-catalog-publisher-listing",
        "ALLOW SERVICE marketplace to manage App-catalog-publisher-listing IN TENANCY",
        _ALL,
        "create and update the App Catalog listings behind your Marketplace listings",
    ),
    Requirement(
        Verb.READ,
        "tenant",
        "ALLOW SERVICE marketplace to read tenant IN TENANCY",
        _ALL,
        "read the tenancy",
    ),
    Requirement(
        Verb.READ,
        "compartments",
        "ALLOW SERVICE marketplace to read compartments IN TENANCY",
        _ALL,
        "find the compartments holding your images and stacks",
    ),
    Requirement(
        Verb.READ,
        "instance-images",
        "ALLOW SERVICE marketplace to read instance-images IN TENANCY",
        _ALL,
        "copy your custom images into Marketplace",
    ),
    Requirement(
        Verb.INSPECT,
        "instances",
        "ALLOW SERVICE marketplace to inspect instances IN TENANCY",
        _ALL,
        "validate the images of your listings",
    ),
    Requirement(
        Verb.READ,
        "orm-stacks",
        "ALLOW SERVICE marketplace to read orm-stacks IN TENANCY",
        _STACK,
        "validate the Resource Manager stack of a stack listing",
    ),
    Requirement(
        Verb.READ,
        "orm-jobs",
        "ALLOW SERVICE marketplace to read orm-jobs IN TENANCY",
        _STACK,
        "validate the Resource Manager stack of a stack listing",
    ),
)

# Families that contain other resource types (Oracle's policy reference).
FAMILIES: dict[str, frozenset[str]] = {
    "instance-family": frozenset(
        {"instances", "instance-images", "instance-console-connection", "app-catalog-listing",
         "console-histories", "volume-attachments"}
    ),
    "orm-family": frozenset(
        {"orm-stacks", "orm-jobs", "orm-config-source-providers", "orm-private-endpoints",
         "orm-templates"}
    ),
}


def requirements_for(kind: str | None) -> tuple[Requirement, ...]:
    """The statements a listing of ``kind`` needs; ``None`` (no listing) means all seven."""
    if kind is None:
        return REQUIREMENTS
    return tuple(r for r in REQUIREMENTS if kind in r.kinds)


@dataclass(frozen=True, slots=True)
class PolicyText:
    """A policy as the matcher sees it."""

    name: str
    compartment_id: str
    statements: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Statement:
    """A parsed ``allow service … to … in …`` statement."""

    text: str  # as written
    policy: str  # the policy holding it
    services: tuple[str, ...]  # lower-case
    verb: Verb | None  # None for a permission list
    permissions: tuple[str, ...]  # upper-case, when the statement uses {PERM_A, PERM_B}
    resource: str  # lower-case
    in_tenancy: bool  # False: "in compartment …"
    condition: str | None  # the where clause, if any


_WS = re.compile(r"\s+")
_STATEMENT = re.compile(
    r"^allow\s+service\s+(?P<services>.+?)\s+to\s+"
    r"(?:\{(?P<perms>[^}]*)\}|(?P<verb>[a-z]+)\s+(?P<resource>[a-z0-9_-]+))"
    r"\s+in\s+(?P<scope>tenancy|compartment\s+(?:id\s+)?\S+)"
    r"(?:\s+where\s+(?P<cond>.+))?$",
    re.IGNORECASE,
)


def normalise(statement: str) -> str:
    """Trim, drop surrounding quotes, collapse all whitespace (line breaks too) to one space."""
    text = _WS.sub(" ", statement).strip()
    while len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    return text


def parse(statement: str, policy: str = "") -> Statement | None:
    """Parse a service-grant statement; anything else (groups, define, endorse…) gives None."""
    text = normalise(statement)
    match = _STATEMENT.match(text)
    if match is None:
        return None
    services = tuple(s.strip().lower() for s in match["services"].split(",") if s.strip())
    verb: Verb | None = None
    permissions: tuple[str, ...] = ()
    resource = ""
    if match["perms"] is not None:
        permissions = tuple(p.strip().upper() for p in match["perms"].split(",") if p.strip())
    else:
        try:
            verb = Verb[match["verb"].upper()]
        except KeyError:
            return None
        resource = match["resource"].lower()
    return Statement(
        text=text,
        policy=policy,
        services=services,
        verb=verb,
        permissions=permissions,
        resource=resource,
        in_tenancy=match["scope"].lower() == "tenancy",
        condition=match["cond"],
    )


def covers(resource: str, wanted: str) -> bool:
    """Whether a statement on ``resource`` grants access to ``wanted`` (both lower-case)."""
    if resource in (wanted, "all-resources"):
        return True
    return wanted in FAMILIES.get(resource, frozenset())


class Status(StrEnum):
    """How well a requirement is met."""

    MET = "met"
    CONDITIONAL = "conditional"  # only by a statement with a where clause: cannot verify
    UNMET = "unmet"


class NearMiss(StrEnum):
    """Why a statement that names the right resource does not count."""

    LOWER_VERB = "lower verb"
    COMPARTMENT = "scoped to a compartment"
    CONDITION = "has a where condition"
    PERMISSION_LIST = "uses a permission list, not evaluated"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome for one requirement."""

    requirement: Requirement
    status: Status
    satisfied_by: tuple[Statement, ...] = ()  # statements that meet it (maybe conditionally)
    near_misses: tuple[tuple[Statement, NearMiss], ...] = ()


def _is_marketplace(s: Statement) -> bool:
    return "marketplace" in s.services


def _judge(req: Requirement, statements: Sequence[Statement]) -> Verdict:
    full: list[Statement] = []
    conditional: list[Statement] = []
    near: list[tuple[Statement, NearMiss]] = []
    for s in statements:
        if s.verb is None:
            near.append((s, NearMiss.PERMISSION_LIST))
            continue
        if not covers(s.resource, req.resource):
            continue
        if s.verb < req.verb:
            near.append((s, NearMiss.LOWER_VERB))
        elif not s.in_tenancy:
            near.append((s, NearMiss.COMPARTMENT))
        elif s.condition:
            conditional.append(s)
            near.append((s, NearMiss.CONDITION))
        else:
            full.append(s)
    if full:
        return Verdict(req, Status.MET, tuple(full))
    if conditional:
        return Verdict(req, Status.CONDITIONAL, tuple(conditional), tuple(near))
    return Verdict(req, Status.UNMET, (), tuple(near))


def marketplace_statements(policies: Iterable[PolicyText]) -> list[Statement]:
    """Every parsed statement granting something to the marketplace service."""
    found: list[Statement] = []
    for policy in policies:
        for raw in policy.statements:
            parsed = parse(raw, policy.name)
            if parsed is not None and _is_marketplace(parsed):
                found.append(parsed)
    return found


def evaluate(
    policies: Iterable[PolicyText], requirements: Sequence[Requirement] = REQUIREMENTS
) -> list[Verdict]:
    """Judge each requirement against every statement of ``policies`` (the root compartment's)."""
    statements = marketplace_statements(policies)
    return [_judge(req, statements) for req in requirements]


def missing_statements(
    policies: Iterable[PolicyText], requirements: Sequence[Requirement] = REQUIREMENTS
) -> list[str]:
    """The statements to add so that every requirement is met without conditions."""
    return [v.requirement.statement for v in evaluate(policies, requirements)
            if v.status is not Status.MET]


def merge(existing: Sequence[str], additions: Sequence[str]) -> list[str]:
    """``existing`` untouched and in order, then each addition not already present.

    Presence is judged on the normalised, case-folded text, so re-applying is a no-op.
    """
    seen = {normalise(s).casefold() for s in existing}
    merged = list(existing)
    for statement in additions:
        key = normalise(statement).casefold()
        if key not in seen:
            seen.add(key)
            merged.append(statement)
    return merged
