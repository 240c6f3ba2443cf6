"""Steps for the resources a revision points to: terms, artifact, listing.

Each step finds its resource by name first (a lost journal never leads to a duplicate),
creates it only when it is missing — with a deterministic retry token — and waits until
it is usable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ocmp.clients.publisher import Artifact, Listing, Package
from ocmp.core.publish.desired import LISTING_TYPE, spec_hash
from ocmp.core.publish.outputs import ArtifactReady, ListingReady, TermsReady
from ocmp.core.publish.run import Change, FieldChange, Made, Run, token
from ocmp.errors import CloudError


def step_terms(run: Run) -> TermsReady:
    """The Term named in listing.yaml, with an ACTIVE version holding the document."""
    d = run.desired
    prefetched, run.found.terms = run.found.terms, None  # used once
    found = run.found.take(prefetched, lambda: run.api.find_terms(d.compartment_id, d.terms_name))
    term_id: str | None
    if found:
        term_id = found[0].id
    else:
        term = run.write(
            Change("terms", "create", f"term {d.terms_name!r}"),
            lambda: run.api.create_term(
                d.compartment_id, d.terms_name, token("term", d.compartment_id, d.terms_name)
            ),
        )
        term_id = term.id if term else None
    version_name = f"{d.terms.path.name} sha256:{d.terms.sha}"
    # A term this run just created (or a plan would create) has no versions yet.
    versions = run.api.list_term_versions(term_id) if found and term_id else []
    match = [v for v in versions if v.name == version_name and v.lifecycle_state != "DELETED"]
    if match:
        version = match[0]
        if version.lifecycle_state != "ACTIVE":
            run.write(Change("terms", "activate", f"term version {version_name!r}"),
                      lambda: run.api.activate_term_version(version.id))
        return TermsReady(Made.of("term", term_id), Made.of("term_version", version.id))
    created = run.write(
        Change(
            "terms",
            "create",
            f"term version {version_name!r}",
            "the terms document changed" if versions else "",
        ),
        lambda: run.api.create_term_version(
            str(term_id),
            d.terms.content,
            version_name,
            token("termversion", str(term_id), version_name),  # the name holds the sha
        ),
    )
    if created is None or created.lifecycle_state != "ACTIVE":  # a plan activates it too
        new = created
        run.write(Change("terms", "activate", f"term version {version_name!r}"),
                  lambda: run.api.activate_term_version(new.id if new else ""))
    return TermsReady(
        Made.of("term", term_id), Made.of("term_version", created.id if created else None)
    )


def artifact_display_name(run: Run, block: dict[str, Any]) -> str:
    """The artifact's display name: the package's name plus the hash of its specification."""
    return f"{run.desired.artifact_name} #{spec_hash(block)[:10]}"


def ensure_artifact(run: Run, block: dict[str, Any], identity: dict[str, Any]) -> ArtifactReady:
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
        body = {
            "compartmentId": d.compartment_id,
            "displayName": name,
            "artifactType": d.package_type,
            d.listing_kind.artifact_field: block,
        }
        made = run.write(
            Change("artifact", "create", f"{d.package_type} artifact {name!r}"),
            lambda: _create_artifact(run, name, body),
        )
        if made is None:
            return ArtifactReady(Made.of("artifact", None))
        artifact = made
    if artifact.lifecycle_state == "ACTIVE" and artifact.status == "AVAILABLE":
        return ArtifactReady(Made("artifact", artifact.id, "AVAILABLE"))
    ready = run.wait_for(
        "artifact validation",
        lambda: run.api.get_artifact(artifact.id),
        lambda a: a.status in {"AVAILABLE", "UNAVAILABLE"} or a.lifecycle_state == "FAILED",
    )
    if ready.status != "AVAILABLE":
        why = ready.validation_error or ready.status_notes or ready.status
        raise CloudError(
            f"the artifact {name!r} failed validation: {why}",
            hint="fix the image or stack, bump package.version, and re-run",
        )
    return ArtifactReady(Made("artifact", artifact.id, ready.status))


def _create_artifact(run: Run, name: str, body: dict[str, Any]) -> Artifact:
    """Create the artifact (a work request) and read it back."""
    d = run.desired
    wr = run.work_request(
        f"artifact:{name}",
        lambda: run.api.create_artifact(body, token("artifact", d.compartment_id, name)),
        "creating the artifact",
    )
    created = wr.created_id("artifact")
    if created is None:  # fall back to the name, which is unique to this content
        again = run.api.find_artifacts(d.compartment_id, name)
        if not again:
            raise CloudError("the artifact's work request succeeded but no artifact exists")
        created = again[0].id
    return run.api.get_artifact(created)


def step_artifact(run: Run) -> ArtifactReady:
    """The artifact of a kind whose block listing.yaml decides whole (an image)."""
    block = run.desired.artifact_block
    return ensure_artifact(run, block, block)


def check_listing_kind(run: Run) -> list[Listing]:
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
                f"listing {d.name!r} exists with package type {listing.package_type}, "
                f"but listing.yaml is kind {d.kind}",
                hint="rename the listing in listing.yaml, or fix its kind",
            )
    return found


def step_listing(run: Run) -> ListingReady:
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
        return ListingReady(Made.of("listing", None), created=True)
    listing = made
    if listing.lifecycle_state != "ACTIVE":
        run.wait_for(
            "the listing",
            lambda: run.api.get_listing(listing.id),
            lambda x: x.lifecycle_state in {"ACTIVE", "FAILED"},
        )
    return ListingReady(Made.of("listing", listing.id), created=not found)


@dataclass(frozen=True)
class PackageTarget:
    """What the revision's default package must be: listing.yaml's package, pointing at
    this run's artifact and term (None: a plan would create them)."""

    version: str
    description: str | None
    security_upgrades: bool
    artifact_id: str | None
    term_id: str | None

    # The API's field name of each attribute, shared by the body and the diff.
    FIELDS = (
        ("packageVersion", "version"),
        ("description", "description"),
        ("areSecurityUpgradesProvided", "security_upgrades"),
        ("artifactId", "artifact_id"),
        ("termId", "term_id"),
    )

    def body(self) -> dict[str, Any]:
        """The create body's fields (a description listing.yaml leaves out is not sent)."""
        return {
            wire: getattr(self, attr)
            for wire, attr in self.FIELDS
            if not (attr == "description" and self.description is None)
        }

    def diff(self, live: Package | None) -> list[FieldChange]:
        """The fields the live package lacks or holds differently (all of them: none)."""
        want = self.body()
        if live is None:
            return [FieldChange(wire, None, value) for wire, value in want.items()]
        have = {wire: getattr(live, attr) for wire, attr in self.FIELDS}
        # An id is None only in a plan, for the artifact or term the run would create: it
        # is shown as that, not as None (which reads as "removed"); a plan sends nothing.
        return [FieldChange(k, have[k], PLANNED if v is None and k in _IDS else v)
                for k, v in want.items() if have[k] != v]


_IDS = frozenset({"artifactId", "termId"})
PLANNED = "(the one this run creates)"


def package_target(run: Run) -> PackageTarget:
    """The package the revision's default package must be."""
    spec = run.desired.package
    return PackageTarget(
        version=spec.version,
        description=spec.description,
        security_upgrades=spec.security_upgrades,
        artifact_id=run.output(ArtifactReady).artifact.id,
        term_id=run.output(TermsReady).term.id,
    )
