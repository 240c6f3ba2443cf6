"""The formats CI systems read, through the CLI: SARIF 2.1.0 (validated against the official
schema in tests/data), JUnit, GitHub workflow commands and step summary, GitLab Code
Quality, plain problem-matcher lines, --output, comma-separated --select."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
import yaml

from ocmp.formats import github_command, github_data, github_property
from ocmp.sandbox import Sandbox
from tests.commands.publish_support import fast
from tests.conftest import RunCli

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture
def broken(run_cli: RunCli, tmp_path: Path) -> Path:
    """A repository (``.git``) whose project ``apps/app`` has an LST001 error (line pinned)
    and an LST004 warning."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "apps").mkdir()
    assert run_cli("init", "apps/app", "--non-interactive").exit_code == 0
    listing = tmp_path / "apps" / "app" / "listing.yaml"
    data = yaml.safe_load(listing.read_text())
    data["listing"]["name"] = "N" * 90
    data["listing"]["support_links"] = [{"name": "Docs", "url": "docs/index.html"}]
    listing.write_text(yaml.safe_dump(data, sort_keys=False))
    return listing


def _name_line(listing: Path) -> int:
    lines = listing.read_text().splitlines()
    return next(i for i, t in enumerate(lines) if t.lstrip().startswith("name: NNN")) + 1


