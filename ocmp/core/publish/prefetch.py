"""The lookups by name a run starts with, sent together rather than one step at a time.

The listing, the terms, the artifact and (for a stack listing) the Resource Manager stack
are each found by name before their step may create them. None of these reads depends on
another, so they go out concurrently (:func:`~ocmp.core.publish.run.in_parallel`): one
round trip to the region instead of four. The steps take the results from
:attr:`Run.found <ocmp.core.publish.run.Run.found>` instead of asking again; nothing
is written here, so a dry run prefetches the same way. A lookup that fails is kept as
its error and raised by the step that needs it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from ocmp.core.kinds import KindSource
from ocmp.core.publish.desired import sha
from ocmp.core.publish.run import Found, Run, in_parallel
from ocmp.core.publish.steps_base import artifact_display_name
from ocmp.errors import CloudError

R = TypeVar("R")


def _artifact_identity(run: Run) -> dict[str, object] | None:
    """What names the artifact, when the kind knows it without a request (else None)."""
    d = run.desired
    source = KindSource(d.stack_path, tuple(d.image_listings))

    def digest() -> str:
        from ocmp.core.publish.steps_stack import stack_zip

        return sha(stack_zip(run))

    return d.listing_kind.known_identity(d.artifact_block, source, digest)


def prefetch(run: Run) -> None:
    """Find the listing, terms, artifact and stack by name, concurrently."""
    d = run.desired
    api = run.api
    found = run.found
    # Each find, and where its result goes.
    finds: list[tuple[Callable[[], list[Any]], Callable[[Found[Any]], None]]] = [
        (lambda: api.find_listings(d.compartment_id, d.name),
         lambda r: setattr(found, "listings", r)),
        (lambda: api.find_terms(d.compartment_id, d.terms_name),
         lambda r: setattr(found, "terms", r)),
    ]
    identity = _artifact_identity(run)
    if identity is not None:
        name = artifact_display_name(run, identity)
        finds.append((lambda: api.find_artifacts(d.compartment_id, name),
                      lambda r: found.artifacts.__setitem__(name, r)))
    rm = run.resource_manager
    if d.listing_kind.uses_resource_manager and rm is not None:
        from ocmp.core.publish.steps_stack import stack_name

        stack = stack_name(run)
        finds.append((lambda: rm.find_stacks(d.compartment_id, stack),
                      lambda r: found.stacks.__setitem__(stack, r)))
    results = in_parallel([partial(_kept, find) for find, _ in finds])
    for (_, keep), result in zip(finds, results, strict=True):
        keep(result)


def _kept(find: Callable[[], list[R]]) -> list[R] | CloudError:
    """The find's result, or its error: raised by the step that needs it, so that the
    failure is reported against that step (and not retried a second time)."""
    try:
        return find()
    except CloudError as exc:
        return exc
