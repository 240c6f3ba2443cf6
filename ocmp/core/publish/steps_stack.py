"""Steps only a stack listing has: the Resource Manager stack, its PLAN check, the STACK artifact.

The Terraform folder is zipped deterministically (same files → same bytes → same hash),
uploaded to Resource Manager as a ``ZIP_UPLOAD`` stack whose display name carries the
hash, so an unchanged folder finds its stack again and a changed one gets a new stack and
a new artifact.
"""

from __future__ import annotations

from ocmp.clients.publisher import Resource
from ocmp.core.publish.desired import sha
from ocmp.core.publish.run import PENDING, Change, Run, token
from ocmp.core.publish.steps_base import ensure_artifact, lookup
from ocmp.errors import CloudError, ExitCode, InputError, OcmpError
from ocmp.schemas.common import is_ocid


class VerifyFailed(OcmpError):
    """The Resource Manager PLAN job of ``--verify`` failed (exit 1: fix the Terraform)."""

    exit_code = ExitCode.FINDINGS


def stack_zip(run: Run) -> bytes:
    """The stack's zip, built once per run."""
    if run.zip_bytes is None:
        from ocmp.core.publish.zipping import build_stack_zip

        assert run.desired.stack_path is not None
        run.zip_bytes = build_stack_zip(run.desired.stack_path)
    return run.zip_bytes


def stack_name(run: Run) -> str:
    """The stack's display name: the package's name plus the hash of the zip."""
    return f"{run.desired.artifact_name} #{sha(stack_zip(run))[:10]}"


def stack_key(name: str) -> str:
    """The :attr:`Run.lookups` key of the stacks found by display name."""
    return f"stacks:{name}"


def step_stack(run: Run) -> None:
    """The Resource Manager stack holding this exact zip, found by name or created."""
    rm = run.resource_manager
    d = run.desired
    data = stack_zip(run)
    digest = sha(data)
    run.statuses["zip_sha256"] = digest
    name = stack_name(run)
    found = lookup(run, stack_key(name), lambda: rm.find_stacks(d.compartment_id, name))
    if found:
        stack = found[0]
    elif run.change(
        Change("stack", "create", f"Resource Manager stack {name!r}", f"zip of {len(data)} bytes")
    ):
        stack = rm.create_stack(
            d.compartment_id,
            name,
            data,
            {"ocmp-zip": digest},
            # The name too: two listings may ship the same zip, each in its own stack.
            token("stack", d.compartment_id, name),
            description=f"{d.name} {d.package_version}, uploaded by ocmp",
        )
        run.after_write()
    else:
        run.remember("stack", PENDING)
        return
    run.remember("stack", stack.id)
    if stack.lifecycle_state != "ACTIVE":
        stack = run.wait_for(
            "the stack",
            lambda: rm.get_stack(stack.id),
            lambda s: s.lifecycle_state in {"ACTIVE", "FAILED"},
        )
        if stack.lifecycle_state != "ACTIVE":
            raise CloudError(
                f"Resource Manager could not create the stack {name!r}",
                hint="check the zip with `ocmp validate`, then re-run",
            )


def step_verify(run: Run) -> None:
    """Run a PLAN job on the stack and stream its log (``--verify``).

    A zip that already passed (remembered in the journal) is not planned again, so a
    re-run with nothing changed still makes no write.
    """
    digest = sha(stack_zip(run))
    if run.journal.hashes.get("verified_zip") == digest:
        run.statuses["verify"] = "SUCCEEDED"
        return
    if not run.change(Change("verify", "plan", "Resource Manager PLAN job")):
        return
    rm = run.resource_manager
    stack_id = run.ids["stack"]
    job = rm.create_plan_job(stack_id, token("plan", stack_id))
    run.after_write()
    seen = {"last": ""}

    def read() -> Resource:
        current: Resource = rm.get_job(job.id)
        for entry in rm.job_logs(job.id, seen["last"] or None):
            run.reporter.log(str(entry.get("message", "")))
            seen["last"] = str(entry.get("timestamp", seen["last"]))
        return current

    final = run.wait_for(
        "the PLAN job", read, lambda j: j.lifecycle_state in {"SUCCEEDED", "FAILED", "CANCELED"}
    )
    run.statuses["verify"] = final.lifecycle_state
    if final.lifecycle_state != "SUCCEEDED":
        details = final.get("failureDetails") or {}
        raise VerifyFailed(
            f"the PLAN job {job.id} ended {final.lifecycle_state}: "
            f"{details.get('message') or 'see the log above'}",
            hint="fix the Terraform configuration, then re-run publish",
        )
    run.journal.hashes["verified_zip"] = digest
    run.journal.save()


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


def step_stack_artifact(run: Run) -> None:
    """The STACK artifact pointing at the stack and the image listings it uses."""
    ids = image_listing_ids(run)
    digest = sha(stack_zip(run))
    block: dict[str, object] = {"sourceStackId": run.ids.get("stack", PENDING)}
    if ids:
        block["imageListingIds"] = ids
    ensure_artifact(run, block, {"zip": digest, "imageListingIds": ids})
