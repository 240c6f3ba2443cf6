"""The rule catalogue and the runner.

Group modules are imported explicitly (no plugin magic): adding a rule group is one line
in :data:`ocmp.rules.catalogue_groups.GROUPS`, with the scope of its rules. A run imports
only the groups of the scopes it checks; the whole catalogue (``ocmp rules``, a pattern
that names a rule of another scope) imports them all. The runner lives here rather than
in ``core`` so that the layers stay acyclic (``rules`` → ``core``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING

from ocmp.core.findings import Finding, Problem, Scope, Severity
from ocmp.errors import InputError, OcmpError, redact
from ocmp.rules.base import Rule, registered

if TYPE_CHECKING:
    from ocmp.core.project import Project
    from ocmp.core.tenancy import TenancyFacts

__all__ = ["Rule", "Scope", "all_rules", "get", "run", "select_rules"]

_LOADED: set[Scope] = set()


def _load_groups(scopes: Iterable[Scope]) -> None:
    # Imported lazily so that `ocmp --version` never pays for the catalogue, and by scope so
    # that an offline run never pays for the tenancy checks (their clients, the policy).
    wanted = set(scopes) - _LOADED
    if not wanted:
        return
    import importlib

    from ocmp.rules.catalogue_groups import GROUPS

    for module, scope in GROUPS.items():
        if scope in wanted:
            importlib.import_module(f"ocmp.rules.{module}")  # importing registers its rules
    _LOADED.update(wanted)


def all_rules() -> dict[str, Rule]:
    """Every rule of the catalogue, by id."""
    return rules_of(Scope)


def rules_of(scopes: Iterable[Scope]) -> dict[str, Rule]:
    """The rules of ``scopes``, by id; only their groups are imported."""
    wanted = set(scopes)
    _load_groups(wanted)
    return {rule_id: r for rule_id, r in registered().items() if r.scope in wanted}


def get(rule_id: str) -> Rule:
    """One rule by id or dotted name; an unknown one is an input error naming the catalogue."""
    rules = all_rules()
    wanted = rule_id.strip()
    found = rules.get(wanted.upper()) or next((r for r in rules.values() if r.name == wanted), None)
    if found is None:
        raise InputError(f"no rule {rule_id!r}", hint="`ocmp rules` lists every rule id")
    return found


def _matches(rule: Rule, patterns: Iterable[str]) -> bool:
    for pattern in patterns:
        p = pattern.strip()
        if p and (rule.id.startswith(p.upper()) or rule.name == p or rule.name.startswith(p + ".")):
            return True
    return False


def select_rules(
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    scopes: Collection[Scope] | None = None,
) -> list[Rule]:
    """Rules kept by ``--select`` (ids, id prefixes like ``STK`` or names) minus ``--ignore``,
    among the rules of ``scopes`` (default: every scope). A pattern is checked against the
    whole catalogue: one that names only rules of another scope is no error."""
    rules = list((all_rules() if scopes is None else rules_of(scopes)).values())
    for pattern in (*select, *ignore):
        if not any(_matches(r, [pattern]) for r in rules) and not any(
            _matches(r, [pattern]) for r in all_rules().values()
        ):
            raise InputError(
                f"--select/--ignore: {pattern!r} matches no rule",
                hint="use a rule id (LST001), a prefix (STK) or a dotted name; see `ocmp rules`",
            )
    if select:
        rules = [r for r in rules if _matches(r, select)]
    return [r for r in rules if not _matches(r, ignore)]


def run(
    project: Project,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    scopes: Sequence[Scope] = (Scope.LISTING, Scope.STACK),
    tenancy: TenancyFacts | None = None,
) -> list[Finding]:
    """Run the selected rules whose scope the project offers; apply the listing's ``ignore:``.

    Live (TENANCY) rules run only when ``tenancy`` holds the facts read for this project;
    rules marked ``on_request`` only when ``select`` names them by id or name.
    """
    findings: list[Finding] = []
    ignored = project.ignored_rules()
    named = {s.strip().upper() for s in select} | {s.strip() for s in select}
    # The scopes this run can check; only their groups are imported.
    checked = [s for s in scopes
               if (tenancy is not None if s is Scope.TENANCY else project.offers(s))]
    for rule in select_rules(select, ignore, scopes=checked):
        if rule.on_request and rule.id not in named and rule.name not in named:
            continue
        if rule.id in ignored:
            if rule.ignorable:
                continue
            findings.append(_not_ignorable(rule, project))
        findings.extend(_run_one(rule, project, tenancy))
    if Scope.LISTING in scopes and project.listing_path is not None:
        findings.extend(_unknown_ignored(project))
    return findings


def _unknown_ignored(project: Project) -> list[Finding]:
    """An ``ignore:`` entry naming no rule switches nothing off: a typo hides nothing, and
    the publisher should know the rule they meant still runs."""
    entries = project.listing.model.ignore
    known = registered()  # the groups this run loaded; the whole catalogue only when needed
    if any(entry.rule not in known for entry in entries):
        known = all_rules()
    return [_ignore_note(project, index, f"{entry.rule} is no rule of the catalogue: the "
                         "entry has no effect", "check the id: `ocmp rules` lists the catalogue")
            for index, entry in enumerate(entries)
            if entry.rule not in known]


def _not_ignorable(rule: Rule, project: Project) -> Finding:
    """The ``ignore:`` entry of a secrets rule (STK005, STK009, STK104) has no effect: say
    so where it is."""
    index = next(i for i, e in enumerate(project.listing.model.ignore) if e.rule == rule.id)
    return _ignore_note(project, index,
                        f"{rule.id} has no effect: secrets checks cannot be switched off",
                        "remove the entry; take the secret out of the stack instead")


def _ignore_note(project: Project, index: int, what: str, hint: str) -> Finding:
    """A warning on the ``index``-th entry of listing.yaml's ``ignore:``, under its rule id."""
    listing = project.listing
    return Finding(
        rule=listing.model.ignore[index].rule,
        severity=Severity.WARNING,
        message=f"ignore: {what}",
        hint=hint,
        file=listing.display,
        line=listing.line_of("ignore", index, "rule"),
    )


def _run_one(rule: Rule, project: Project, tenancy: TenancyFacts | None) -> list[Finding]:
    try:
        problems: list[Problem] = list(rule.problems(project, tenancy))
    except OcmpError:  # bad input, cloud errors: the user must see them as such
        raise
    except Exception as exc:  # a bug in a rule must not hide the other findings
        problems = [
            Problem(
                f"internal error in rule {rule.id}: {type(exc).__name__}: {exc}",
                hint="this is a bug in ocmp; please report it with the input that caused it",
                severity=Severity.ERROR,
            )
        ]
    return [
        Finding(
            rule=rule.id,
            severity=p.severity or rule.severity,
            # a finding quotes the stack (a command, a URL): never the secret it holds
            message=redact(p.message),
            hint=redact(p.hint) if p.hint else p.hint,
            file=p.at.file,
            line=p.at.line,
            column=p.at.column,
        )
        for p in problems
    ]
