"""The one step table: which steps a run walks, in which order, for each kind and target."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from ocmp.core.kinds import names
from ocmp.core.publish.run import Target
from ocmp.core.publish.steps import TABLE, steps_for


def _run(kind: str, target: Target, *, verify: bool = False, keep: Any = None,
         release: bool = False) -> Any:
    def subscribe(run: Any) -> None:
        """A release's subscribe step."""

    return SimpleNamespace(
        desired=SimpleNamespace(kind=kind, keep_published=keep),
        target=target,
        verify=verify,
        before_stack=subscribe if release else None,
    )


def _names(run: Any) -> list[str]:
    return [name for name, _ in steps_for(run)]


def test_every_kind_a_row_names_is_registered() -> None:
    assert {k for row in TABLE for k in row.kinds or ()} <= set(names())


def test_an_image_draft_stops_at_the_package() -> None:
    assert _names(_run("image", Target.DRAFT)) == [
        "terms", "artifact", "listing", "revision", "content", "attachments", "package"]


@pytest.mark.parametrize(("target", "tail"), [
    (Target.SUBMIT, ["submit"]),
    (Target.PRIVATE, ["submit", "review", "publish"]),
    (Target.PUBLIC, ["submit", "review", "publish"]),
])
def test_the_target_decides_the_review_steps(target: Target, tail: list[str]) -> None:
    assert _names(_run("image", target))[7:] == tail


def test_keep_published_adds_the_retire_step_only_when_publishing() -> None:
    assert _names(_run("image", Target.PUBLIC, keep=1))[-1] == "retire"
    assert "retire" not in _names(_run("image", Target.SUBMIT, keep=1))


def test_a_stack_uploads_first_and_has_its_own_artifact_step() -> None:
    run = _run("stack", Target.DRAFT, verify=True)
    assert _names(run)[:5] == ["stack", "verify", "terms", "artifact", "listing"]
    artifact = dict(steps_for(run))["artifact"]
    assert artifact.__module__ == "ocmp.core.publish.steps_stack"
    assert dict(steps_for(_run("image", Target.DRAFT)))["artifact"].__module__ == (
        "ocmp.core.publish.steps_base")
    assert "verify" not in _names(_run("stack", Target.DRAFT))


def test_in_a_release_the_independent_steps_go_before_the_subscription() -> None:
    assert _names(_run("stack", Target.PRIVATE, verify=True, release=True)) == [
        "terms", "listing", "subscribe", "stack", "verify", "artifact", "revision", "content",
        "attachments", "package", "submit", "review", "publish"]
