"""Steps for the resources a revision points to: terms, artifact, listing.

Each step finds its resource by name first (a lost journal never leads to a duplicate),
creates it only when it is missing — with a deterministic retry token — and waits until
it is usable.
"""

from __future__ import annotations

from typing import Any

from ocmp.clients.publisher import Resource
from ocmp.core.publish.desired import LISTING_TYPE, spec_hash
from ocmp.core.publish.run import PENDING, Change, Run, token
from ocmp.errors import CloudError


def step_terms(run: Run) -> None:
    """The Term named in listing.yaml, with an ACTIVE version holding the document."""
    d = run.desired
    prefetched, run.found.terms = run.found.terms, None  # used once
    found = run.found.take(prefetched, lambda: run.api.find_terms(d.compartment_id, d.terms_name))
    created_now = False
    if found:
        run.remember("term", found[0].id)
    else:
        term = run.write(
            Change("terms", "create", f"term {d.terms_name!r}"),
            lambda: run.api.create_term(
                d.compartment_id, d.terms_name, token("term", d.compartment_id, d.terms_name)
            ),
        )
        run.remember("term", term.id if term else PENDING)
        created_now = term is not None
    version_name = f"{d.terms.path.name} sha256:{d.terms.sha}"
    # A term this run just created has no versions yet: no need to ask.
    skip = run.pending("term") or created_now
    versions = [] if skip else run.api.list_term_versions(run.ids["term"])
    match = [v for v in versions if v.name == version_name and v.lifecycle_state != "DELETED"]
    if match:
        version = match[0]
        run.remember("term_version", version.id)
        if version.lifecycle_state != "ACTIVE":
            run.write(Change("terms", "activate", f"term version {version_name!r}"),
                      lambda: run.api.activate_term_version(version.id))
        return
    term_id = run.ids["term"]
    created = run.write(
        Change(
            "terms",
            "create",
            f"term version {version_name!r}",
            "the terms document changed" if versions else "",
        ),
        lambda: run.api.create_term_version(
            term_id,
            d.terms.content,
            version_name,
            token("termversion", term_id, version_name),  # the name holds the sha
        ),
    )
    run.remember("term_version", created.id if created else PENDING)
    if created is None or created.lifecycle_state != "ACTIVE":  # a plan activates it too
        new = created
        run.write(Change("terms", "activate", f"term version {version_name!r}"),
                  lambda: run.api.activate_term_version(new.id if new else PENDING))


def artifact_display_name(run: Run, block: dict[str, Any]) -> str:
    """The artifact's display name: the package's name plus the hash of its specification."""
    return f"{run.desired.artifact_name} #{spec_hash(block)[:10]}"


def ensure_artifact(run: Run, block: dict[str, Any], identity: dict[str, Any]) -> None:
    """Find or create the artifact ``block`` describes, and wait until it is AVAILABLE.

    ``identity`` is what names the artifact's content (for a stack: the zip hash, not the
    Resource Manager stack OCID, which a dry run does not know yet).
    """
    d = run.desired
    name = artifact_display_name(run, identity)
    found = run.found.take(run.found.artifacts.pop(name, None),
                           lambda: run.api.find_artifacts(d.compartment_id, name))
    if found:
        artifact = found[0]
    else:
        key = f"artifact:{name}"
        if not run.change(Change("artifact", "create", f"{d.package_type} artifact {name!r}")):
            run.remember("artifact", PENDING)
            return
        body = {
            "compartmentId": d.compartment_id,
            "displayName": name,
            "artifactType": d.package_type,
            d.listing_kind.artifact_field: block,
        }
        wr = run.work_request(
            key,
            lambda: run.api.create_artifact(body, token("artifact", d.compartment_id, name)),
            "creating the artifact",
        )
        created = wr.created_id("artifact")
        if created is None:  # fall back to the name, which is unique to this content
            again = run.api.find_artifacts(d.compartment_id, name)
            if not again:
                raise CloudError("the artifact's work request succeeded but no artifact exists")
            created = again[0].id
        artifact = run.api.get_artifact(created)
    run.remember("artifact", artifact.id)
    if artifact.lifecycle_state == "ACTIVE" and artifact.status == "AVAILABLE":
        run.statuses["artifact"] = "AVAILABLE"
        return
    ready = run.wait_for(
        "artifact validation",
        lambda: run.api.get_artifact(artifact.id),
        lambda a: a.status in {"AVAILABLE", "UNAVAILABLE"} or a.lifecycle_state == "FAILED",
    )
    run.statuses["artifact"] = str(ready.status)
    if ready.status != "AVAILABLE":
        block_out = ready.get(d.listing_kind.artifact_field) or {}
        why = block_out.get("validationError") or ready.status_notes or ready.status
        raise CloudError(
            f"the artifact {name!r} failed validation: {why}",
            hint="fix the image or stack, bump package.version, and re-run",
        )


def step_artifact(run: Run) -> None:
    """The artifact of a kind whose block listing.yaml decides whole (an image)."""
    block = run.desired.artifact_block
    ensure_artifact(run, block, block)


def check_listing_kind(run: Run) -> list[Resource]:
    """Before any write: a live listing of this name with another package type stops the run.

    Checked first, not at the listing step, so that a kind mismatch does not leave a
    Resource Manager stack, a new term version and an artifact behind. Returns the
    listings found by name (kept, found or not, so the run reads them once: only the
    listing step creates a listing).
    """
    d = run.desired
    found = run.found.take(
        run.found.listings, lambda: run.api.find_listings(d.compartment_id, d.name)
    )
    run.found.listings = found
    for listing in found[:1]:
        if listing.package_type not in (None, d.package_type):
            raise CloudError(
                f"listing {d.name!r} exists with package type {listing.get('packageType')}, "
                f"but listing.yaml is kind {d.kind}",
                hint="rename the listing in listing.yaml, or fix its kind",
            )
    return found


def step_listing(run: Run) -> None:
    """The listing, found by name in the compartment, or created."""
    d = run.desired
    found = check_listing_kind(run)
    body = {
        "compartmentId": d.compartment_id,
        "name": d.name,
        "listingType": LISTING_TYPE,
        "packageType": d.package_type,
    }
    made = found[0] if found else run.write(
        Change("listing", "create", f"listing {d.name!r}"),
        lambda: run.api.create_listing(body, token("listing", d.compartment_id, d.name)),
    )
    if made is None:
        run.remember("listing", PENDING)
        return
    listing = made
    run.remember("listing", listing.id)
    run.listing_is_new = not found
    if listing.lifecycle_state != "ACTIVE":
        run.wait_for(
            "the listing",
            lambda: run.api.get_listing(listing.id),
            lambda x: x.lifecycle_state in {"ACTIVE", "FAILED"},
        )


def package_target(run: Run) -> dict[str, Any]:
    """The package fields the revision's default package must have."""
    return {
        **run.desired.package,
        "artifactId": run.ids.get("artifact"),
        "termId": run.ids.get("term"),
    }


def package_diff(live: Resource | None, want: dict[str, Any]) -> dict[str, Any]:
    """Fields of ``want`` that the live package lacks or holds differently."""
    if live is None:
        return dict(want)
    return {k: v for k, v in want.items() if live.get(k) != v}
