"""The journal: atomic, forgiving of corruption, keyed by listing name."""

from __future__ import annotations

import json
from pathlib import Path

from ocmp.core.publish.journal import Journal, slug
from ocmp.core.publish.run import token


def test_round_trip_and_location(tmp_path: Path) -> None:
    journal = Journal.for_listing(tmp_path, "Acme Demo App")
    assert journal.path == tmp_path / ".ocmp" / "state" / "acme-demo-app.json"
    journal.remember("listing", "ocid1.listing.x")
    journal.start_work_request("artifact:x", "wr1")
    journal.step_done("terms")
    again = Journal.for_listing(tmp_path, "Acme Demo App")
    assert again.ids == {"listing": "ocid1.listing.x"}
    assert again.work_requests == {"artifact:x": "wr1"}
    assert again.completed == ["terms"]
    again.finish_work_request("artifact:x")
    assert Journal.for_listing(tmp_path, "Acme Demo App").work_requests == {}
    # no temp files left behind
    assert [p.name for p in journal.path.parent.iterdir()] == ["acme-demo-app.json"]


def test_corrupt_or_foreign_journal_is_ignored(tmp_path: Path) -> None:
    journal = Journal.for_listing(tmp_path, "x")
    journal.path.parent.mkdir(parents=True)
    journal.path.write_text("{not json")
    assert Journal.for_listing(tmp_path, "x").ids == {}
    journal.path.write_text(json.dumps({"version": 99, "ids": {"listing": "a"}}))
    assert Journal.for_listing(tmp_path, "x").ids == {}


def test_slug_and_tokens_are_stable() -> None:
    assert slug("Acme: Firewall / 2") == "acme-firewall-2"
    assert slug("!!!") == "listing"
    assert token("listing", "c", "n") == token("listing", "c", "n")
    assert token("listing", "c", "n") != token("listing", "c", "m")
    assert len(token("a")) == 32
