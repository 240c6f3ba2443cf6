"""`ocmp validate`: the JSON document, exit codes 0/1/3, --strict, --select/--ignore, ignore:."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import RunCli


@pytest.fixture
def project(run_cli: RunCli, tmp_path: Path) -> Path:
    """A fresh image listing project in the working directory, as `app/`."""
    assert run_cli("init", "app", "--non-interactive").exit_code == 0
    return tmp_path / "app"


def edit(path: Path, **listing: object) -> None:
    data = yaml.safe_load((path / "listing.yaml").read_text())
    data["listing"].update(listing)
    (path / "listing.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


def test_clean_project_exits_0_with_the_documented_json(run_cli: RunCli, project: Path) -> None:
    result = run_cli("validate", "app", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "version": 1,
        "command": "validate",
        "outcome": "pass",
        "exit_code": 0,
        "error": None,
        "findings": [],
        "summary": {"errors": 0, "warnings": 0, "files": 1},
        "files": ["app/listing.yaml"],
    }


def test_errors_exit_1_with_file_line_and_hint(run_cli: RunCli, project: Path) -> None:
    edit(project, name="N" * 90)
    result = run_cli("validate", "app", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    (finding,) = [f for f in report["findings"] if f["rule"] == "LST001"]
    assert set(finding) == {"rule", "severity", "message", "hint", "file", "line", "column"}
    assert finding["severity"] == "error"
    assert finding["file"] == "app/listing.yaml"
    lines = (project / "listing.yaml").read_text().splitlines()
    assert lines[finding["line"] - 1].lstrip().startswith("name:")
    assert report["summary"]["errors"] >= 1


def test_human_output_off_a_terminal_is_one_problem_matcher_line_per_finding(
    run_cli: RunCli, project: Path
) -> None:
    edit(project, name="N" * 90)
    result = run_cli("validate", "app")
    assert result.exit_code == 1
    line = next(i for i, t in enumerate(project.joinpath("listing.yaml").read_text().splitlines())
                if t.lstrip().startswith("name:")) + 1
    assert result.stdout.splitlines() == [
        f"app/listing.yaml:{line}: error LST001 the listing name has 90 characters, more than 80",
        "    hint: shorten it; move details to the headline",
    ]
    assert "1 file checked: 1 error" in result.stderr


def test_warnings_fail_only_with_strict(run_cli: RunCli, project: Path) -> None:
    edit(project, support_links=[{"name": "Docs", "url": "docs/index.html"}])  # LST004 warning
    assert run_cli("validate", "app").exit_code == 0
    assert run_cli("validate", "app", "--strict").exit_code == 1


def test_select_and_ignore(run_cli: RunCli, project: Path) -> None:
    edit(project, name="N" * 90, pricing={"type": "PAID"})
    selected = json.loads(run_cli("validate", "app", "-f", "json", "--select", "LST010").stdout)
    assert {f["rule"] for f in selected["findings"]} == {"LST010"}
    ignored = json.loads(run_cli("validate", "app", "-f", "json", "--ignore", "LST").stdout)
    assert not any(f["rule"].startswith("LST") for f in ignored["findings"])
    unknown = run_cli("validate", "app", "--select", "NOPE1")
    assert unknown.exit_code == 3


def test_ignore_section_switches_a_rule_off(run_cli: RunCli, project: Path) -> None:
    edit(project, name="N" * 90)
    data = yaml.safe_load((project / "listing.yaml").read_text())
    data["ignore"] = [{"rule": "LST001", "reason": "the long name is contractual"}]
    (project / "listing.yaml").write_text(yaml.safe_dump(data))
    assert run_cli("validate", "app").exit_code == 0


def test_ignore_entry_needs_a_reason(run_cli: RunCli, project: Path) -> None:
    data = yaml.safe_load((project / "listing.yaml").read_text())
    data["ignore"] = [{"rule": "LST001"}]
    (project / "listing.yaml").write_text(yaml.safe_dump(data))
    result = run_cli("validate", "app")
    assert result.exit_code == 3
    assert "ignore[0]: required key 'reason' is missing" in result.stderr


def test_several_listings_in_one_run(run_cli: RunCli, project: Path) -> None:
    assert run_cli("init", "other", "--kind", "stack", "--non-interactive").exit_code == 0
    result = run_cli("validate", "app/listing.yaml", "other", "-f", "json")
    assert result.exit_code == 0, result.stdout
    # listing.yaml of each, and the stack's .tf files and schema.yaml
    stack_files = len(list((project.parent / "other" / "terraform").glob("*.tf"))) + 1
    assert json.loads(result.stdout)["summary"]["files"] == 2 + stack_files


def test_default_path_is_the_working_directory(
    run_cli: RunCli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    result = run_cli("validate", "-f", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["summary"]["files"] == 1


def test_environment_interpolation(
    run_cli: RunCli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (project / "listing.yaml").read_text()
    text = text.replace("kind: image\n", "kind: image\ncompartment: ${OCMP_TEST_COMPARTMENT}\n")
    (project / "listing.yaml").write_text(text)
    missing = run_cli("validate", "app")
    assert missing.exit_code == 3
    assert (
        "app/listing.yaml:5: compartment: environment variable OCMP_TEST_COMPARTMENT is not set"
        in missing.stderr
    )
    monkeypatch.setenv("OCMP_TEST_COMPARTMENT", "ocid1.compartment.oc1..aaaaaaaaexample")
    assert run_cli("validate", "app").exit_code == 0
    monkeypatch.setenv("OCMP_TEST_COMPARTMENT", "not-an-ocid")
    assert run_cli("validate", "app").exit_code == 3


def test_load_error_reads_file_line_and_dotted_path(run_cli: RunCli, project: Path) -> None:
    text = (project / "listing.yaml").read_text()
    (project / "listing.yaml").write_text(text.replace('"support@acme.example"', "nobody"))
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "support@acme.example" in t)
    result = run_cli("validate", "app")
    assert result.exit_code == 3
    first, hint = result.stderr.splitlines()
    assert first == (
        f"error: app/listing.yaml:{line}: listing.support_contacts[0].email: "
        "value is not a valid email address"
    )
    assert hint.startswith("hint: ") and "@" in hint
    assert "Traceback" not in result.stderr


def test_unknown_key_is_located(run_cli: RunCli, project: Path) -> None:
    text = (project / "listing.yaml").read_text()
    (project / "listing.yaml").write_text(text.replace("  tagline:", "  taglien:"))
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("  tagline:"))
    result = run_cli("validate", "app")
    assert result.exit_code == 3
    assert f"app/listing.yaml:{line}: listing.taglien: unknown key" in result.stderr


def test_version_written_as_a_number_is_refused(run_cli: RunCli, project: Path) -> None:
    text = (project / "listing.yaml").read_text()
    (project / "listing.yaml").write_text(text.replace('  version: "1.0.0"', "  version: 2.10"))
    result = run_cli("validate", "app")
    assert result.exit_code == 3
    assert "package.version: 2.1 is a number; quote it" in result.stderr


def test_text_field_of_the_wrong_type_says_what_it_takes(run_cli: RunCli, project: Path) -> None:
    text = (project / "listing.yaml").read_text()
    (project / "listing.yaml").write_text(
        text.replace("long_description: {file: docs/long_description.md}", "long_description: 5")
    )
    result = run_cli("validate", "app")
    assert result.exit_code == 3
    assert "listing.long_description: expected text, or {file: path/to/file.md}" in result.stderr


def test_invalid_input_with_json_format_prints_one_error_document(
    run_cli: RunCli, project: Path
) -> None:
    (project / "listing.yaml").write_text("kind: image\n")
    result = run_cli("validate", "app", "--format", "json")
    assert result.exit_code == 3
    error = json.loads(result.stdout)["error"]
    assert (error["file"], error["line"], error["exit_code"]) == ("app/listing.yaml", 1, 3)
    assert "app/listing.yaml:1: required key 'listing' is missing" in result.stderr


def test_every_path_is_checked_before_stopping(run_cli: RunCli, project: Path) -> None:
    result = run_cli("validate", "missing-one", str(project), "missing-two")
    assert result.exit_code == 3
    # Both bad paths are named in the one message; the good one in the middle is no problem.
    assert "missing-one: no such file or directory" in result.stderr
    assert "1 more path cannot be validated either:\n  missing-two: no such file or directory" \
        in result.stderr


def test_listing_problems_come_in_line_order_and_the_top_level_is_named_plainly(
        run_cli: RunCli, project: Path) -> None:
    text = (project / "listing.yaml").read_text()
    lines = text.splitlines()
    # the second problem in the file comes first in pydantic's order (kind before listing)
    kind_at = next(n for n, ln in enumerate(lines, 1) if ln.startswith("kind:"))
    text = text.replace("  headline:", "  headlin:") + "extra_top: 1\n"
    (project / "listing.yaml").write_text(text)
    result = run_cli("validate", str(project))
    assert result.exit_code == 3
    headlin = next(n for n, ln in enumerate(text.splitlines(), 1) if ln.startswith("  headlin:"))
    extra = len(text.splitlines())
    assert headlin > kind_at
    got = [ln for ln in result.stderr.splitlines() if "listing.yaml:" in ln]
    assert [int(ln.split("listing.yaml:")[1].split(":")[0]) for ln in got] == [headlin, extra]
    assert f"listing.yaml:{extra}: extra_top: unknown key" in result.stderr
    assert ": : " not in result.stderr


def test_every_listing_problem_in_one_run_with_did_you_mean(run_cli: RunCli, project: Path) -> None:
    text = (project / "listing.yaml").read_text()
    text = text.replace("  headline:", "  headlin:").replace("  tagline:", "  taglin:")
    (project / "listing.yaml").write_text(text)
    result = run_cli("validate", str(project))
    assert result.exit_code == 3
    lines = {n for n, ln in enumerate(text.splitlines(), 1) if ln.startswith(("  headlin:",
                                                                               "  taglin:"))}
    first, second = sorted(lines)
    assert f"listing.yaml:{first}: listing.headlin: unknown key; did you mean 'headline'?" \
        in result.stderr
    assert "1 more problem:" in result.stderr
    assert f"listing.yaml:{second}: listing.taglin: unknown key; did you mean 'tagline'?" \
        in result.stderr


def _three_problems(project: Path) -> dict[str, int]:
    """A listing.yaml with an unknown key, a bad e-mail and a bad OCID: their lines."""
    listing = project / "listing.yaml"
    text = listing.read_text()
    text = text.replace("  headline:", "  headlin:")
    text = text.replace("support@acme.example", "nobody", 1)
    text = text.replace("source_image: ", "source_image: ami-1 #", 1)
    listing.write_text(text)
    lines = text.splitlines()
    return {key: next(n for n, ln in enumerate(lines, 1) if needle in ln)
            for key, needle in (("headlin", "  headlin:"), ("email", "nobody"),
                                ("image", "ami-1"))}


def test_each_listing_input_problem_is_its_own_entry_in_json_and_sarif(
    run_cli: RunCli, project: Path
) -> None:
    at = _three_problems(project)
    human = run_cli("validate", str(project))
    document = json.loads(run_cli("validate", str(project), "--format", "json").stdout)
    error = document["error"]
    listing = f"{project.name}/listing.yaml"
    assert [(p["file"], p["line"], p["path"]) for p in error["problems"]] == [
        (listing, at["headlin"], "listing.headlin"),
        (listing, at["email"], "listing.support_contacts[0].email"),
        (listing, at["image"], "package.image.source_image"),
    ]
    assert error["problems"][0]["message"] == "unknown key; did you mean 'headline'?"
    assert error["problems"][2]["message"].startswith("'ami-1' is not an OCID")
    # people still read one message, with the others listed under it
    assert "2 more problems:" in human.stderr and human.stderr.count("error:") == 1
    sarif = json.loads(run_cli("validate", str(project), "--format", "sarif").stdout)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["locations"][0]["physicalLocation"]["region"]["startLine"] for n in notes] == [
        at["headlin"], at["email"], at["image"]]
    assert notes[1]["message"]["text"].startswith(
        "listing.support_contacts[0].email: value is not a valid email address")
    github = run_cli("validate", str(project), "--format", "github").stdout.splitlines()
    assert [ln.split(",")[1] for ln in github if ln.startswith("::error")] == [
        f"line={at['headlin']}", f"line={at['email']}", f"line={at['image']}"]
    # GitLab: a blocker per problem, never an empty report that reads as "no issues"
    gitlab = run_cli("validate", str(project), "--format", "gitlab")
    assert gitlab.exit_code == 3
    issues = json.loads(gitlab.stdout)
    assert [(i["severity"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("blocker", at["headlin"]), ("blocker", at["email"]), ("blocker", at["image"])]
    assert all(i["location"]["path"].endswith("listing.yaml") for i in issues)
    assert issues[0]["description"] == "listing.headlin: unknown key; did you mean 'headline'?"
    assert len({i["fingerprint"] for i in issues}) == 3


def test_a_single_input_error_is_one_problem_entry(run_cli: RunCli, project: Path) -> None:
    (project / "listing.yaml").write_text("kind: image\n")
    error = json.loads(run_cli("validate", str(project), "--format", "json").stdout)["error"]
    assert [(p["file"], p["line"], p["path"], p["message"]) for p in error["problems"]] == [
        (f"{project.name}/listing.yaml", 1, "listing", "required key 'listing' is missing"),
        (f"{project.name}/listing.yaml", 1, "package", "required key 'package' is missing"),
    ]
    (project / "listing.yaml").write_text("kind: image\nlisting: [\n")
    error = json.loads(run_cli("validate", str(project), "--format", "json").stdout)["error"]
    assert len(error["problems"]) == 1  # not a listing error: the one problem it names
    assert (error["problems"][0]["file"], error["problems"][0]["line"]) == (
        error["file"], error["line"])


def test_the_schema_hint_comes_only_with_key_problems(run_cli: RunCli, project: Path) -> None:
    listing = project / "listing.yaml"
    text = listing.read_text()
    listing.write_text(text.replace("support@acme.example", "nobody", 1))
    value = json.loads(run_cli("validate", str(project), "--format", "json").stdout)["error"]
    assert "ocmp schema" not in (value["hint"] or "")
    assert value["hint"] == "An email address must have an @-sign."
    listing.write_text(text.replace("source_image: ", "source_image: ami-1 #", 1))
    ocid = json.loads(run_cli("validate", str(project), "--format", "json").stdout)["error"]
    assert "ocmp schema" not in (ocid["hint"] or "") and "Console" in ocid["hint"]
    listing.write_text(text.replace("  tagline:", "  taglin:"))
    key = json.loads(run_cli("validate", str(project), "--format", "json").stdout)["error"]
    assert key["hint"] == "rename it to tagline; `ocmp schema` prints every allowed key"
