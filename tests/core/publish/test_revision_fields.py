"""One table maps listing.yaml's listing: section to the revision's API fields, both ways."""

from __future__ import annotations

from pathlib import Path

from ocmp.clients.publisher_types import revision
from ocmp.core.publish.desired import revision_fields
from ocmp.core.publish.importer import _metadata
from ocmp.core.publish.revision_fields import FIELDS
from ocmp.core.publish.service import load_project
from ocmp.schemas.listing import Languages, ListingMetadata
from tests.conftest import RunCli

# listing: keys that are not revision fields: files and attachments, uploaded on their own.
NOT_FIELDS = {"icon", "banner", "screenshots", "videos", "documents"}


def test_every_listing_key_is_in_the_table_or_uploaded_on_its_own() -> None:
    keys = [row.key for row in FIELDS]
    assert len(keys) == len(set(keys))
    assert set(keys) | NOT_FIELDS == set(ListingMetadata.model_fields)
    assert not set(keys) & NOT_FIELDS


def test_listing_yaml_goes_to_the_api_and_comes_back(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    loaded = load_project(tmp_path / "img")
    meta = loaded.model.listing
    wire = revision_fields(meta, loaded.root, rover=False)
    assert wire["displayName"] == meta.name and wire["isRoverExportable"] is False
    assert wire["keywords"] == ",".join(meta.keywords)
    files: dict[str, bytes] = {}
    back = _metadata(revision({"id": "ocid1.rev", **wire}), files)
    assert back["name"] == meta.name
    assert back["long_description"] == {"file": "docs/long_description.md"}
    assert files["docs/long_description.md"] == (
        tmp_path / "img/docs/long_description.md"
    ).read_bytes()
    dumped = meta.model_dump(mode="json", exclude_none=True)
    for key in ("headline", "keywords", "products", "support_contacts", "support_links"):
        assert back[key] == dumped[key], key
    assert Languages.model_validate(back["languages"]) == meta.languages
    assert meta.version is not None and back["version"]["number"] == meta.version.number
    # and the imported section gives the same API fields again
    again = revision_fields(
        ListingMetadata.model_validate({**dumped, **{k: v for k, v in back.items()
                                                     if k != "long_description"}}),
        loaded.root, rover=False,
    )
    assert again == wire
