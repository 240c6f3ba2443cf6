"""Steps only a stack listing has: the Resource Manager stack, its PLAN check, the STACK artifact.

The Terraform folder is zipped deterministically (same files → same bytes → same hash),
uploaded to Resource Manager as a ``ZIP_UPLOAD`` stack whose display name carries the
hash, so an unchanged folder finds its stack again and a changed one gets a new stack and
a new artifact.
"""

from __future__ import annotations

from ocmp.core.publish.desired import sha
from ocmp.core.publish.run import PENDING, Change, Run, token
from ocmp.core.publish.steps_base import ensure_artifact
from ocmp.errors import CloudError, ExitCode, InputError, OcmpError
from ocmp.schemas.common import is_ocid


class VerifyFailed(OcmpError):
    """The Resource Manager PLAN job of ``--verify`` failed (exit 1: fix the Terraform)."""

    exit_code = ExitCode.FINDINGS


def stack_zip(run: Run) -> bytes:
    """The stack's zip, built once per run."""
    cached = run.live.get("zip")
    if cached is not None:
        return bytes(cached.body["bytes"])
    from ocmp.clients.publisher import Resource
    from ocmp.core.publish.zipping import build_stack_zip

    assert run.desired.stack_path is not None
    data = build_stack_zip(run.desired.stack_path)
    run.live["zip"] = Resource("zip", "zip", "", None, {"bytes": data})
    return data


def step_stack(run: Run) -> None:
    """The Resource Manager stack holding this exact zip, found by name or created."""
    rm = run.resource_manager
    d = run.desired
    data = stack_zip(run)
    digest = sha(data)
    run.statuses["zip_sha256"] = digest
    name = f"{d.artifact_name} #{digest[:10]}"
    found = rm.find_stacks(d.compartment_id, name)
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
            token("stack", d.compartment_id, digest),
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
    """Run a PLAN job on the stack and stream its log (``--verify``)."""
    if not run.change(Change("verify", "plan", "Resource Manager PLAN job")) or run.pending(
        "stack"
    ):
        return
    rm = run.resource_manager
    stack_id = run.ids["stack"]
    job = rm.create_plan_job(stack_id, token("plan", stack_id))
    run.after_write()
    seen = {"last": ""}

    def read() -> object:
        current = rm.get_job(job.id)
        for entry in rm.job_logs(job.id, seen["last"] or None):
            run.reporter.log(str(entry.get("message", "")))
            seen["last"] = str(entry.get("timestamp", seen["last"]))
        return current

    final = run.wait_for(
        "the PLAN job",
        read,
        lambda j: getattr(j, "lifecycle_state", "") in {"SUCCEEDED", "FAILED", "CANCELED"},
    )
    state = getattr(final, "lifecycle_state", "")
    run.statuses["verify"] = state
    if state != "SUCCEEDED":
        details = getattr(final, "body", {}).get("failureDetails") or {}
        raise VerifyFailed(
            f"the PLAN job {job.id} ended {state}: {details.get('message') or 'see the log above'}",
            hint="fix the Terraform configuration, then re-run publish",
        )


def image_listing_ids(run: Run) -> list[str]:
    """``package.stack.image_listings`` as listing OCIDs (names are looked up)."""
    ids = []
    for ref in run.desired.image_listings:
        if is_ocid(ref):
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
