"""Listing revisions (OCI_APPLICATION): metadata, icon and banner.

Only NEW or REJECTED revisions can be changed. A listing has at most one revision in
draft or review; once one is published the next must come from ``clone``. Each read of a
revision under review is a reviewer poll (:mod:`.review`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ocmp.sandbox.core.errors import (
    ApiError,
    conflict,
    incorrect_state,
    invalid,
    missing,
    not_found,
)
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import new_id, touch
from ocmp.sandbox.services.publisher.models import content
from ocmp.sandbox.services.publisher.models.review import on_poll
from ocmp.sandbox.services.publisher.models.scope import (
    PUBLISHED,
    TAGS,
    Scope,
    require_editable,
)

BASE_FIELDS = ("displayName", "headline", "tagline", "keywords", "shortDescription",
               "usageInformation", "longDescription", "contentLanguage", "supportedlanguages",
               "supportContacts", "supportLinks", *TAGS)
OCI_FIELDS = ("versionDetails", "systemRequirements", "pricingType", "products",
              "partnerRegistrationUrl", "termId", "pricingPlans", "availabilityAndPricingPolicy",
              "recommendedServiceProviderListingIds", "isRoverExportable", "vanityUrl", "demoUrl",
              "selfPacedTrainingUrl")
FIELDS = (*BASE_FIELDS, *OCI_FIELDS)
"""The caller-settable fields of an OCI_APPLICATION revision, under their API names."""
STATUSES = ("NEW", "PENDING_REVIEW", "REVIEW_IN_PROGRESS", "REJECTED", "APPROVED",
            "PUBLISH_IN_PROGRESS", "PUBLISH_AS_PRIVATE_IN_PROGRESS", "PUBLISHED",
            "PUBLISHED_AS_PRIVATE", "UNPUBLISH_IN_PROGRESS", "UNPUBLISHED")
OPEN_STATES = frozenset({"NEW", "REJECTED", "PENDING_REVIEW", "REVIEW_IN_PROGRESS", "APPROVED",
                         "PUBLISH_IN_PROGRESS", "PUBLISH_AS_PRIVATE_IN_PROGRESS"})
PRICING_TYPES = ("FREE", "BYOL", "PAYGO")
IMAGE_TYPES = ("image/png", "image/jpeg")


@dataclass(frozen=True)
class RevisionFields:
    """What a Create/UpdateListingRevision sets: the listing type it claims, and the given
    API fields (:data:`FIELDS`, ``None`` ones left out), stored as given once checked."""

    listing_type: str | None
    given: Doc = field(default_factory=dict)

    @property
    def pricing_type(self) -> Any:
        """``pricingType`` as given."""
        return self.given.get("pricingType")

    @property
    def products(self) -> Any:
        """``products`` as given (a list of ``{code, categories}``)."""
        return self.given.get("products")

    @property
    def term_id(self) -> Any:
        """``termId`` as given."""
        return self.given.get("termId")


@dataclass(frozen=True)
class NewRevision:
    """What a CreateListingRevision asks for."""

    listing_id: str
    fields: RevisionFields


def revision_doc(ident: str, listing: Doc, number: int, status: str = "NEW") -> Doc:
    """A revision of ``listing`` with every field empty (creation and seeding build one)."""
    doc: Doc = {"id": ident, "listingId": listing["id"], "compartmentId": listing["compartmentId"],
                "revisionNumber": str(number), "status": status, "statusNotes": None,
                "lifecycleState": "ACTIVE", "packageType": listing["packageType"],
                "listingType": listing["listingType"], "extendedMetadata": None, "icon": None,
                "banner": None, "allowedTenancies": None,
                "areInternalTenancyLaunchAllowed": None, "systemTags": {}}
    doc.update(dict.fromkeys(FIELDS))
    doc.update(freeformTags={}, definedTags={})
    return doc


def get(scope: Scope, ident: str) -> Doc:
    """A live revision, its pending work request and review moved on by this read."""
    doc = scope.fetch("revision", ident, label="listing revision")
    return on_poll(scope.store, scope.tenancy, doc, scope.reviewer)


def _check_products(scope: Scope, products: Any) -> None:
    if not isinstance(products, list) or not products:
        raise invalid("products must list at least one product")
    for product in products:
        code = product.get("code") if isinstance(product, dict) else None
        if not code or scope.store.get(scope.tenancy, "product", code) is None:
            raise invalid(f"Unknown product code {code!r}")
        for category in product.get("categories") or []:
            known = scope.store.get(scope.tenancy, "category", str(category))
            if known is None or known["productCode"] != code:
                raise invalid(f"Unknown category {category!r} for product {code!r}")


def _apply(scope: Scope, doc: Doc, fields: RevisionFields) -> None:
    doc.update(fields.given)
    if fields.pricing_type is not None and fields.pricing_type not in PRICING_TYPES:
        raise invalid(f"pricingType must be one of {', '.join(PRICING_TYPES)}")
    if fields.products is not None:
        _check_products(scope, fields.products)
    if fields.term_id and scope.store.get(scope.tenancy, "term", fields.term_id) is None:
        raise ApiError(400, "RelatedResourceNotAuthorizedOrNotFound",
                       f"Term {fields.term_id} not found")


def _check_type(listing: Doc, fields: RevisionFields) -> None:
    if not fields.listing_type:
        raise missing("listingType")
    if fields.listing_type != listing["listingType"]:
        raise invalid(f"listingType {fields.listing_type} does not match the listing's "
                      f"{listing['listingType']}")
    if fields.listing_type != "OCI_APPLICATION":
        raise invalid("The sandbox emulates OCI_APPLICATION listing revisions only")


def create(scope: Scope, new: NewRevision) -> Doc:
    """A NEW revision of an ACTIVE listing that has none open and none published."""
    listing = scope.related("listing", new.listing_id, "Listing")
    if listing["lifecycleState"] != "ACTIVE":
        raise incorrect_state(f"Listing {listing['id']} is {listing['lifecycleState']}")
    _check_type(listing, new.fields)
    for name, value in (("pricingType", new.fields.pricing_type),
                        ("products", new.fields.products)):
        if value in (None, ""):
            raise missing(name)
    siblings = scope.live("revision", parent=listing["id"])
    if any(r["status"] in OPEN_STATES for r in siblings):
        raise incorrect_state(f"Listing {listing['id']} already has a revision in progress")
    if any(r["status"] in (*PUBLISHED, "UNPUBLISHED") for r in siblings):
        raise conflict("This listing has a published revision: clone it to start a new one")
    number = len(scope.store.list(scope.tenancy, "revision", parent=listing["id"])) + 1
    doc = revision_doc(new_id("mktpublistingrevision"), listing, number)
    _apply(scope, doc, new.fields)
    doc["displayName"] = doc["displayName"] or listing["name"]
    return scope.put("revision", touch(doc, created=True), parent=listing["id"])


def put_seeded(store: Store, tenancy: str, ident: str, listing: Doc, number: int, status: str,
               *, display_name: str, headline: str) -> Doc:
    """A revision that already exists (a seed's), in any status, under a stable id."""
    doc = revision_doc(ident, listing, number, status)
    doc.update(displayName=display_name, headline=headline)
    return store.put(tenancy, "revision", touch(doc), parent=listing["id"])


def update(scope: Scope, doc: Doc, fields: RevisionFields) -> Doc:
    """UpdateListingRevision of a NEW or REJECTED revision."""
    require_editable(doc)
    listing = scope.fetch("listing", doc["listingId"])
    _check_type(listing, fields)
    _apply(scope, doc, fields)
    return scope.put("revision", touch(doc))


def delete(scope: Scope, doc: Doc) -> None:
    """DELETED (409 while published, working, or holding packages)."""
    if doc["status"] in PUBLISHED or doc.get("_wr"):
        raise incorrect_state(f"Listing revision {doc['id']} is {doc['status']}")
    if scope.live("package", parent=doc["id"]):
        raise conflict("The revision still has packages; delete them or use cascadingDelete")
    doc["lifecycleState"] = "DELETED"
    scope.put("revision", touch(doc))


def _image(scope: Scope, doc: Doc, owner: str, data: bytes) -> str:
    """Keep an uploaded icon or banner; a refused upload leaves the stored one as it was."""
    mime = content.sniff_mime(data) if data else ""
    if mime not in IMAGE_TYPES:
        raise invalid(f"The {owner} must be a PNG or JPEG image (got {mime or 'an empty body'})")
    return content.save(scope.store, scope.tenancy, f"{owner}:{doc['id']}", data, mime)


def set_icon(scope: Scope, doc: Doc, data: bytes, base_url: str) -> Doc:
    """UpdateListingRevisionIconContent: a PNG or JPEG, served under ``base_url``."""
    require_editable(doc)
    mime = _image(scope, doc, "icon", data)
    doc["icon"] = {"contentUrl": f"{base_url}/listingRevisions/{doc['id']}/icon/content",
                   "mimeType": mime}
    return scope.put("revision", touch(doc))


def icon(scope: Scope, doc: Doc) -> tuple[bytes, str]:
    """The icon's bytes and mime type (404 before one is uploaded)."""
    stored = content.load(scope.store, scope.tenancy, f"icon:{doc['id']}")
    if stored is None:
        raise not_found("icon", doc["id"])
    return stored


def set_banner(scope: Scope, doc: Doc, name: str | None, data: bytes, base_url: str) -> Doc:
    """UpdateListingRevisionBannerContent: a named PNG or JPEG, served under ``base_url``."""
    require_editable(doc)
    if not name:
        raise missing("bannerName")
    mime = _image(scope, doc, "banner", data)
    doc["banner"] = {"contentUrl": f"{base_url}/listingRevisions/{doc['id']}/banner/content",
                     "mimeType": mime, "name": name}
    return scope.put("revision", touch(doc))
