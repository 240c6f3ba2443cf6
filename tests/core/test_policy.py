"""The tolerant matcher of the marketplace service statements (validation-rules.md §3)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ocmp.core.policy import (
    REQUIREMENTS,
    NearMiss,
    PolicyText,
    Status,
    Verb,
    Verdict,
    covers,
    evaluate,
    merge,
    missing_statements,
    normalise,
    parse,
    requirements_for,
)

ROOT = "ocid1.tenancy.oc1..aaaaaaaaocmpsandboxdemotenancy"
ALL_SEVEN = [r.statement for r in REQUIREMENTS]


def policies(*statement_lists: list[str]) -> list[PolicyText]:
    return [PolicyText(f"p{i}", ROOT, tuple(s)) for i, s in enumerate(statement_lists)]


def verdict_for(resource: str, statements: list[str]) -> Verdict:
    (verdict,) = [v for v in evaluate(policies(statements)) if v.requirement.resource == resource]
    return verdict


def status_of(resource: str, *statement_lists: list[str]) -> Status:
    verdicts = {v.requirement.resource: v for v in evaluate(policies(*statement_lists))}
    return verdicts[resource].status


def test_oracles_seven_statements_meet_every_requirement() -> None:
    verdicts = evaluate(policies(ALL_SEVEN))
    assert [v.status for v in verdicts] == [Status.MET] * 7
    assert missing_statements(policies(ALL_SEVEN)) == []


def test_no_policy_misses_all_seven_with_the_exact_text_to_paste() -> None:
    assert missing_statements([]) == ALL_SEVEN


@pytest.mark.parametrize("index", range(7))
def test_each_statement_missing_is_reported_alone(index: int) -> None:
    present = ALL_SEVEN[:index] + ALL_SEVEN[index + 1 :]
    assert missing_statements(policies(present)) == [ALL_SEVEN[index]]


def test_case_whitespace_line_breaks_and_quotes_do_not_matter() -> None:
    messy = '  "allow   Service MARKETPLACE to\n MANAGE app-catalog-publisher-listing\tin tenancy" '
    assert status_of("app-catalog-publisher-listing", [messy]) is Status.MET


def test_statements_spread_over_several_policies_count_together() -> None:
    admins = ["Allow group Admins to manage all-resources in tenancy"]
    assert missing_statements(policies(ALL_SEVEN[:3], admins, ALL_SEVEN[3:])) == []


@pytest.mark.parametrize(
    ("statement", "resource"),
    [
        ("allow service marketplace to manage instance-images in tenancy", "instance-images"),
        ("allow service marketplace to use instances in tenancy", "instances"),
        ("allow service marketplace to manage orm-jobs in tenancy", "orm-jobs"),
    ],
)
def test_a_higher_verb_covers_a_lower_one(statement: str, resource: str) -> None:
    assert status_of(resource, [statement]) is Status.MET


def test_a_lower_verb_is_a_near_miss_not_a_grant() -> None:
    text = "allow service marketplace to inspect instance-images in tenancy"
    verdict = verdict_for("instance-images", [text])
    assert verdict.status is Status.UNMET
    assert verdict.near_misses[0][1] is NearMiss.LOWER_VERB


@pytest.mark.parametrize(
    ("family", "resources"),
    [
        ("instance-family", ["instances", "instance-images"]),
        ("orm-family", ["orm-stacks", "orm-jobs"]),
        ("all-resources", [r.resource for r in REQUIREMENTS if r.verb <= Verb.READ]),
    ],
)
def test_families_cover_their_members(family: str, resources: list[str]) -> None:
    statement = f"allow service marketplace to read {family} in tenancy"
    for resource in resources:
        assert status_of(resource, [statement]) is Status.MET, resource


def test_a_family_does_not_cover_what_it_does_not_contain() -> None:
    statement = "allow service marketplace to manage instance-family in tenancy"
    assert status_of("orm-stacks", [statement]) is Status.UNMET
    assert status_of("tenant", [statement]) is Status.UNMET
    assert not covers("orm-family", "instances")


def test_a_where_clause_is_conditional_and_still_listed_as_missing() -> None:
    text = "allow service marketplace to read orm-jobs in tenancy where request.region = 'iad'"
    verdict = verdict_for("orm-jobs", [text])
    assert verdict.status is Status.CONDITIONAL
    assert verdict.near_misses[0][1] is NearMiss.CONDITION
    assert ALL_SEVEN[6] in missing_statements(policies([text]))


def test_a_compartment_scoped_statement_is_not_sufficient() -> None:
    text = "allow service marketplace to read instance-images in compartment Images"
    verdict = verdict_for("instance-images", [text])
    assert verdict.status is Status.UNMET
    assert verdict.near_misses[0][1] is NearMiss.COMPARTMENT


def test_a_permission_list_is_not_evaluated() -> None:
    text = "allow service marketplace to {INSTANCE_IMAGE_READ} in tenancy"
    parsed = parse(text)
    assert parsed is not None and parsed.verb is None
    assert parsed.permissions == ("INSTANCE_IMAGE_READ",)
    verdict = verdict_for("instance-images", [text])
    assert verdict.status is Status.UNMET
    assert verdict.near_misses[0][1] is NearMiss.PERMISSION_LIST


def test_other_services_and_group_statements_do_not_count() -> None:
    others = [
        "allow service objectstorage-us-ashburn-1 to read instance-images in tenancy",
        "allow group Marketplace to read instance-images in tenancy",
        "define tenancy Acceptor as ocid1.tenancy.oc1..aaaa",
    ]
    assert status_of("instance-images", others) is Status.UNMET


def test_a_service_list_containing_marketplace_counts() -> None:
    text = "allow service objectstorage, Marketplace to read instance-images in tenancy"
    assert status_of("instance-images", [text]) is Status.MET


def test_stack_only_statements_are_required_only_for_stack_listings() -> None:
    image = {r.resource for r in requirements_for("image")}
    stack = {r.resource for r in requirements_for("stack")}
    assert "orm-stacks" not in image and "orm-jobs" not in image
    assert {"orm-stacks", "orm-jobs"} <= stack
    assert len(requirements_for(None)) == 7


def test_merge_keeps_the_users_statements_and_adds_only_new_ones() -> None:
    mine = ["Allow group A to read all-resources in tenancy", ALL_SEVEN[0].lower()]
    merged = merge(mine, ALL_SEVEN[:2])
    assert merged == [*mine, ALL_SEVEN[1]]
    assert merge(merged, ALL_SEVEN[:2]) == merged


verbs = st.sampled_from(["inspect", "read", "use", "manage"])
spaces = st.text(alphabet=" \t\n", min_size=1, max_size=3)


def _recase(text: str, flips: list[bool]) -> str:
    return "".join(c.upper() if f else c.lower() for c, f in zip(text, flips, strict=False))


@given(st.data())
def test_property_case_and_spacing_never_change_the_verdict(data: st.DataObject) -> None:
    req = data.draw(st.sampled_from(REQUIREMENTS))
    verb = data.draw(verbs)
    words = ["allow", "service", "marketplace", "to", verb, req.resource, "in", "tenancy"]
    flips = data.draw(st.lists(st.booleans(), min_size=200, max_size=200))
    text = "".join(data.draw(spaces) + w for w in words) + data.draw(spaces)
    text = _recase(text, flips)
    expected = Status.MET if Verb[verb.upper()] >= req.verb else Status.UNMET
    assert status_of(req.resource, [text]) is expected
    assert normalise(text).lower() == " ".join(words)


@given(st.lists(st.sampled_from(ALL_SEVEN), unique=True), st.randoms())
def test_property_missing_is_exactly_the_complement_however_split(
    present: list[str], rnd: object
) -> None:
    import random

    assert isinstance(rnd, random.Random)
    groups: list[list[str]] = [[], [], []]
    for statement in present:
        groups[rnd.randrange(3)].append(statement)
    missing = missing_statements(policies(*groups))
    assert set(missing) == set(ALL_SEVEN) - set(present)
    assert missing_statements(policies(*groups, missing)) == []
