"""The table of rule groups (``ocmp.rules.catalogue_groups.GROUPS``) against what each
group module registers: a run imports only the groups of the scopes it checks, so a
group's scope in the table must be the scope of every rule it registers."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict

import pytest

from ocmp.core.findings import Scope
from ocmp.errors import InputError
from ocmp.rules import all_rules, rules_of, select_rules
from ocmp.rules.catalogue_groups import GROUPS


def _scopes_by_module() -> dict[str, set[Scope]]:
    found: dict[str, set[Scope]] = defaultdict(set)
    for rule in all_rules().values():
        check = rule.check or rule.live_check
        assert check is not None
        found[check.__module__.removeprefix("ocmp.rules.")].add(rule.scope)
    return found


def test_every_group_is_in_the_table_with_the_scope_of_its_rules() -> None:
    found = _scopes_by_module()
    assert set(found) == set(GROUPS), "a group module registers no rule, or is not listed"
    for module, scopes in found.items():
        assert scopes == {GROUPS[module]}, f"ocmp.rules.{module}: rules of {sorted(scopes)}"


@pytest.mark.parametrize("scope", list(Scope))
def test_rules_of_a_scope_are_exactly_the_catalogues_rules_of_that_scope(scope: Scope) -> None:
    assert rules_of([scope]) == {i: r for i, r in all_rules().items() if r.scope is scope}


def test_a_pattern_naming_a_rule_of_another_scope_is_no_error() -> None:
    assert select_rules(["TEN001"], scopes=[Scope.LISTING, Scope.STACK]) == []
    with pytest.raises(InputError, match="matches no rule"):
        select_rules(["XYZ999"], scopes=[Scope.LISTING])


def _groups_imported(code: str) -> list[str]:
    """The rule group modules a fresh interpreter has imported after running ``code``."""
    script = (code + "\nimport json, sys\nprint(json.dumps(sorted(m for m in sys.modules "
              "if m.startswith('ocmp.rules.') and m[11:] in "
              f"{sorted(GROUPS)!r})))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    return [m.removeprefix("ocmp.rules.") for m in json.loads(done.stdout)]


def test_only_the_groups_of_the_scopes_asked_for_are_imported() -> None:
    offline = _groups_imported(
        "from ocmp.rules import select_rules; from ocmp.core.findings import Scope\n"
        "select_rules(scopes=[Scope.LISTING, Scope.STACK])")
    assert offline == sorted(m for m, s in GROUPS.items() if s is not Scope.TENANCY)
    assert _groups_imported("from ocmp.rules import all_rules; all_rules()") == sorted(GROUPS)
