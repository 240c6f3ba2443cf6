"""The formats CI systems read: SARIF 2.1.0, JUnit XML, GitHub workflow commands and step
summaries, GitLab Code Quality, and plain ``file:line:col: severity RULE message`` lines.

Pure functions of a :class:`RunResult` (findings, steps, error): no Rich, no Typer, no
terminal. :mod:`ocmp.console` picks one by ``--format`` and writes it. Locations in SARIF
and GitLab reports are relative to the repository root (the nearest folder up from the
working directory holding ``.git``, else the working directory), which is what code
scanning and merge-request widgets resolve against; plain lines and GitHub annotations keep
the path as ocmp printed it (relative to the working directory), like a compiler's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

from ocmp import __version__
from ocmp.core.findings import Finding, Report, Severity
from ocmp.rules import Rule


class OutputFormat(StrEnum):
    """How results are printed (``--format``)."""

    human = "human"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    gitlab = "gitlab"


# Where the command's context remembers the options (read by the console and the root group).
FORMAT_META_KEY = "ocmp.format"
FORMATS_META_KEY = "ocmp.formats"  # the formats the running command offers
OUTPUT_META_KEY = "ocmp.output"
COMMAND_META_KEY = "ocmp.command"  # e.g. "terms push", the document's `command`

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
# GitLab Code Quality severities: info, minor, major, critical, blocker.
GITLAB_SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "minor", Severity.INFO: "info"}


@dataclass
class StepResult:
    """One step of a publishing run, for JUnit test cases and GitHub annotations."""

    listing: str
    name: str
    state: str  # done, skipped, failed, todo (never reached)
    detail: str = ""


@dataclass
class RunResult:
    """What one command run hands to the formats (all optional but the command)."""

    command: str
    report: Report | None = None
    rules: Sequence[Rule] = ()  # the rules that ran (SARIF driver, JUnit test cases)
    steps: Sequence[StepResult] = ()
    error: Mapping[str, Any] | None = None  # the ErrorDoc of a failed run
    summary: str = ""  # one line for people, e.g. "2 files checked: 1 error"
    notices: Sequence[str] = field(default_factory=list)  # e.g. the changes made


# -- locations ---------------------------------------------------------------------------


def repository_root(start: Path) -> Path:
    """The nearest folder up from ``start`` that holds ``.git``; else ``start``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def repo_relative(file: str, *, cwd: Path, root: Path) -> str:
    """``file`` (as ocmp printed it, relative to ``cwd``) relative to ``root``, with '/'."""
    path = (cwd / file).resolve()
    try:
        return path.relative_to(root).as_posix()
    except ValueError:  # outside the repository: keep it absolute
        return path.as_posix()


# -- plain lines -------------------------------------------------------------------------


def where(f: Finding) -> str:
    """``file:line:col``, as much of it as is known (``(tenancy)`` when there is no file)."""
    text = f.file or "(tenancy)"
    if f.line is not None:
        text += f":{f.line}"
        if f.column is not None:
            text += f":{f.column}"
    return text


def plain_lines(report: Report) -> list[str]:
    """One ``file:line:col: severity RULE message`` line per finding (problem matchers,
    grep), each hint on the line after it, indented so a matcher does not take it."""
    lines = []
    for f in report.findings:
        lines.append(f"{where(f)}: {f.severity.value} {f.rule} {f.message}")
        if f.hint:
            lines.append(f"    hint: {f.hint}")
    return lines


# -- SARIF 2.1.0 -------------------------------------------------------------------------


