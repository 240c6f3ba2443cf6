"""The models of ``listing.yaml``: the single source of truth for the file and its JSON Schema.

A listing file is an :class:`ImageListingFile` or a :class:`StackListingFile`, told apart by
``kind``. Field names are snake_case; each field's description names the Publisher API
field it feeds (``CreateOciListingRevisionDetails`` unless stated otherwise).
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BeforeValidator, Field, TypeAdapter

from ocmp.schemas.common import DateText, Ocid, Strict, Text, VersionText, any_case
from ocmp.schemas.email import Email
from ocmp.schemas.package import ImageListingPackage, StackListingPackage

PRICING_TYPES = ("FREE", "BYOL", "PAYGO")
PLAN_TYPES = ("METERED", "FIXED", "USAGE_BASED", "HYBRID")
# MeteredPricingPlan.name in the installed SDK (oci 2.189): the pricing strategy.
METERED_PLAN_NAMES = (
    "PER_OCPU_LINEAR",
    "PER_OCPU_MIN_BILLING_HRS",
    "PER_INSTANCE",
    "PER_INSTANCE_MONTHLY_INCLUSIVE",
)
_CategoryName = Literal[
    "CASE_STUDIES",
    "CUSTOMIZATION_GUIDES",
    "DATA_SHEETS",
    "PRESS_RELEASE",
    "PRODUCT_DOCUMENTATION",
    "USER_GUIDES",
    "WEBINARS",
    "WHITEPAPERS",
]
DocumentCategory = Annotated[_CategoryName, any_case(get_args(_CategoryName))]


class SupportContact(Strict):
    """→ supportContacts[] ``{name, phone, email, subject}``."""

    name: str = Field(min_length=1)
    email: Email | None = None
    phone: str | None = None
    subject: str | None = None


class Link(Strict):
    """A named link → supportLinks[] ``{name, url}``."""

    name: str = Field(min_length=1)
    url: str = Field(description="Absolute http(s) URL.")


class Language(Strict):
    """→ LanguageItem ``{name, code}``."""

    code: str = Field(min_length=2, description="Language code, e.g. en.")
    name: str = Field(min_length=1, description="Language name, e.g. English.")


class Languages(Strict):
    """→ contentLanguage and supportedlanguages."""

    content: Language = Field(default_factory=lambda: Language(code="en", name="English"))
    supported: list[Language] = Field(default_factory=list)


class Product(Strict):
    """→ products[] ``{code, categories}``."""

    code: str = Field(min_length=1, description="Product code, e.g. applications.")
    categories: list[str] = Field(description="Category codes, e.g. DEVELOPER_TOOLS.")


class Rate(Strict):
    """→ PricingRate ``{billingCurrency, rate}``."""

    currency: Annotated[str, BeforeValidator(lambda v: v.upper() if isinstance(v, str) else v)] = (
        Field(min_length=3, max_length=3, description="ISO 4217 code, e.g. USD."))
    rate: float = Field(ge=0)


class PricingPlan(Strict):
    """→ pricingPlans[] (discriminated by ``planType``)."""

    type: Annotated[str, any_case(PLAN_TYPES)] = Field(
        "METERED",
        description="planType: METERED | FIXED | USAGE_BASED | HYBRID.",
        json_schema_extra={"enum": list(PLAN_TYPES)},
    )
    name: Annotated[str | None, any_case(METERED_PLAN_NAMES)] = Field(
        None,
        description="For METERED plans the pricing strategy: " + " | ".join(METERED_PLAN_NAMES),
    )
    description: str | None = Field(None, description="→ planDescription.")
    billing_frequency: str | None = Field(None, description="→ billingFrequency, e.g. MONTHLY.")
    rates: list[Rate] = Field(min_length=1, description="USD first, then other currencies.")


class Pricing(Strict):
    """→ pricingType and pricingPlans."""

    type: Annotated[str, any_case(PRICING_TYPES)] = Field(
        description="FREE | BYOL | PAYGO → pricingType.",
        json_schema_extra={"enum": list(PRICING_TYPES)},
    )
    plans: list[PricingPlan] = Field(default_factory=list, description="Plans of a PAYGO listing.")


class VersionDetails(Strict):
    """→ versionDetails ``{number, description, releaseDate}``."""

    number: VersionText
    description: str = Field("", description="Release notes of this version.")
    release_date: DateText


class Document(Strict):
    """A related document → attachment ``RELATED_DOCUMENT``."""

    name: str = Field(min_length=1, description="→ displayName.")
    category: DocumentCategory = Field(description="→ documentCategory.")
    url: str = Field(description="→ sourceUrl.")


class Video(Strict):
    """A video → attachment ``VIDEO`` (``videoAttachmentDetails.contentUrl``)."""

    name: str = Field(min_length=1)
    url: str


class Screenshot(Strict):
    """A screenshot file → attachment ``SCREENSHOT``."""

    file: str
    name: str | None = None


class ListingMetadata(Strict):
    """The ``listing:`` section: the listing and its revision's marketing content."""

    name: str = Field(description="Listing name (CreateListingDetails.name); fixed once created.")
    headline: str | None = Field(None, description="→ headline (required by the API).")
    tagline: str | None = Field(None, description="→ tagline.")
    short_description: Text | None = Field(None, description="→ shortDescription.")
    long_description: Text | None = Field(None, description="→ longDescription.")
    usage_information: Text | None = Field(None, description="→ usageInformation.")
    system_requirements: Text | None = Field(None, description="→ systemRequirements.")
    keywords: list[str] = Field(default_factory=list, description="→ keywords (comma-joined).")
    products: list[Product] = Field(default_factory=list, description="→ products.")
    pricing: Pricing | None = Field(None, description="→ pricingType, pricingPlans.")
    version: VersionDetails | None = Field(None, description="→ versionDetails.")
    support_contacts: list[SupportContact] = Field(default_factory=list)
    support_links: list[Link] = Field(default_factory=list)
    languages: Languages = Field(default_factory=lambda: Languages())
    icon: str | None = Field(None, description="PNG or JPEG, square, at least 130x130 px.")
    banner: str | None = Field(None, description="Banner image file (PNG or JPEG).")
    screenshots: list[str | Screenshot] = Field(default_factory=list)
    videos: list[Video] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    demo_url: str | None = Field(None, description="→ demoUrl.")


