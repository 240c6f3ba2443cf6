"""The ``package:`` section: what becomes the Publisher API artifact and listing revision package.

Mapping to the API (publisher-api.md §3.3):

* ``version`` → ``CreateListingRevisionPackageDetails.packageVersion``
* ``security_upgrades`` → ``areSecurityUpgradesProvided``
* ``description`` → ``description``; ``display_name`` → the artifact's ``displayName``
* ``image`` → ``CreateMachineImageArtifactDetails.machineImage`` (``MACHINE_IMAGE``)
* ``stack`` → ``CreateStackArtifactDetails.stack`` (``STACK``); ``image_listings`` become
  ``imageListingIds`` once names of listings in this repository are resolved to OCIDs.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from ocmp.schemas.common import Ocid, Strict, VersionText


class Range(Strict):
    """An inclusive integer range (``ocpuConstraints`` / ``memoryConstraints``)."""

    min: int = Field(ge=1, description="Smallest value allowed.")
    max: int = Field(ge=1, description="Largest value allowed.")

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        return self


class ShapeCompatibility(Strict):
    """One entry of ``imageShapeCompatibilityEntries``."""

    shape: str = Field(min_length=1, description="Compute shape name, e.g. VM.Standard.E4.Flex.")
    ocpus: Range | None = Field(None, description="OCPU constraints → ocpuConstraints {min, max}.")
    memory_gbs: Range | None = Field(
        None, description="Memory constraints in GB → memoryConstraints {minInGBs, maxInGBs}."
    )


class ImagePackage(Strict):
    """A machine image artifact (``artifactType: MACHINE_IMAGE``)."""

    source_image: Ocid = Field(description="The custom image OCID → sourceImageId.")
    username: str = Field("opc", description="Default login user → username.")
    snapshot_allowed: bool = Field(False, description="→ isSnapshotAllowed.")
    shapes: list[ShapeCompatibility] = Field(
        min_length=1, description="Compatible shapes → imageShapeCompatibilityEntries."
    )


class StackPackage(Strict):
    """A Terraform stack artifact (``artifactType: STACK``)."""

    path: str = Field("terraform/", description="The Terraform folder, relative to listing.yaml.")
    image_listings: list[str] = Field(
        default_factory=list,
        description="Image listings the stack uses: names of listings in this repository, or "
        "listing OCIDs → imageListingIds.",
    )


class _PackageBase(Strict):
    version: VersionText = Field(description="Package version → packageVersion, e.g. 2.1.0.")
    security_upgrades: bool = Field(
        False, description="Whether security upgrades are provided → areSecurityUpgradesProvided."
    )
    description: str | None = Field(None, description="Package description → description.")
    display_name: str | None = Field(
        None, description="Artifact display name; defaults to '<listing name> <version>'."
    )
    keep_published: int | list[VersionText] | None = Field(
        None,
        description="Package versions that stay published after `ocmp publish`: a count (the "
        "newest N) or a list of versions; the others are unpublished once the publish has "
        "succeeded. The default (new) version always stays. Unset: none is unpublished.",
    )

    @model_validator(mode="after")
    def _keep_valid(self) -> _PackageBase:
        keep = self.keep_published
        if isinstance(keep, bool) or (isinstance(keep, int) and keep < 1):
            raise ValueError("keep_published must be a count of at least 1 or a list of versions")
        if isinstance(keep, list) and self.version not in keep:
            raise ValueError(
                f"keep_published must include this package's version {self.version} "
                "(the default version is never unpublished)"
            )
        return self


class ImageListingPackage(_PackageBase):
    """``package:`` of an image listing."""

    image: ImagePackage


class StackListingPackage(_PackageBase):
    """``package:`` of a stack listing."""

    stack: StackPackage = Field(default_factory=lambda: StackPackage())
