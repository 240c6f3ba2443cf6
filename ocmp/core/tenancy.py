"""Live facts about the publisher tenancy, read once per run for the TEN rules.

:class:`TenancyFacts` reads lazily: each fact is fetched the first time a rule asks and
then kept, so ``--select TEN001`` makes one call and a full run reads every fact once.

A fact that could not be read is an :class:`Unavailable` — never an empty list, never
a pass — and the rule turns it into a "could not check: …" finding with the rule's own
severity (an error-level check that cannot run fails the run; see ``ocmp rules explain``).
Two failures are not findings but stop the run with exit 4, because no check could
succeed after them: the service cannot be reached at all, and the credentials are
refused (401).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ocmp.clients.compute import (
    CatalogVersion,
    ComputeClient,
    Image,
    ImageShape,
    region_of_ocid,
)
from ocmp.clients.identity import Policy, RegionSubscription
from ocmp.clients.publisher import (
    PublisherAccount,
    PublisherApi,
    Revision,
    SupportedShape,
    Term,
    TermVersion,
)
from ocmp.clients.resource_manager import ResourceManagerApi, Stack
from ocmp.core.findings import Problem, Severity
from ocmp.errors import CloudError

if TYPE_CHECKING:
    from ocmp.clients import Clients
    from ocmp.schemas.listing import ImageListingFile, StackListingFile

T = TypeVar("T")

ASHBURN = "us-ashburn-1"
_STACK_OCID = re.compile(r"ocid1\.ormstack\.[a-z0-9]+\.[a-z0-9-]*\.[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Unavailable:
    """A fact that could not be read, and why."""

    reason: str
    hint: str | None = None
    status: int | None = None

    def problem(self, what: str) -> Problem:
        """The finding a rule reports instead of its verdict."""
        return Problem(f"could not check {what}: {self.reason}", hint=self.hint)


@dataclass(frozen=True, slots=True)
class NotFound:
    """The service answered 404 for a resource the listing names."""

    id: str


@dataclass(frozen=True, slots=True)
class TermsFacts:
    """The live terms the listing names, if they exist, and their versions."""

    term: Term | None
    versions: tuple[TermVersion, ...] = ()


def read(fetch: Callable[[], T]) -> T | Unavailable:
    """Run one read; a service error becomes :class:`Unavailable`.

    Raises:
        CloudError: the service is unreachable or the credentials are refused.
    """
    try:
        return fetch()
    except CloudError as exc:
        if exc.status is None or exc.status == 401:
            raise
        return Unavailable(exc.message, exc.hint, exc.status)


class TenancyFacts:
    """Everything the TEN rules need to know about the live tenancy."""

    def __init__(
        self,
        clients: Clients,
        listing: ImageListingFile | StackListingFile | None = None,
        project_root: Path | None = None,
    ) -> None:
        self.clients = clients
        self.listing = listing
        self.project_root = project_root

    @property
    def kind(self) -> str | None:
        """``image``, ``stack``, or None when there is no listing (tenancy only)."""
        return self.listing.kind if self.listing is not None else None

    @cached_property
    def tenancy_id(self) -> str:
        """The root compartment."""
        return self.clients.tenancy_id

    @cached_property
    def compartment(self) -> str:
        """Where the listing's resources live: ``compartment:`` or the root."""
        chosen = self.listing.compartment if self.listing is not None else None
        return chosen or self.tenancy_id

    @cached_property
    def region_subscriptions(self) -> list[RegionSubscription] | Unavailable:
        """Regions the tenancy is subscribed to."""
        return read(self.clients.identity.list_region_subscriptions)

    @cached_property
    def root_policies(self) -> list[Policy] | Unavailable:
        """Policies of the root compartment."""
        return read(lambda: self.clients.identity.list_policies(self.tenancy_id))

    @cached_property
    def other_policies(self) -> list[Policy] | Unavailable:
        """Policies of every compartment below the root."""

        def fetch() -> list[Policy]:
            found: list[Policy] = []
            for compartment in self.clients.identity.list_compartments(self.tenancy_id):
                found.extend(self.clients.identity.list_policies(compartment))
            return found

        return read(fetch)

    @cached_property
    def publisher(self) -> PublisherAccount | Unavailable | None:
        """The tenancy's publisher account (None: there is none)."""
        return read(self.clients.get(PublisherApi).publisher_account)

    @cached_property
    def supported_shapes(self) -> list[SupportedShape] | Unavailable:
        """Shapes Marketplace accepts."""
        return read(self.clients.get(PublisherApi).supported_shapes)

    @property
    def image_id(self) -> str | None:
        """The custom image an image listing publishes."""
        from ocmp.schemas.listing import ImageListingFile

        if isinstance(self.listing, ImageListingFile):
            return str(self.listing.package.image.source_image)
        return None

    def _compute(self) -> ComputeClient:
        # Read the image where its OCID says it lives (with --endpoint: the one endpoint).
        image_id = self.image_id or ""
        return self.clients.get(ComputeClient, region_of_ocid(image_id) or ASHBURN)

    @cached_property
    def image(self) -> Image | NotFound | Unavailable | None:
        """The listing's image; None without an image listing."""
        image_id = self.image_id
        if image_id is None:
            return None
        result = read(lambda: self._compute().get_image(image_id))
        if isinstance(result, Unavailable) and result.status == 404:
            return NotFound(image_id)
        return result

    def missing_image(self) -> str | None:
        """The OCID of the listing's image when the service says it does not exist."""
        image = self.image
        return image.id if isinstance(image, NotFound) else None

    @cached_property
    def image_shapes(self) -> list[ImageShape] | Unavailable | None:
        """The shapes the image declares itself compatible with."""
        image_id = self.image_id
        if image_id is None or not isinstance(self.image, Image):
            return None
        return read(lambda: self._compute().list_image_shapes(image_id))

    @cached_property
    def terms(self) -> TermsFacts | Unavailable | None:
        """The live terms named by the listing; None when the listing names none."""
        if self.listing is None or self.listing.terms is None:
            return None
        name = self.listing.terms.name
        api = self.clients.get(PublisherApi)  # the same reads `ocmp publish` makes

        def fetch() -> TermsFacts:
            found = [t for t in api.find_terms(self.compartment, name)
                     if t.lifecycle_state != "DELETED"]
            if not found:
                return TermsFacts(None)
            return TermsFacts(found[0], tuple(api.list_term_versions(found[0].id)))

        return read(fetch)

    @cached_property
    def revisions(self) -> list[Revision] | Unavailable | None:
        """Revisions of the live listing of the same name; None when it does not exist yet."""
        if self.listing is None:
            return None
        name = self.listing.listing.name
        api = self.clients.get(PublisherApi)

        def fetch() -> list[Revision] | None:
            listings = api.find_listings(self.compartment, name)
            if not listings:
                return None
            return api.list_revisions(listings[0].id)

        return read(fetch)

    @cached_property
    def stack_ids(self) -> list[str]:
        """Resource Manager stacks this listing refers to: in its journal (a previous
        ``ocmp publish`` created them) or written in listing.yaml."""
        from ocmp.schemas.listing import StackListingFile

        if not isinstance(self.listing, StackListingFile) or self.project_root is None:
            return []
        from ocmp.core.publish.journal import journal_scope, same_scope

        # Journals of a --sandbox rehearsal or another tenancy name stacks that are not here.
        scope = journal_scope(self.clients.tenancy_id, self.clients.settings.endpoint)
        texts = []
        for path in sorted((self.project_root / ".ocmp" / "state").glob("*.json")):
            text = path.read_text("utf-8", errors="replace")
            try:
                data = json.loads(text)
            except ValueError:
                data = None
            if not isinstance(data, dict) or same_scope(data, scope):
                texts.append(text)
        listing_file = self.project_root / "listing.yaml"
        if listing_file.is_file():
            texts.append(listing_file.read_text("utf-8", errors="replace"))
        return sorted({m.group(0) for text in texts for m in _STACK_OCID.finditer(text)})

    def catalog_versions(self, listing_id: str) -> list[CatalogVersion] | NotFound | Unavailable:
        """Published versions of a Marketplace (App Catalog) listing."""
        result = read(lambda: self.clients.compute.catalog_versions(listing_id))
        if isinstance(result, Unavailable) and result.status == 404:
            return NotFound(listing_id)
        return result

    def stack(self, stack_id: str) -> Stack | NotFound | Unavailable:
        """One Resource Manager stack."""
        result = read(lambda: self.clients.get(ResourceManagerApi).get_stack(stack_id))
        if isinstance(result, Unavailable) and result.status == 404:
            return NotFound(stack_id)
        return result


def could_not_check(fact: Unavailable, what: str, severity: Severity | None = None) -> Problem:
    """A "could not check" finding (the rule's severity unless ``severity`` is given)."""
    problem = fact.problem(what)
    if severity is None:
        return problem
    return Problem(problem.message, problem.at, problem.hint, severity)


def read_facts(
    clients: Clients,
    listing: ImageListingFile | StackListingFile | None,
    project_root: Path | None,
) -> TenancyFacts:
    """The live facts of one listing project (or of the tenancy alone), handed to the rule
    runner beside the project.

    Raises:
        CloudError: the service cannot be reached or the credentials are refused: one read
            up front stops the run here with exit 4, before any rule turns it into findings.
    """
    facts = TenancyFacts(clients, listing, project_root)
    _ = facts.region_subscriptions
    return facts
