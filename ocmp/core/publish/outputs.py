"""What each publish step hands on to the steps after it: one small frozen dataclass each.

A step returns its output; the engine keeps it (:meth:`Run.hand_on
<ocmp.core.publish.run.Run.hand_on>`) and a later step reads it by type
(``run.output(TermsReady).term``). Each output names the resources it stands for
(:meth:`~ocmp.core.publish.run.StepOutput.made`): the journal records their ids and the
outcome shows them. In a plan, a resource the run would create has no id
(:attr:`Made.planned <ocmp.core.publish.run.Made.planned>`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ocmp.clients.publisher import Attachment, Package, Revision, RevisionStatus
from ocmp.core.publish.run import Made, StepOutput


@dataclass(frozen=True)
class TermsReady(StepOutput):
    """The term named in listing.yaml and its ACTIVE version holding the document."""

    term: Made
    version: Made

    def made(self) -> tuple[Made, ...]:
        """The term and its version."""
        return (self.term, self.version)


@dataclass(frozen=True)
class StackReady(StepOutput):
    """The Resource Manager stack holding this exact zip (a stack listing)."""

    stack: Made
    zip_sha: str

    def made(self) -> tuple[Made, ...]:
        """The stack, and the zip's hash as a status."""
        return (self.stack, Made("zip_sha256", status=self.zip_sha))


@dataclass(frozen=True)
class Verified(StepOutput):
    """How the ``--verify`` PLAN job of the stack ended."""

    state: str

    def made(self) -> tuple[Made, ...]:
        """The PLAN's state."""
        return (Made("verify", status=self.state),)


@dataclass(frozen=True)
class ArtifactReady(StepOutput):
    """The artifact the package points at, validated (or, in a plan, to be created)."""

    artifact: Made

    def made(self) -> tuple[Made, ...]:
        """The artifact."""
        return (self.artifact,)


@dataclass(frozen=True)
class ListingReady(StepOutput):
    """The listing, found by name or created."""

    listing: Made
    created: bool = False  # this run created it: it has no revisions yet

    def made(self) -> tuple[Made, ...]:
        """The listing."""
        return (self.listing,)


@dataclass(frozen=True)
class Draft(StepOutput):
    """The revision listing.yaml is applied to, as the revision step chose it.

    ``basis`` is what its content is compared with: the draft itself, or — in a plan that
    would clone a published revision — the published revision the clone would copy (its
    packages and attachments are the basis's). ``id`` is None when a plan would create or
    clone the draft.
    """

    id: str | None
    revision: Revision | None  # the live draft (None: a plan would make it)
    basis: Revision | None
    packages: tuple[Package, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    package: Package | None = None  # the basis's package of the desired version, if any
    # ``ocmp diff`` compares with the published revision: the draft beside it, if any.
    draft_beside: Revision | None = None

    @property
    def status(self) -> str:
        """The draft's status (a new or cloned draft is NEW)."""
        if self.revision is None or self.revision.status is None:
            return RevisionStatus.NEW
        return self.revision.status

    def made(self) -> tuple[Made, ...]:
        """The draft, and in a plan the live revision it would be cloned from."""
        if self.id is None:
            draft = Made("revision", planned=True)
            if self.basis is not None:  # a clone: say which live revision it copies
                return (draft, Made("live_revision", self.basis.id, self.basis.status))
            return (draft,)
        return (Made("revision", self.id, self.status),)


@dataclass(frozen=True)
class PackageReady(StepOutput):
    """The revision's default package of this version."""

    package: Made

    def made(self) -> tuple[Made, ...]:
        """The package."""
        return (self.package,)


@dataclass(frozen=True)
class Reviewed(StepOutput):
    """Oracle's decision on the draft (or where its review stands, with --no-wait)."""

    revision: Revision
    waited_for: str = ""  # "" when the decision was already there

    @property
    def waited(self) -> str:
        """What the review step waited for."""
        return self.waited_for

    def made(self) -> tuple[Made, ...]:
        """The revision with its status after the review."""
        return (Made("revision", self.revision.id, self.revision.status),)


@dataclass(frozen=True)
class Published(StepOutput):
    """The revision once live, and its package's status (publication moves it along)."""

    revision: Revision
    package_status: str | None = None

    def made(self) -> tuple[Made, ...]:
        """The live revision (and its package's status)."""
        made = [Made("revision", self.revision.id, self.revision.status)]
        if self.package_status is not None:
            made.append(Made("package", status=self.package_status))
        return tuple(made)


@dataclass(frozen=True)
class Retired(StepOutput):
    """What a retiring step (withdraw, unpublish, delete, keep_published) left."""

    left: tuple[Made, ...] = ()

    def made(self) -> tuple[Made, ...]:
        """The resources it acted on, with their statuses."""
        return self.left


@dataclass(frozen=True)
class Subscribed(StepOutput):
    """A release's subscription of the stack to its image listings."""

    result: str  # what it wrote, or that the stack was already subscribed

    @property
    def waited(self) -> str:
        """The subscription is work done without a write to the service."""
        return self.result
