"""A YAML value PyYAML composes but cannot construct (an impossible date) is one located error."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from tests.conftest import RunCli


def _init(run_cli: RunCli, kind: str) -> Path:
    assert run_cli("init", "p", "--kind", kind, "--non-interactive").exit_code == 0
    return Path("p")


def test_impossible_date_in_listing_yaml_is_exit_3_with_its_line(run_cli: RunCli) -> None:
    listing = _init(run_cli, "image") / "listing.yaml"
    text = listing.read_text()
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "release_date:" in t)
    listing.write_text(re.sub(r"release_date: .*", "release_date: 2026-13-45", text))
    result = run_cli("validate", "p", "--format", "json")
    assert result.exit_code == 3  # was a traceback: ValueError: month must be in 1..12
    assert json.loads(result.stdout)["error"]["line"] == line
    assert "Traceback" not in result.stderr
    assert f"p/listing.yaml:{line}: invalid YAML value: '2026-13-45': month must be" in (
        result.stderr
    )
    # the hint shows the form with a real date (today's), not "quote it"
    today = dt.date.today().isoformat()
    assert json.loads(result.stdout)["error"]["hint"] == (
        f"write a real date as YYYY-MM-DD, e.g. {today} for today")


def test_impossible_value_in_schema_yaml_is_one_sch001_finding(run_cli: RunCli) -> None:
    schema = _init(run_cli, "stack") / "terraform" / "schema.yaml"
    text = schema.read_text()
    schema.write_text(text + "\nbuilt_on: 2026-02-30\n")
    result = run_cli("validate", "p", "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    sch001 = [f for f in findings if f["rule"] == "SCH001"]
    assert len(sch001) == 1 and "'2026-02-30'" in sch001[0]["message"]
    assert sch001[0]["line"] == len(text.splitlines()) + 2
    # The stack rules that read the schema used to fail one by one with "internal error".
    assert not [f for f in findings if f["rule"].startswith(("STK", "SCH"))
                and "internal error" in f["message"]]