def test_sarif_is_valid_2_1_0_with_rule_docs_and_repository_relative_regions(
    run_cli: RunCli, broken: Path, tmp_path: Path
) -> None:
    os.chdir(tmp_path / "apps")  # a sub-folder of the repository: uris still from the root
    result = run_cli("validate", "app", "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate(log)
    broken_log = json.loads(result.stdout)
    broken_log["runs"][0]["results"][0]["level"] = "fatal"  # the schema does check
    assert not validator.is_valid(broken_log)
    (run,) = log["runs"]
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == tmp_path.resolve().as_uri() + "/"
    error = next(r for r in run["results"] if r["ruleId"] == "LST001")
    location = error["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "apps/app/listing.yaml", "uriBaseId": "SRCROOT"}
    assert location["region"]["startLine"] == _name_line(broken)
    assert error["level"] == "error"
    assert {r["ruleId"]: r["level"] for r in run["results"]}["LST004"] == "warning"
    rules = run["tool"]["driver"]["rules"]
    assert rules[error["ruleIndex"]]["id"] == "LST001"
    assert "LST001" in rules[error["ruleIndex"]]["help"]["markdown"]
    assert len(rules) > 50  # every rule that ran, not only the ones that fired
    assert "1 file checked: 1 error, 1 warning" in result.stderr


def test_junit_has_one_case_per_rule_and_file_and_counts_failures(
    run_cli: RunCli, broken: Path
) -> None:
    result = run_cli("validate", "apps/app", "--format", "junit", "--select", "LST001,LST004")
    assert result.exit_code == 1
    suites = ET.fromstring(result.stdout)
    (suite,) = suites.findall("testsuite")
    cases = {(c.get("classname"), c.get("name")): c for c in suite.findall("testcase")}
    assert set(cases) == {("apps/app/listing.yaml", "LST001"), ("apps/app/listing.yaml", "LST004")}
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")
    failure = cases[("apps/app/listing.yaml", "LST001")].find("failure")
    assert failure is not None and f"listing.yaml:{_name_line(broken)}" in (failure.text or "")
    assert cases[("apps/app/listing.yaml", "LST004")].find("failure") is None


def test_github_annotations_escaped_and_chosen_inside_actions_with_a_step_summary(
    run_cli: RunCli, broken: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli("validate", "apps/app")  # no --format: github inside Actions
    assert result.exit_code == 1
    line = _name_line(broken)
    assert (
        f"::error file=apps/app/listing.yaml,line={line},title=LST001::the listing name has 90 "
        "characters, more than 80%0Ahint: shorten it; move details to the headline"
    ) in result.stdout.splitlines()
    lines = result.stdout.splitlines()
    assert any(s.startswith("::warning file=apps/app/listing.yaml") for s in lines)
    text = summary.read_text()
    assert text.startswith("earlier step\n### ❌ ocmp validate")  # appended, not replaced
    assert "| ❌ | `LST001` |" in text


def test_github_step_summary_never_writes_into_a_fifo(
    run_cli: RunCli, broken: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "summary.fifo"
    os.mkfifo(fifo)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(fifo))
    result = run_cli("validate", "apps/app", "--format", "github")  # must not block
    assert result.exit_code == 1
    assert "not a regular file" in result.stderr


def test_github_escaping_of_data_and_properties() -> None:
    assert github_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert github_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert github_command("error", "x: y, z", file="a,b:c.yaml", line=3, col=None) == (
        "::error file=a%2Cb%3Ac.yaml,line=3::x: y, z"
    )


def test_gitlab_code_quality_report(run_cli: RunCli, broken: Path) -> None:
    result = run_cli("validate", "apps/app", "--format", "gitlab")
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    by_rule = {i["check_name"]: i for i in issues}
    assert by_rule["LST001"]["severity"] == "critical"
    assert by_rule["LST004"]["severity"] == "minor"
    assert by_rule["LST001"]["location"] == {
        "path": "apps/app/listing.yaml", "lines": {"begin": _name_line(broken)}
    }
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_output_file_gets_the_document_and_stderr_the_summary(
    run_cli: RunCli, broken: Path, tmp_path: Path
) -> None:
    result = run_cli("validate", "apps/app", "--format", "json", "--output", "out/report.json")
    assert result.exit_code == 1 and result.stdout == ""
    assert "1 file checked: 1 error, 1 warning" in result.stderr
    document = json.loads((tmp_path / "out" / "report.json").read_text())
    assert (document["command"], document["outcome"]) == ("validate", "fail")
    plain = run_cli("validate", "apps/app", "-o", "lines.txt")  # -o as for package, schema
    assert plain.stdout == ""
    assert (tmp_path / "lines.txt").read_text().startswith(
        f"apps/app/listing.yaml:{_name_line(broken)}: error LST001 "
    )
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".lines.txt.")]  # no temp


def test_output_refuses_a_folder_or_a_link_and_writes_nothing(
    run_cli: RunCli, broken: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    result = run_cli("validate", "apps/app", "--format", "json", "--output", folder)
    assert result.exit_code == 3
    assert "is a directory" in result.stderr
    assert json.loads(result.stdout)["error"]["type"] == "input"  # the error goes to stdout
    assert list(folder.iterdir()) == []
    target = tmp_path / "elsewhere.json"
    target.write_text("keep")
    (tmp_path / "link.json").symlink_to(target)
    linked = run_cli("validate", "apps/app", "-f", "sarif", "--output", "link.json")
    assert linked.exit_code == 3 and "is a symbolic link to a regular file" in linked.stderr
    assert target.read_text() == "keep" and (tmp_path / "link.json").is_symlink()


def test_select_and_ignore_take_comma_separated_lists(run_cli: RunCli, broken: Path) -> None:
    both = json.loads(
        run_cli("validate", "apps/app", "-f", "json", "--select", "LST001,LST004").stdout
    )
    assert {f["rule"] for f in both["findings"]} == {"LST001", "LST004"}
    mixed = json.loads(run_cli("validate", "apps/app", "-f", "json", "--select", "LST001",
                               "--select", "LST004, LST010").stdout)
    assert {f["rule"] for f in mixed["findings"]} == {"LST001", "LST004"}
    none = json.loads(
        run_cli("validate", "apps/app", "-f", "json", "--ignore", "LST001,LST004").stdout
    )
    assert not {f["rule"] for f in none["findings"]} & {"LST001", "LST004"}


def test_a_format_a_command_does_not_offer_is_a_usage_error(run_cli: RunCli) -> None:
    result = run_cli("status", "--format", "sarif")
    assert result.exit_code == 2
    assert "sarif" in result.stderr


def test_publish_junit_has_one_case_per_step_and_github_notices_the_changes(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fast(monkeypatch)
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    plan = run_cli("plan", "img", "--format", "github")
    assert plan.exit_code == 0
    notices = [line for line in plan.stdout.splitlines() if line.startswith("::notice ")]
    assert notices and all("title=ocmp plan::Acme Demo App: create " in n or
                           "title=ocmp plan::Acme Demo App: " in n for n in notices)
    result = run_cli("publish", "img", "--format", "junit")
    assert result.exit_code == 0, result.stderr
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite is not None
    names = [c.get("name") for c in suite.findall("testcase")]
    assert names[:3] == ["terms", "artifact", "listing"] and "package" in names
    assert suite.get("failures") == "0"


def test_publish_failing_in_github_format_annotates_the_error(
    run_cli: RunCli, sandbox_env: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast(monkeypatch)
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    sandbox_env.add_fault(method="POST", path_regex=r"/20241201/listings$", status=400,
                          code="InvalidParameter", message="name is too long")
    result = run_cli("publish", "img", "--format", "junit")
    assert result.exit_code == 4
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite is not None
    failed = [c for c in suite.findall("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["listing"]
    skipped = [c.get("name") for c in suite.findall("testcase") if c.find("skipped") is not None]
    assert "package" in skipped
    sandbox_env.add_fault(method="POST", path_regex=r"/20241201/listings$", status=400,
                          code="InvalidParameter", message="name is too long")
    github = run_cli("publish", "img", "--format", "github")
    assert github.exit_code == 4
    assert any(
        line.startswith(
            "::error title=ocmp publish::publisher.create_listing: 400 InvalidParameter"
        )
        for line in github.stdout.splitlines()
    )
