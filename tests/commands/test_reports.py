"""`ocmp leads` and `ocmp report installs|payouts` through the CLI against the sandbox."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import fast
from tests.conftest import RunCli, assert_contract


@pytest.fixture
def published(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Path:
    """The demo image listing, published privately (which brings leads, an install and a
    disbursement in the sandbox)."""
    fast(monkeypatch)
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    result = run_cli("publish", "img", "--private", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return tmp_path / "img"


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_leads_as_table_json_and_csv(run_cli: RunCli, published: Path) -> None:
    table = run_cli("leads", "img")
    assert table.exit_code == 0, table.stderr
    assert "Example Corp" in table.stdout and "2 leads" in table.stdout
    doc = json.loads(run_cli("leads", "img", "--format", "json").stdout)
    assert (doc["version"], doc["command"], doc["outcome"], doc["error"]) == (
        1, "leads", "pass", None)  # the shared envelope (run_cli validates the schema)
    assert doc["report"] == "leads" and doc["count"] == 2
    assert {r["company"] for r in doc["rows"]} == {"Example Corp", "Sample Ltd"}
    assert all(r["listingName"] == "Acme Demo App" for r in doc["rows"])
    parsed = rows_of(run_cli("leads", "--format", "csv").stdout)  # the whole compartment
    assert sorted(r["email"] for r in parsed) == ["ada@example.test", "linus@sample.test"]
    later = json.loads(run_cli("leads", "--since", "2999-01-01", "--format", "json").stdout)
    assert (later["count"], later["rows"]) == (0, [])


def test_a_report_piped_keeps_each_record_on_one_line(published: Path, tmp_path: Path) -> None:
    # A real process writing into a pipe, at the 80 columns Rich assumes there: folding
    # cells to that width would split timestamps and e-mails over lines grep cannot join.
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "ocmp", "leads", "img"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 4, proc.stdout  # header, two leads, the count
    assert lines[0].split()[0] == "timeCreated" and lines[3] == "2 leads"
    assert sorted(ln.split()[0][-1] for ln in lines[1:3]) == ["Z", "Z"]  # whole timestamps
    assert any("Example Corp" in ln and "ada@example.test" in ln for ln in lines[1:3])


def test_leads_cursor_writes_each_lead_once_across_runs(
    run_cli: RunCli, published: Path, sandbox_env: Sandbox, tmp_path: Path
) -> None:
    cursor = tmp_path / "leads.cursor"
    first = rows_of(run_cli("leads", "--format", "csv", "--cursor", cursor).stdout)
    assert len(first) == 2 and cursor.exists()
    second = rows_of(run_cli("leads", "--format", "csv", "--cursor", cursor).stdout)
    assert second == []
    sandbox_env.seed({"leads": [
        {"listing": "Acme Demo App", "time_created": "2999-01-01T00:00:00.000Z",
         "company": "Later Inc", "email": "new@later.test"}]})
    out = tmp_path / "nightly.csv"
    third = run_cli("leads", "--cursor", cursor, "--output", out)
    assert third.exit_code == 0, third.stderr
    assert [r["company"] for r in rows_of(out.read_text())] == ["Later Inc"]
    assert rows_of(run_cli("leads", "--format", "csv", "--cursor", cursor).stdout) == []


def test_leads_refuse_a_bad_date_and_a_folder_output(
    run_cli: RunCli, published: Path, tmp_path: Path
) -> None:
    bad = run_cli("leads", "--since", "yesterday")
    assert bad.exit_code == 3 and "--since 'yesterday' is not a date" in bad.stderr
    folder = tmp_path / "exports"
    folder.mkdir()
    refused = run_cli("leads", "--output", folder)
    assert refused.exit_code == 3 and "is a directory" in refused.stderr
    refused_json = run_cli("leads", "--format", "json", "--output", folder)
    assert refused_json.exit_code == 3 and "is a directory" in refused_json.stderr
    # --output failed itself: the error document goes to stdout, the folder stays empty
    assert assert_contract(refused_json.stdout, 3)["command"] == "leads"
    assert list(folder.iterdir()) == []
    garbage = tmp_path / "cursor"
    garbage.write_text("not json")
    assert run_cli("leads", "--cursor", garbage).exit_code == 3


def test_leads_stream_into_a_fifo(run_cli: RunCli, published: Path, tmp_path: Path) -> None:
    # `ocmp leads --output >(gzip > leads.csv.gz)`: a pipe is written to, never replaced.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    try:
        result = run_cli("leads", "img", "--output", fifo)
        assert result.exit_code == 0, result.stderr
        reader.join(5)
    finally:
        if reader.is_alive():  # never opened: unblock the reader rather than hang
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            reader.join(5)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(r["company"] for r in rows_of(got[0].decode())) == ["Example Corp", "Sample Ltd"]


def test_leads_json_to_a_file_is_the_same_document(
    run_cli: RunCli, published: Path, tmp_path: Path
) -> None:
    stdout = json.loads(run_cli("leads", "img", "--format", "json").stdout)
    for args in (("--format", "json"), ()):  # a table written to .json becomes the document
        out = tmp_path / "leads.json"
        result = run_cli("leads", "img", *args, "--output", out)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == "" and "2 leads written to" in result.stderr
        assert json.loads(out.read_text()) == stdout
        assert_contract(out.read_text(), 0)
        out.unlink()


def test_installs_from_the_list_and_from_an_export_agree(
    run_cli: RunCli, published: Path, tmp_path: Path
) -> None:
    listed = json.loads(run_cli("report", "installs", "img", "--since", "2000-01-01",
                                "--no-export", "--format", "json").stdout)
    assert listed["source"] == "list" and listed["count"] == 1
    assert listed["rows"][0]["packageVersion"] == "1.0.0"
    out = tmp_path / "installs.csv"
    exported = run_cli("report", "installs", "img", "--export", "--output", out)
    assert exported.exit_code == 0, exported.stderr
    assert "waiting for the report export" in exported.stderr  # progress
    parsed = rows_of(out.read_text())
    assert [(r["instanceId"], r["status"], r["shape"]) for r in parsed] == [
        (listed["rows"][0]["instanceId"], "RUNNING", "VM.Standard.E4.Flex")
    ]
    none = json.loads(run_cli("report", "installs", "--since", "2999-01-01", "--no-export",
                              "--format", "json").stdout)
    assert none["count"] == 0
    backwards = run_cli("report", "installs", "--since", "2026-02-01", "--until", "2026-01-01")
    assert backwards.exit_code == 2


def test_payouts_by_range(run_cli: RunCli, published: Path) -> None:
    parsed = rows_of(run_cli("report", "payouts", "img", "--format", "csv").stdout)
    assert [(r["listingName"], r["disbursementAmountUsd"]) for r in parsed] == [
        ("Acme Demo App", "80.00")
    ]
    doc = json.loads(run_cli("report", "payouts", "img", "--format", "json").stdout)
    assert (doc["command"], doc["report"], doc["count"]) == ("report payouts", "payouts", 1)
    assert doc["rows"][0]["disbursementAmountUsd"] == parsed[0]["disbursementAmountUsd"]
    table = run_cli("report", "payouts", "--range", "all-time")
    assert table.exit_code == 0 and "1 payouts" in table.stdout
    assert run_cli("report", "payouts", "--range", "yesterday").exit_code == 2
