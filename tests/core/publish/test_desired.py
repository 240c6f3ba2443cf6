"""listing.yaml → the wire form publish compares with the live state."""

from __future__ import annotations

from pathlib import Path

from ocmp.core.publish.desired import PackageSpec, desired_state, sha
from ocmp.core.publish.service import load_project
from ocmp.core.publish.steps_review import map_note
from tests.conftest import RunCli

TENANCY = "ocid1.tenancy.oc1..aaaaaaaaocmpsandboxdemotenancy"


def test_image_listing_becomes_api_fields(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    loaded = load_project(tmp_path / "img")
    d = desired_state(loaded.model, loaded.root, TENANCY)
    assert d.kind == "image" and d.package_type == "MACHINE_IMAGE"
    assert d.compartment_id == TENANCY  # no compartment: the tenancy of the credentials
    rev = d.revision
    assert rev["headline"] == loaded.model.listing.headline
    assert rev["keywords"] == ",".join(loaded.model.listing.keywords)
    assert rev["longDescription"] == (tmp_path / "img/docs/long_description.md").read_text()
    assert rev["versionDetails"]["number"] == "1.0.0"
    assert rev["isRoverExportable"] is False
    assert rev["products"] == [{"code": "applications", "categories": ["DEVELOPER_TOOLS"]}]
    assert d.icon is not None and d.icon.sha == sha((tmp_path / "img/assets/icon.png").read_bytes())
    assert d.artifact_block["sourceImageId"] == "ocid1.image.oc1.iad.aaaaaaaaocmpdemoimage"
    entry = d.artifact_block["imageShapeCompatibilityEntries"][0]
    assert entry["ocpuConstraints"] == {"min": 1, "max": 64}
    assert entry["memoryConstraints"]["minInGBs"] == 8
    assert d.package == PackageSpec("1.0.0", "Image of Acme Demo App 1.0.0.", True)
    assert [a.attachment_type for a in d.attachments] == ["RELATED_DOCUMENT"]


def test_changing_a_file_changes_only_its_hash(run_cli: RunCli, tmp_path: Path) -> None:
    run_cli("init", "img", "--kind", "image", "--non-interactive")
    loaded = load_project(tmp_path / "img")
    before = desired_state(loaded.model, loaded.root, TENANCY)
    (tmp_path / "img/terms/eula.md").write_text("New terms.\n")
    after = desired_state(loaded.model, loaded.root, TENANCY)
    assert before.terms.sha != after.terms.sha
    assert before.revision == after.revision and before.icon == after.icon


def test_reviewer_notes_point_at_fields() -> None:
    lines = {("listing", "short_description"): 9, ("listing", "icon"): 30}
    note = map_note("The short description is too vague.", lambda p: lines.get(p))
    assert (note.field, note.line) == ("listing.short_description", 9)
    assert map_note("Icon must be 130x130", lambda p: lines.get(p)).line == 30
    assert map_note("Thanks!", lambda p: 1).field is None
    both = map_note(
        "The icon is blurry and the short description is vague.", lambda p: lines.get(p)
    )
    assert (both.field, both.line) == ("listing.icon", 30)
    assert both.also == (("listing.short_description", 9),)
