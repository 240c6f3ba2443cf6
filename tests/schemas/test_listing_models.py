"""The listing.yaml models themselves: kinds, API-shaped sections, strictness."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from ocmp.schemas.common import FileRef, is_ocid
from ocmp.schemas.listing import LISTING_ADAPTER, ImageListingFile, StackListingFile

IMAGE: dict[str, Any] = {
    "kind": "image",
    "listing": {
        "name": "Acme",
        "long_description": {"file": "docs/long.md"},
        "version": {"number": "1.0", "release_date": "2026-11-24"},
    },
    "package": {
        "version": "1.0",
        "image": {
            "source_image": "ocid1.image.oc1.iad.aaaaaaaaocmpdemoimage",
            "shapes": [
                {
                    "shape": "VM.Standard.E4.Flex",
                    "ocpus": {"min": 1, "max": 4},
                    "memory_gbs": {"min": 1, "max": 64},
                }
            ],
        },
    },
}


def test_kind_selects_the_model() -> None:
    image = LISTING_ADAPTER.validate_python(IMAGE)
    assert isinstance(image, ImageListingFile)
    assert isinstance(image.listing.long_description, FileRef)
    assert image.package.image.username == "opc"
    assert image.publish.roving_edge_exportable is False
    stack = LISTING_ADAPTER.validate_python(
        {"kind": "stack", "listing": {"name": "S"}, "package": {"version": "1"}}
    )
    assert isinstance(stack, StackListingFile)
    assert stack.package.stack.path == "terraform/"


def test_image_package_is_required_for_an_image_listing() -> None:
    with pytest.raises(ValidationError):
        LISTING_ADAPTER.validate_python({**IMAGE, "package": {"version": "1.0"}})


def test_release_date_from_yaml_date_becomes_text() -> None:
    import datetime as dt

    data = {
        **IMAGE,
        "listing": {"name": "A", "version": {"number": "1", "release_date": dt.date(2026, 1, 2)}},
    }
    listing = LISTING_ADAPTER.validate_python(data)
    assert listing.listing.version is not None
    assert listing.listing.version.release_date == "2026-01-02"


@pytest.mark.parametrize(
    "change",
    [
        {"listing": {"name": "A", "extra": 1}},
        {"compartment": "not-an-ocid"},
        {"ignore": [{"rule": "lst001", "reason": "x"}]},
        {
            "package": {
                **IMAGE["package"],
                "image": {
                    **IMAGE["package"]["image"],
                    "shapes": [{"shape": "X", "ocpus": {"min": 4, "max": 1}}],
                },
            }
        },
    ],
)
def test_invalid_documents_are_refused(change: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        LISTING_ADAPTER.validate_python({**IMAGE, **change})


def test_is_ocid_accepts_regional_and_region_free_ids() -> None:
    assert is_ocid("ocid1.image.oc1.iad.aaaaaaaaocmpdemoimage")
    assert is_ocid("ocid1.appcataloglisting.oc1..aaaaaaaaocmpdemolisting")
    assert not is_ocid("acme-firewall-image")
