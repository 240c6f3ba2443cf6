"""The one table of publish steps: name, function, the kinds and targets it runs for.

:func:`steps_for` picks this run's rows, in table order. A row names the listing kinds it
applies to (``None``: every kind); where two rows share a name, the one naming the run's
kind wins over the default row, so a kind replaces a step (a stack's artifact) or adds
one (its Resource Manager stack) here, and nowhere else. ``early`` marks the steps that
depend on nothing a release publishes first: in a release, they run while the stack's
image listings are still being published, before the ``subscribe`` step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ocmp.core.publish import retire, steps_base, steps_review, steps_revision, steps_stack
from ocmp.core.publish.run import Run, StepOutput, Target

# A step reads the run (and what earlier steps handed on) and returns what it hands on.
StepFn = Callable[[Run], StepOutput | None]

ANY_TARGET = frozenset(Target)
SUBMITTED = frozenset({Target.SUBMIT, Target.PRIVATE, Target.PUBLIC})
PUBLISHED = frozenset({Target.PRIVATE, Target.PUBLIC})


def _always(run: Run) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    """One row of the table."""

    name: str
    run: StepFn
    kinds: frozenset[str] | None = None  # None: every kind (the default row of its name)
    targets: frozenset[Target] = ANY_TARGET
    when: Callable[[Run], bool] = _always  # an option that switches the step on
    early: bool = False  # independent of a release's image listings


STACK = frozenset({"stack"})

TABLE: tuple[Step, ...] = (
    Step("stack", steps_stack.step_stack, kinds=STACK),
    Step("verify", steps_stack.step_verify, kinds=STACK, when=lambda run: run.verify),
    Step("terms", steps_base.step_terms, early=True),
    Step("artifact", steps_base.step_artifact),
    Step("artifact", steps_stack.step_stack_artifact, kinds=STACK),
    Step("listing", steps_base.step_listing, early=True),
    Step("revision", steps_revision.step_revision),  # it compares the package too
    Step("content", steps_revision.step_content),
    Step("attachments", steps_revision.step_attachments),
    Step("package", steps_revision.step_package),
    Step("submit", steps_review.step_submit, targets=SUBMITTED),
    Step("review", steps_review.step_review, targets=PUBLISHED),
    Step("publish", steps_review.step_publish, targets=PUBLISHED),
    Step("retire", retire.step_keep_published, targets=PUBLISHED,
         when=lambda run: run.desired.keep_published is not None),
)


def steps_for(run: Run, table: tuple[Step, ...] = TABLE) -> list[tuple[str, StepFn]]:
    """The steps of ``run``, in order (see the module docstring)."""
    kind = run.desired.kind
    chosen: dict[str, Step] = {}
    for step in table:
        if step.kinds is None:
            chosen.setdefault(step.name, step)
        elif kind in step.kinds:
            chosen[step.name] = step  # the kind's own row replaces the default
    rows = [
        s for s in chosen.values() if run.target in s.targets and s.when(run)
    ]
    names = [s.name for s in table]
    rows.sort(key=lambda s: names.index(s.name))
    if run.before_stack is not None:
        # In a release, what does not depend on the image listings goes first, while they
        # are still being published; then the stack waits for them and is subscribed.
        first = [s for s in rows if s.early]
        rest = [s for s in rows if not s.early]
        return [*((s.name, s.run) for s in first), ("subscribe", run.before_stack),
                *((s.name, s.run) for s in rest)]
    return [(s.name, s.run) for s in rows]
