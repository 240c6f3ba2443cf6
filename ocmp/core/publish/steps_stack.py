"""Steps only a stack listing has: the Resource Manager stack, its PLAN check, the STACK artifact.

The Terraform folder is zipped deterministically (same files → same bytes → same hash),
uploaded to Resource Manager as a ``ZIP_UPLOAD`` stack whose display name carries the
hash, so an unchanged folder finds its stack again and a changed one gets a new stack and
a new artifact.
"""

from __future__ import annotations

import secrets

from ocmp.core.publish.desired import sha
from ocmp.core.publish.outputs import ArtifactReady, StackReady, Verified
from ocmp.core.publish.run import PENDING, Change, Made, Run
from ocmp.core.publish.steps_base import ensure_artifact
from ocmp.core.stack_verify import (
    JobOutcome,
    VerifyFailed,
    create_stack,
    failure,
    run_jobs,
    stack_display_name,
    wait_active,
)
from ocmp.errors import InputError
from ocmp.schemas.common import is_ocid

__all__ = ["VerifyFailed", "step_stack", "step_stack_artifact", "step_verify"]


def stack_zip(run: Run) -> bytes:
    """The stack's zip, built once per run (a release's subscription clears it)."""
    if run.zip_cache is None:
        from ocmp.core.publish.zipping import build_stack_zip

        assert run.desired.stack_path is not None
        run.zip_cache = build_stack_zip(run.desired.stack_path)
    return run.zip_cache


def stack_name(run: Run) -> str:
    """The stack's display name: the package's name plus the hash of the zip."""
    return stack_display_name(run.desired.artifact_name, stack_zip(run))


def step_stack(run: Run) -> StackReady:
    """The Resource Manager stack holding this exact zip, found by name or created."""
    rm = run.rm
    d = run.desired
    data = stack_zip(run)
    name = stack_name(run)
    found = run.found.take(run.found.stacks.pop(name, None),
                           lambda: rm.find_stacks(d.compartment_id, name))
    description = f"{d.name} {d.package_version}, uploaded by ocmp"
    stack = found[0] if found else run.write(
        Change("stack", "create", f"Resource Manager stack {name!r}", f"zip of {len(data)} bytes"),
        lambda: create_stack(rm, d.compartment_id, name, data, description),
    )
    if stack is None:
        return StackReady(Made.of("stack", None), sha(data))
    wait_active(rm, stack, run.poll, run.reporter)
    return StackReady(Made.of("stack", stack.id), sha(data))


def step_verify(run: Run) -> Verified | None:
    """Run a PLAN job on the stack and stream its log (``--verify``): the check of
    ``ocmp stack verify``, on the stack this run publishes.

    A zip that already passed (remembered in the journal) is not planned again, so a
    re-run with nothing changed still makes no write. One that failed is planned anew
    (fresh retry tokens): what it depends on, such as the image listing it subscribes
    to, may have changed since.
    """
    digest = sha(stack_zip(run))
    if run.journal.hashes.get("verified_zip") == digest:
        return Verified("SUCCEEDED")
    stack_id = str(run.output(StackReady).stack.id)

    def plan() -> list[JobOutcome]:
        return run_jobs(run.rm, stack_id, apply=False, poll=run.poll,
                        reporter=run.reporter, nonce=secrets.token_hex(8))

    jobs = run.write(Change("verify", "plan", "Resource Manager PLAN job"), plan)
    if jobs is None:
        return None
    error = failure(jobs, "fix the Terraform configuration, then re-run publish")
    if error is not None:
        run.hand_on(Verified(jobs[-1].state))
        raise error
    run.journal.hashes["verified_zip"] = digest
    run.journal.save()
    return Verified(jobs[-1].state)


def image_listing_ids(run: Run) -> list[str]:
    """``package.stack.image_listings`` as listing OCIDs (names are looked up)."""
    ids = []
    for ref in run.desired.image_listings:
        if is_ocid(ref) or ref == PENDING:  # PENDING: a plan's image listing, created first
            ids.append(ref)
            continue
        found = run.api.find_listings(run.desired.compartment_id, ref)
        if not found:
            raise InputError(
                f"image listing {ref!r} does not exist in the compartment",
                file="listing.yaml",
                path="package.stack.image_listings",
                hint="publish the image listing first, or give its listing OCID",
            )
        ids.append(found[0].id)
    return ids


def step_stack_artifact(run: Run) -> ArtifactReady:
    """The STACK artifact pointing at the stack and the image listings it uses."""
    ids = image_listing_ids(run)
    digest = sha(stack_zip(run))
    block: dict[str, object] = {"sourceStackId": run.output(StackReady).stack.id or PENDING}
    if ids:
        block["imageListingIds"] = ids
    return ensure_artifact(run, block, {"zip": digest, "imageListingIds": ids})