def sarif(result: RunResult, *, cwd: Path) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run: the rules that ran, with their docs, and one result
    per finding, located relative to the repository root (``%SRCROOT%``)."""
    root = repository_root(cwd)
    report = result.report or Report()
    rules = _rules_for(result.rules, report)
    index = {r.id: i for i, r in enumerate(rules)}
    results = []
    for f in report.findings:
        entry: dict[str, Any] = {
            "ruleId": f.rule,
            "level": SARIF_LEVEL[f.severity],
            "message": {"text": f.message + (f"\nhint: {f.hint}" if f.hint else "")},
        }
        if f.rule in index:
            entry["ruleIndex"] = index[f.rule]
        if f.file is not None:
            location: dict[str, Any] = {
                "artifactLocation": {
                    "uri": quote(repo_relative(f.file, cwd=cwd, root=root)),
                    "uriBaseId": "SRCROOT",
                }
            }
            if f.line is not None:
                region = {"startLine": max(f.line, 1)}
                if f.column is not None:
                    region["startColumn"] = max(f.column, 1)
                location["region"] = region
            entry["locations"] = [{"physicalLocation": location}]
        entry["partialFingerprints"] = {"ocmp/v1": _fingerprint(f, cwd=cwd, root=root)}
        results.append(entry)
    invocation: dict[str, Any] = {"executionSuccessful": result.error is None}
    if result.error is not None:
        invocation["toolExecutionNotifications"] = _sarif_notifications(
            result.error, cwd=cwd, root=root)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ocmp",
                        "version": __version__,
                        "rules": [_sarif_rule(r) for r in rules],
                    }
                },
                "originalUriBaseIds": {"SRCROOT": {"uri": root.as_uri() + "/"}},
                "invocations": [invocation],
                "results": results,
            }
        ],
    }


def _sarif_notifications(error: Mapping[str, Any], *, cwd: Path,
                         root: Path) -> list[dict[str, Any]]:
    """Why the run failed: one notification per input problem, each located (a listing.yaml
    with three wrong keys is three entries), else one for the error."""
    problems = error.get("problems") or []
    if not problems:
        return [{"level": "error", "message": {"text": str(error["message"])}}]
    notes = []
    for problem in problems:
        text = (f"{problem['path']}: " if problem.get("path") else "") + str(problem["message"])
        note: dict[str, Any] = {
            "level": "error",
            "message": {"text": text + (f"\nhint: {problem['hint']}" if problem.get("hint")
                                        else "")},
        }
        if problem.get("file"):
            location: dict[str, Any] = {"artifactLocation": {
                "uri": quote(repo_relative(str(problem["file"]), cwd=cwd, root=root)),
                "uriBaseId": "SRCROOT"}}
            if problem.get("line"):
                location["region"] = {"startLine": max(int(problem["line"]), 1)}
            note["locations"] = [{"physicalLocation": location}]
        notes.append(note)
    return notes


def _rules_for(ran: Sequence[Rule], report: Report) -> list[Rule]:
    """The rules that ran, plus any that reported without being listed (never fewer)."""
    from ocmp.rules import all_rules

    by_id = {r.id: r for r in ran}
    catalogue = all_rules()
    for f in report.findings:
        if f.rule not in by_id and f.rule in catalogue:
            by_id[f.rule] = catalogue[f.rule]
    return sorted(by_id.values(), key=lambda r: r.id)


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    doc = (f"{rule.id} {rule.name} ({rule.severity.value}, {rule.scope.value})\n\n{rule.doc}"
           f"\n\n`ocmp rules explain {rule.id}` shows this page.")
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        # The rule's documentation ships inside the package (`ocmp rules explain ID`).
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": SARIF_LEVEL[rule.severity]},
        "properties": {"tags": [rule.scope.value]},
    }


def _fingerprint(f: Finding, *, cwd: Path, root: Path) -> str:
    """Stable across runs (and line moves): rule, file and message."""
    file = repo_relative(f.file, cwd=cwd, root=root) if f.file else ""
    return _digest(f.rule, file, f.message)


def _digest(check: str, file: str, message: str) -> str:
    return hashlib.sha256(f"{check}\0{file}\0{message}".encode()).hexdigest()


# -- JUnit XML ---------------------------------------------------------------------------


def junit(result: RunResult) -> str:
    """JUnit XML: one test case per rule and file checked (a finding of severity error
    is a failure; warnings and infos pass with the finding as system-out), or one per
    step of a publishing run (a failed step is a failure, one never reached is skipped)."""
    cases: list[ET.Element] = []
    if result.report is not None:
        cases = _finding_cases(result.report, result.rules)
    cases += [_step_case(s, result.error) for s in result.steps]
    if result.error is not None and not any(c.find("failure") is not None for c in cases):
        case = ET.Element("testcase", classname=f"ocmp.{result.command}", name="run")
        ET.SubElement(case, "error", message=str(result.error["message"]),
                      type=str(result.error["type"])).text = _error_text(result.error)
        cases.append(case)
    suite = ET.Element(
        "testsuite",
        name=f"ocmp {result.command}",
        tests=str(len(cases)),
        failures=str(sum(1 for c in cases if c.find("failure") is not None)),
        errors=str(sum(1 for c in cases if c.find("error") is not None)),
        skipped=str(sum(1 for c in cases if c.find("skipped") is not None)),
    )
    suite.extend(cases)
    suites = ET.Element("testsuites", name="ocmp")
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def _finding_cases(report: Report, rules: Sequence[Rule]) -> list[ET.Element]:
    by_case: dict[tuple[str, str], list[Finding]] = {}
    for file in report.files:
        for rule in rules:
            by_case[(file, rule.id)] = []
    for f in report.findings:
        by_case.setdefault((f.file or "(tenancy)", f.rule), []).append(f)
    cases = []
    for (file, rule_id), findings in sorted(by_case.items()):
        case = ET.Element("testcase", classname=file, name=rule_id, file=file)
        errors = [f for f in findings if f.severity is Severity.ERROR]
        if errors:
            failure = ET.SubElement(
                case, "failure", message=errors[0].message, type=rule_id
            )
            failure.text = "\n".join(_finding_text(f) for f in errors)
        others = [f for f in findings if f.severity is not Severity.ERROR]
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(_finding_text(f) for f in others)
        cases.append(case)
    return cases


def _finding_text(f: Finding) -> str:
    text = f"{where(f)}: {f.severity.value} {f.rule} {f.message}"
    return text + (f"\nhint: {f.hint}" if f.hint else "")


def _step_case(step: StepResult, error: Mapping[str, Any] | None) -> ET.Element:
    case = ET.Element("testcase", classname=step.listing, name=step.name)
    if step.state == "failed":
        message = str(error["message"]) if error else step.detail or "failed"
        ET.SubElement(case, "failure", message=message, type="step").text = (
            _error_text(error) if error else message
        )
    elif step.state in ("todo", "doing"):
        ET.SubElement(case, "skipped", message="not reached")
    elif step.detail:
        ET.SubElement(case, "system-out").text = f"{step.state}: {step.detail}"
    return case


def _error_text(error: Mapping[str, Any]) -> str:
    text = str(error["message"])
    return text + (f"\nhint: {error['hint']}" if error.get("hint") else "")


# -- GitHub Actions ----------------------------------------------------------------------


def github_data(text: str) -> str:
    """Escape a workflow command's message (``%``, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """Escape a workflow command's property value (also ``:`` and ``,``)."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(level: str, message: str, **properties: str | int | None) -> str:
    """``::level key=value,…::message`` with both parts escaped."""
    props = ",".join(
        f"{key}={github_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return f"::{level}{' ' + props if props else ''}::{github_data(message)}"


def github(result: RunResult) -> list[str]:
    """One workflow command per finding, step failure, change or error."""
    lines = []
    for f in (result.report or Report()).findings:
        message = f.message + (f"\nhint: {f.hint}" if f.hint else "")
        lines.append(
            github_command(
                GITHUB_LEVEL[f.severity], message, file=f.file, line=f.line, col=f.column,
                title=f"{f.rule}",
            )
        )
    for notice in result.notices:
        lines.append(github_command("notice", notice, title=f"ocmp {result.command}"))
    if result.error is not None:
        error = result.error
        problems = error.get("problems") or []
        if len(problems) > 1:  # an annotation on each line of the input that is wrong
            for problem in problems:
                text = (f"{problem['path']}: " if problem.get("path") else "") + \
                    str(problem["message"])
                lines.append(github_command(
                    "error", text + (f"\nhint: {problem['hint']}" if problem.get("hint")
                                     else ""),
                    file=problem.get("file"), line=problem.get("line"),
                    title=f"ocmp {result.command}"))
            return lines
        lines.append(
            github_command(
                "error", _error_text(error), file=error.get("file"), line=error.get("line"),
                title=f"ocmp {result.command}",
            )
        )
    return lines


def github_summary(result: RunResult) -> str:
    """The Markdown appended to ``$GITHUB_STEP_SUMMARY``."""
    head = "❌" if result.error is not None or _has_errors(result) else "✅"
    parts = [f"### {head} ocmp {result.command}\n\n", f"{_md(result.summary)}\n\n"]
    findings = (result.report or Report()).findings
    if findings:
        parts.append("| | rule | where | message |\n|---|---|---|---|\n")
        marks = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "ℹ️"}
        for f in findings:
            parts.append(
                f"| {marks[f.severity]} | `{f.rule}` | `{_md(where(f))}` | {_md(f.message)} |\n"
            )
        parts.append("\n")
    if result.steps:
        parts.append("| step | state | detail |\n|---|---|---|\n")
        for s in result.steps:
            parts.append(f"| {s.name} | {s.state} | {_md(s.detail)} |\n")
        parts.append("\n")
    if result.error is not None:
        parts.append(f"**error:** {_md(_error_text(result.error))}\n\n")
    return "".join(parts)


