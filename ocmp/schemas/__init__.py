"""Pydantic models of listing.yaml and the JSON Schema generated from them."""

from __future__ import annotations

import json
from typing import Any

from ocmp.schemas.listing import (
    LISTING_ADAPTER,
    ImageListingFile,
    ListingFile,
    StackListingFile,
)

__all__ = ["ImageListingFile", "ListingFile", "StackListingFile", "json_schema", "schema_text"]

SCHEMA_ID = "https://ocmp.dev/schemas/listing.schema.json"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of listing.yaml (draft 2020-12), generated from the models."""
    schema = LISTING_ADAPTER.json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "ocmp listing.yaml",
        **schema,
    }


def schema_text() -> str:
    """The schema as committed in ``ocmp/schemas/listing.schema.json`` (stable formatting)."""
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
