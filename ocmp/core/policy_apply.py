"""``ocmp policy --apply``: add the missing marketplace statements to the root compartment.

Safe to run again and again, and alongside a human editing the same policy:

* only statements that no root policy already grants (see :mod:`ocmp.core.policy`) are
  added, so a second run changes nothing;
* the user's statements are kept verbatim and in order; nothing is ever removed;
* the update carries the etag read just before (``If-Match``); when someone else changed
  the policy in between, the service answers 412, and the policy is read and merged again
  (bounded), so their edit is kept and ours still lands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ocmp.clients.identity import IdentityClient, Policy
from ocmp.core.policy import PolicyText, Requirement, merge, missing_statements
from ocmp.errors import CloudError

MAX_ATTEMPTS = 5
DESCRIPTION = (
    "Lets the Oracle Cloud Marketplace service read the images and stacks of this tenancy's "
    "listings (statements added by ocmp policy --apply)"
)


class Outcome(StrEnum):
    """What --apply did."""

    UNCHANGED = "unchanged"  # every statement was already granted
    CREATED = "created"
    UPDATED = "updated"


@dataclass(frozen=True)
class ApplyResult:
    """The policy after --apply, and what was added."""

    outcome: Outcome
    policy_name: str
    policy_id: str | None
    added: tuple[str, ...]
    attempts: int
    statements: tuple[str, ...] = field(default=())


def _texts(policies: Sequence[Policy]) -> list[PolicyText]:
    return [PolicyText(p.name, p.compartment_id, p.statements) for p in policies]


def apply_policy(
    identity: IdentityClient,
    *,
    name: str,
    requirements: Sequence[Requirement],
    on_read: Callable[[Policy], None] | None = None,
) -> ApplyResult:
    """Create or update policy ``name`` in the root compartment so ``requirements`` are met.

    Args:
        identity: the Identity wrapper of the tenancy to change.
        name: the policy to create or extend (other root policies are read, never written).
        requirements: the statements the listing kind needs.
        on_read: called with the policy just read, before it is written back (progress
            observers use it; tests use it to edit concurrently).

    Raises:
        CloudError: a service error, or the policy kept changing under us.
    """
    root = identity.tenancy_id
    create_conflicts = 0
    for attempt in range(1, MAX_ATTEMPTS + 1):
        policies = [p for p in identity.list_policies(root) if p.lifecycle_state != "DELETED"]
        missing = missing_statements(_texts(policies), requirements)
        target = _find(policies, name)
        if not missing:
            return ApplyResult(
                Outcome.UNCHANGED, name, target.id if target else None, (), attempt,
                target.statements if target else (),
            )
        if target is None:
            try:
                created = identity.create_policy(
                    name, missing, description=DESCRIPTION, compartment_id=root
                )
            except CloudError as exc:
                create_conflicts += exc.status == 409
                if create_conflicts == 1:  # created meanwhile by someone else: merge into it
                    continue
                if exc.status == 409:  # still not in the root after a re-read: elsewhere
                    raise CloudError(
                        f"a policy named {name!r} exists, but not in the root compartment",
                        status=409,
                        code=exc.code,
                        request_id=exc.request_id,
                        hint="policy names are unique in a tenancy: pass another --name",
                    ) from None
                raise
            return ApplyResult(
                Outcome.CREATED, name, created.id, tuple(missing), attempt, created.statements
            )
        current = identity.get_policy(target.id)
        if on_read is not None:
            on_read(current)
        merged = merge(current.statements, missing)
        try:
            updated = identity.update_policy(current.id, merged, if_match=current.etag)
        except CloudError as exc:
            if exc.status == 412:  # changed since we read it: read again, merge again
                continue
            raise
        added = tuple(s for s in merged[len(current.statements):])
        return ApplyResult(Outcome.UPDATED, name, updated.id, added, attempt, updated.statements)
    raise CloudError(
        f"policy {name!r} kept changing while ocmp tried to update it ({MAX_ATTEMPTS} attempts)",
        hint="re-run `ocmp policy --apply` when nobody else is editing it",
    )


def _find(policies: Sequence[Policy], name: str) -> Policy | None:
    exact = [p for p in policies if p.name == name]
    if exact:
        return exact[0]
    # Policy names are unique regardless of case in OCI.
    folded = [p for p in policies if p.name.casefold() == name.casefold()]
    return folded[0] if folded else None