def _has_errors(result: RunResult) -> bool:
    return result.report is not None and result.report.errors > 0


def _md(text: str) -> str:
    """Text safe in a Markdown table cell."""
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")


# -- GitLab Code Quality -----------------------------------------------------------------


def gitlab(result: RunResult, *, cwd: Path) -> list[dict[str, Any]]:
    """GitLab's Code Quality report: one issue per finding, paths from the repository root."""
    root = repository_root(cwd)
    report = result.report or Report()
    fallback = report.files[0] if report.files and _is_path(report.files[0]) else "."
    issues = []
    for f in report.findings:
        path = repo_relative(f.file or fallback, cwd=cwd, root=root)
        issues.append(
            {
                "type": "issue",
                "check_name": f.rule,
                "description": f"{f.rule} {f.message}",
                "content": {"body": f.hint or ""},
                "categories": ["Compatibility"],
                "severity": GITLAB_SEVERITY[f.severity],
                "fingerprint": _fingerprint(f, cwd=cwd, root=root),
                "location": {"path": path, "lines": {"begin": max(f.line or 1, 1)}},
            }
        )
    if result.error is not None:
        # Input that could not be checked is a blocker on its own line: an empty report
        # would read as "no issues" in the merge request.
        error = result.error
        problems = error.get("problems") or [error]
        for problem in problems:
            file = problem.get("file")
            path = repo_relative(file, cwd=cwd, root=root) if file else fallback
            text = (f"{problem['path']}: " if problem.get("path") else "") + str(problem["message"])
            issues.append(
                {
                    "type": "issue",
                    "check_name": f"ocmp-{result.command}",
                    "description": text,
                    "content": {"body": str(problem.get("hint") or "")},
                    "categories": ["Bug Risk"],
                    "severity": "blocker",
                    "fingerprint": _digest(f"ocmp-{result.command}", path, text),
                    "location": {"path": path,
                                 "lines": {"begin": max(int(problem.get("line") or 1), 1)}},
                }
            )
    return issues


def _is_path(text: str) -> bool:
    return not text.startswith("tenancy ")


def dumps(document: Any) -> str:
    """JSON as every ocmp document is written: indented, UTF-8, a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