class Terms(Strict):
    """Terms of use: a Term named ``name`` whose version content is ``document``."""

    name: str = Field(min_length=1, description="→ CreateTermDetails.name.")
    document: str = Field(description="The terms document file (term version content).")


class PrivateAudience(Strict):
    """→ PublishListingRevisionAsPrivateDetails."""

    allowed_tenancies: list[Ocid] = Field(default_factory=list, description="→ allowedTenancies.")


class PublishOptions(Strict):
    """The ``publish:`` section: how the revision is submitted and published."""

    private: PrivateAudience | None = None
    note_to_reviewer: str | None = Field(None, description="→ noteDetails on submit.")
    auto_publish_on_approval: bool = Field(False, description="→ shouldAutoPublishOnApproval.")
    roving_edge_exportable: bool = Field(False, description="→ isRoverExportable.")


class PublisherProfile(Strict):
    """The ``publisher:`` section: facts ocmp cannot read from the API, used by PRC002.

    Paid (PAYGO) listings need a publisher entity incorporated in the US with OPN
    membership, a USD bank account and the signed US Marketplace agreement.
    """

    entity: str | None = Field(None, description="Legal entity name.")
    country: str | None = Field(None, description="ISO 3166 code where the entity is incorporated.")
    opn_member: bool = False
    usd_bank_account: bool = False
    marketplace_agreement_signed: bool = False


RULE_ID_PATTERN = r"^[A-Z]{3}\d{3}$"


class Ignore(Strict):
    """A rule switched off for this listing, with the reason (kept honest by being required)."""

    rule: str = Field(pattern=RULE_ID_PATTERN)
    reason: str = Field(min_length=1)


class _ListingFileBase(Strict):
    compartment: Ocid | None = Field(
        None, description="Publisher compartment; default: the tenancy of the credentials."
    )
    listing: ListingMetadata
    terms: Terms | None = None
    publish: PublishOptions = Field(default_factory=lambda: PublishOptions())
    publisher: PublisherProfile | None = None
    ignore: list[Ignore] = Field(default_factory=list)


class ImageListingFile(_ListingFileBase):
    """An image listing (``OCI_APPLICATION`` + ``MACHINE_IMAGE``)."""

    kind: Literal["image"]
    package: ImageListingPackage


class StackListingFile(_ListingFileBase):
    """A stack listing (``OCI_APPLICATION`` + ``STACK``)."""

    kind: Literal["stack"]
    package: StackListingPackage


ListingFile = Annotated[ImageListingFile | StackListingFile, Field(discriminator="kind")]
"""Either kind of listing file."""

LISTING_ADAPTER: TypeAdapter[ImageListingFile | StackListingFile] = TypeAdapter(ListingFile)
