"""listing.yaml ``listing:`` ↔ the revision's API fields: one table, read both ways.

Each row names a key of the ``listing:`` section, the ``UpdateOciListingRevisionDetails``
fields it becomes, and the two conversions: ``to_api`` (publish, ``plan``, ``diff``:
:func:`~ocmp.core.publish.desired.revision_fields`) and ``from_api`` (``ocmp import``:
:func:`~ocmp.core.publish.importer.import_listing`). A field added here is published and
imported alike; the round trip (import, then ``diff`` finds nothing) is tested through the
CLI (tests/commands/test_publish_import.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# Reads a text value that may be a {file: …} reference (the project root is the caller's).
TextOf = Callable[[Any], str | None]
# A file ``import`` writes beside listing.yaml: its path, and its bytes.
AddFile = Callable[[str, bytes], None]


@dataclass(frozen=True)
class RevisionField:
    """One key of ``listing:`` and the API fields it stands for."""

    key: str
    to_api: Callable[[Any, TextOf], dict[str, Any]]  # the yaml value → API fields
    # The revision's metadata (Revision.metadata, as the API names it) → the yaml value.
    from_api: Callable[[Mapping[str, Any], AddFile], Any]


def _plain(key: str, wire: str) -> RevisionField:
    return RevisionField(key, lambda v, _: {wire: v}, lambda rev, _: rev.get(wire) or None)


def _text(key: str, wire: str, file: str | None = None) -> RevisionField:
    """Text that listing.yaml may hold inline or in a file; ``file``: import writes it there."""

    def back(rev: Mapping[str, Any], add: AddFile) -> Any:
        value = rev.get(wire)
        if not value:
            return None
        if file is None:
            return value
        add(file, str(value).encode())
        return {"file": file}

    return RevisionField(key, lambda v, text: {wire: text(v)}, back)


def _plan_to_api(p: Any) -> dict[str, Any]:
    return {
        "planType": p.type,
        "name": p.name,
        "planDescription": p.description,
        "billingFrequency": p.billing_frequency,
        "rates": [{"billingCurrency": r.currency, "rate": r.rate} for r in p.rates],
    }


def _plan_from_api(plan: dict[str, Any]) -> dict[str, Any]:
    out = {
        "type": plan.get("planType"),
        "name": plan.get("name"),
        "description": plan.get("planDescription"),
        "billing_frequency": plan.get("billingFrequency"),
        "rates": [
            {"currency": r["billingCurrency"], "rate": r["rate"]} for r in plan.get("rates") or []
        ],
    }
    return {k: v for k, v in out.items() if v is not None}


def _pricing_from_api(rev: Mapping[str, Any], _: AddFile) -> Any:
    if not rev.get("pricingType"):
        return None
    pricing: dict[str, Any] = {"type": rev["pricingType"]}
    plans = [_plan_from_api(p) for p in rev.get("pricingPlans") or []]
    if plans:
        pricing["plans"] = plans
    return pricing


def _version_from_api(rev: Mapping[str, Any], _: AddFile) -> Any:
    version = rev.get("versionDetails")
    if not version:
        return None
    return {
        "number": str(version.get("number")),
        "description": version.get("description") or "",
        "release_date": str(version.get("releaseDate")),
    }


def _languages_from_api(rev: Mapping[str, Any], _: AddFile) -> Any:
    languages: dict[str, Any] = {}
    if rev.get("contentLanguage"):
        languages["content"] = {k: rev["contentLanguage"][k] for k in ("code", "name")}
    if rev.get("supportedlanguages"):
        languages["supported"] = [
            {"code": x["code"], "name": x["name"]} for x in rev["supportedlanguages"]
        ]
    return languages or None


FIELDS: tuple[RevisionField, ...] = (
    _plain("name", "displayName"),
    _plain("headline", "headline"),
    _plain("tagline", "tagline"),
    _text("short_description", "shortDescription"),
    _text("long_description", "longDescription", "docs/long_description.md"),
    _text("usage_information", "usageInformation", "docs/usage.md"),
    _text("system_requirements", "systemRequirements"),
    RevisionField(
        "keywords",
        lambda v, _: {"keywords": ",".join(v) if v else None},
        lambda rev, _: [k for k in str(rev.get("keywords") or "").split(",") if k] or None,
    ),
    RevisionField(
        "products",
        lambda v, _: {"products": [{"code": p.code, "categories": list(p.categories)} for p in v]},
        lambda rev, _: [
            {"code": p["code"], "categories": list(p.get("categories") or [])}
            for p in rev.get("products") or []
        ],
    ),
    RevisionField(
        "pricing",
        lambda v, _: {
            "pricingType": v.type if v else None,
            "pricingPlans": [_plan_to_api(p) for p in (v.plans if v else [])],
        },
        _pricing_from_api,
    ),
    RevisionField(
        "version",
        lambda v, _: {
            "versionDetails": (
                {"number": v.number, "description": v.description, "releaseDate": v.release_date}
                if v
                else None
            )
        },
        _version_from_api,
    ),
    RevisionField(
        "support_contacts",
        lambda v, _: {
            "supportContacts": [c.model_dump(exclude_none=True, mode="json") for c in v]
        },
        lambda rev, _: [
            {k: x for k, x in c.items() if x is not None} for c in rev.get("supportContacts") or []
        ],
    ),
    RevisionField(
        "support_links",
        lambda v, _: {"supportLinks": [{"name": link.name, "url": link.url} for link in v]},
        lambda rev, _: [
            {"name": s["name"], "url": s["url"]} for s in rev.get("supportLinks") or []
        ],
    ),
    RevisionField(
        "languages",
        lambda v, _: {
            "contentLanguage": v.content.model_dump(),
            "supportedlanguages": [lang.model_dump() for lang in v.supported],
        },
        _languages_from_api,
    ),
    _plain("demo_url", "demoUrl"),
)
