"""Rule cases as data: build a case's project, run its rule, pin its findings, render its example.

A case file ``tests/rules/cases/<ID>.yaml`` holds ``rule: ID`` and a list of ``cases``. Each case
starts from a base project and states the change it makes; ``tests/rules/test_cases.py`` runs
``ocmp validate --format json --select ID TARGET`` on it through the real CLI.

Keys of a case (anything else is refused):

* ``name`` (pytest id), ``expect`` (``pass`` | ``fail``), ``why`` (optional: one sentence on
  what the case shows, printed in the rule's doc when the case is its example).
* ``example: true`` on exactly one fail case and one pass case of a rule: they are the rule's
  "Examples" in ``ocmp/rules/docs/<ID>.md`` (``ocmp rules explain ID``), which must equal what
  :func:`render_example` makes of them and of what ocmp reports on them.
* ``base``: ``image`` | ``stack`` — a fresh ``ocmp init --kind K --non-interactive`` project
  (one pristine copy per kind per session, copied for each case) — or ``none`` (empty dir).
* ``listing``: deep-merged over ``listing.yaml`` (a null value deletes the key; lists replace).
* ``edit``: path → list of changes to an existing file of the base project, applied in order
  after ``listing`` — ``{replace: OLD, with: NEW}`` (OLD must occur exactly once) or
  ``{append: TEXT}``. A case states the change it makes instead of pasting a whole file.
* ``files``: path → text (str), ``{png: [w, h]}`` / ``{jpeg: [w, h]}`` (a generated image;
  the extension of the path does not matter, so a .png can hold JPEG data),
  ``{bytes_hex: "…"}`` (raw bytes), ``{copy: PATH, edit: [changes]}`` (a file of the base
  project, ``edit`` optional, changes as in ``edit:``), or null (delete the file or folder);
  applied after ``edit``.
  For new files, or a small file rewritten whole: a change to a base file is an ``edit``.
* ``findings`` (fail cases, required; refused on pass cases): the exact list of
  ``{file, line, severity}`` the rule must report — no more, no fewer (``line`` null for a
  finding on a whole file). A pass case must yield no finding of its rule.
* ``messages``: substrings that must each appear in one of the rule's findings (so a fail
  case cannot pass for the wrong reason, e.g. a "could not check").
* ``hints``: substrings that must each appear in the hint of one of the rule's findings (a
  "did you mean", the example a hint gives).
* ``target``: what to validate, relative to the project root (default ``.``).
* ``env``: environment variables set for the run (for ``${NAME}`` interpolation).

Keys for stack (STK/SCH) rules, applied after ``files``:

* ``fifos``: paths made named pipes (``os.mkfifo``), relative to the project root.
* ``symlinks``: link path → target (written as given, e.g. ``../../shared/mod``), made with
  ``os.symlink`` relative to the project root.
* ``zip``: build a zip to validate (set ``target`` to its ``path``)::

      zip:
        path: stack.zip          # where to write it, relative to the project root
        from: terraform          # optional: every file of this folder, names relative to it
        prefix: mystack/         # optional: prepended to the names taken from ``from``
        entries:                 # optional raw entries, written as named (even ``../x``)
          - {name: main.tf, text: "..."}        # or bytes_hex: "…"
          - {name: big.bin, zeros: 300000000}   # that many zero bytes (compresses ~1000:1)
          - {name: link.tf, symlink: /etc/passwd}  # a symlink entry (unix mode S_IFLNK)

Keys for live (TENANCY) rules — a case with either runs ``ocmp validate --online`` against
an in-process sandbox (``OCMP_ENDPOINT``/``OCI_CLI_CONFIG_FILE``/``OCI_CLI_PROFILE`` set):

* ``sandbox_seed``: deep-merged over the sandbox's demo seed (same merge as ``listing``: a
  null deletes, lists replace), and the sandbox starts with the result; ``{}`` = the healthy
  demo tenancy. Besides the tenancy sections it can hold existing publishing work —
  ``terms`` with ``versions``, ``listings`` with ``revisions``, ``stacks``, ``app_catalog``
  ``regions`` — see "Seed YAML" in ``docs/sandbox.md``.
* ``sandbox_faults``: ``[{method, path_regex, status, code, count}]`` passed to
  ``Sandbox.add_fault`` (e.g. a 404 to simulate a missing permission). ``count`` is per
  request, and ocmp retries a read that fails with 429/5xx: live cases run with
  ``OCMP_RETRY_MAX_ATTEMPTS=2`` and a millisecond backoff (an ``env:`` key overrides), so a
  fault meant to last the whole run needs ``count`` ≥ 2 × the reads it should spoil.

Run as a module it maintains the case files and the docs (see ``main``)::

    python -m tests.rules.casekit edits [ID…]  # pasted base files become edit: changes
    python -m tests.rules.casekit pin [ID…]    # write the exact findings of fail cases
    python -m tests.rules.casekit docs [ID…]   # pick examples, write the docs' Examples

They rewrite the case file and keep only its opening comment lines: say why a case exists in
its ``why:`` key, not in a comment.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import io
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from ocmp.cli import app

CASES = Path(__file__).parent / "cases"
DOCS = Path(__file__).parents[2] / "ocmp" / "rules" / "docs"

CASE_KEYS = frozenset({
    "name", "expect", "why", "example", "base", "listing", "edit", "files", "findings",
    "messages", "hints", "target", "env", "symlinks", "fifos", "zip", "sandbox_seed",
    "sandbox_faults",
})
FINDING_KEYS = frozenset({"file", "line", "severity"})
EXAMPLES_HEADING = "## Examples"


# --- reading and checking a case file -------------------------------------------------------


def load(rule_id: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((CASES / f"{rule_id}.yaml").read_text("utf-8"))
    return data


def rule_ids() -> list[str]:
    return sorted(p.stem for p in CASES.glob("*.yaml"))


def case_problems(case: dict[str, Any]) -> list[str]:
    """What is wrong with a case as data (empty when it is well formed)."""
    problems = [f"unknown key {key!r}" for key in sorted(set(case) - CASE_KEYS)]
    if case.get("expect") not in ("pass", "fail"):
        problems.append(f"expect must be pass or fail, not {case.get('expect')!r}")
    findings = case.get("findings")
    if case.get("expect") == "pass" and "findings" in case:
        problems.append("a pass case pins no findings: it must yield none")
    if case.get("expect") == "fail":
        if not findings:
            problems.append("a fail case must pin its exact findings: `findings:` "
                            "(python -m tests.rules.casekit pin RULE writes them)")
        for wanted in findings or []:
            if set(wanted) != FINDING_KEYS:
                problems.append(f"finding {wanted} must have exactly the keys file, line, severity")
    return problems


# --- building the project -------------------------------------------------------------------


class Bases(dict[str, Path]):
    """Lazily created, never modified `ocmp init` projects, one per kind, under ``root``."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def __missing__(self, kind: str) -> Path:
        where = self.root / f"pristine-{kind}" / "project"
        result = CliRunner().invoke(
            app, ["init", str(where), "--kind", kind, "--non-interactive"], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        self[kind] = where
        return where


def deep_merge(base: Any, patch: Any) -> Any:
    """Merge ``patch`` over ``base``: mappings merge, null deletes, anything else replaces."""
    if not isinstance(base, dict) or not isinstance(patch, dict):
        return patch
    merged = dict(base)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = deep_merge(merged.get(key), value)
    return merged


def image_bytes(spec: dict[str, Any]) -> bytes:
    """A real image of the requested format and size."""
    from PIL import Image

    fmt, (width, height) = next(iter(spec.items()))
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buffer, format=fmt.upper())
    return buffer.getvalue()


def write_files(root: Path, files: dict[str, Any], base: Path | None) -> None:
    """Apply a case's ``files:`` map to the project (``base``: the pristine base project)."""
    for relative, content in files.items():
        target = root / relative
        if content is None:
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        elif "bytes_hex" in content:
            target.write_bytes(bytes.fromhex(content["bytes_hex"]))
        elif "copy" in content:
            assert base is not None, f"{relative}: no base project to copy from"
            text = (base / content["copy"]).read_text("utf-8")
            target.write_text(apply_edits(text, content.get("edit") or [], relative), "utf-8")
        else:
            target.write_bytes(image_bytes(content))


def apply_edits(text: str, changes: list[dict[str, str]], relative: str) -> str:
    """``text`` after a case's changes to one file; each replaced text must occur exactly once."""
    for change in changes:
        if "replace" in change:
            count = text.count(change["replace"])
            assert count == 1, f"{relative}: {change['replace']!r} occurs {count} times, not once"
            text = text.replace(change["replace"], change["with"], 1)
        else:
            text += change["append"]
    return text


def edit_files(root: Path, edits: dict[str, list[dict[str, str]]]) -> None:
    """Apply a case's ``edit:`` map to files of the base project."""
    for relative, changes in edits.items():
        target = root / relative
        target.write_text(apply_edits(target.read_text("utf-8"), changes, relative), "utf-8")


def build_project(case: dict[str, Any], where: Path, bases: dict[str, Path]) -> Path:
    """The case's project directory, ready to validate."""
    base = case.get("base", "image")
    pristine = None if base == "none" else bases[base]
    if pristine is None:
        where.mkdir()
    else:
        shutil.copytree(pristine, where)
    if case.get("listing") is not None:
        listing = where / "listing.yaml"
        data = yaml.safe_load(listing.read_text("utf-8")) if listing.exists() else {}
        merged = deep_merge(data, case["listing"])
        listing.write_text(yaml.safe_dump(merged, sort_keys=False), encoding="utf-8")
    edit_files(where, case.get("edit") or {})
    write_files(where, case.get("files") or {}, pristine)
    for link, target in (case.get("symlinks") or {}).items():
        (where / link).parent.mkdir(parents=True, exist_ok=True)
        (where / link).symlink_to(target)
    for fifo in case.get("fifos") or []:
        (where / fifo).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(where / fifo)
    if case.get("zip"):
        write_zip(where, case["zip"])
    return where


def write_zip(root: Path, spec: dict[str, Any]) -> None:
    """Build the case's zip: a folder's files and/or raw entries (see the module docstring)."""
    import stat
    import zipfile

    with zipfile.ZipFile(root / spec["path"], "w", zipfile.ZIP_DEFLATED) as zf:
        if spec.get("from"):
            folder = root / spec["from"]
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                name = spec.get("prefix", "") + path.relative_to(folder).as_posix()
                zf.writestr(name, path.read_bytes())
        for entry in spec.get("entries") or []:
            info = zipfile.ZipInfo(entry["name"])
            info.compress_type = zipfile.ZIP_DEFLATED
            if "symlink" in entry:
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                data = entry["symlink"].encode()
            elif "zeros" in entry:
                data = bytes(entry["zeros"])
            elif "bytes_hex" in entry:
                data = bytes.fromhex(entry["bytes_hex"])
            else:
                data = entry["text"].encode()
            zf.writestr(info, data)


# --- running it -----------------------------------------------------------------------------


@contextlib.contextmanager
def live_sandbox(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A sandbox seeded for the case, with the environment pointing ocmp at it."""
    from ocmp.sandbox import Sandbox
    from ocmp.sandbox.seed import load_seed

    seed = deep_merge(load_seed("demo"), case.get("sandbox_seed") or {})
    with Sandbox(seed=seed) as sandbox:
        for fault in case.get("sandbox_faults") or []:
            sandbox.add_fault(**fault)
        monkeypatch.setenv("OCMP_ENDPOINT", sandbox.endpoint)
        monkeypatch.setenv("OCI_CLI_CONFIG_FILE", str(sandbox.config_file))
        monkeypatch.setenv("OCI_CLI_PROFILE", sandbox.profile)
        for knob, value in (("OCMP_RETRY_MAX_ATTEMPTS", "2"), ("OCMP_RETRY_BASE_DELAY", "0.001")):
            if knob not in (case.get("env") or {}):
                monkeypatch.setenv(knob, value)
        yield


def run_case(
    rule_id: str,
    case: dict[str, Any],
    where: Path,
    bases: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> list[dict[str, Any]]:
    """Build the case's project at ``where``, validate it, and return the rule's findings."""
    root = build_project(case, where, bases)
    monkeypatch.chdir(root)
    monkeypatch.setenv("NO_COLOR", "1")
    for key, value in (case.get("env") or {}).items():
        monkeypatch.setenv(key, str(value))
    args = ["validate", "--format", "json", "--select", rule_id, case.get("target", ".")]
    with contextlib.ExitStack() as stack:
        if "sandbox_seed" in case or "sandbox_faults" in case:
            stack.enter_context(live_sandbox(case, monkeypatch))
            args.insert(1, "--online")
        result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code in (0, 1), f"exit {result.exit_code}: {result.stderr}"
    report = json.loads(result.stdout)
    return [f for f in report["findings"] if f["rule"] == rule_id]


def pinned(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings as a case pins them, in a stable order."""
    rows = [{"file": f["file"], "line": f["line"], "severity": f["severity"]} for f in findings]
    return sorted(rows, key=lambda r: (r["file"] or "", r["line"] or 0, r["severity"]))


def verdict(rule_id: str, case: dict[str, Any], mine: list[dict[str, Any]]) -> list[str]:
    """How the rule's findings on the case differ from what the case expects (empty: none)."""
    if case["expect"] == "pass":
        return [f"{rule_id} should not fire: {pinned(mine)}"] if mine else []
    got, wanted = pinned(mine), pinned(case["findings"])
    wrong = [] if got == wanted else [f"{rule_id}: expected exactly {wanted}, got {got}"]
    said = [f["message"] for f in mine]
    wrong += [f"no {rule_id} finding says {text!r}: {said}"
              for text in case.get("messages") or [] if not any(text in m for m in said)]
    hinted = [f.get("hint") or "" for f in mine]
    wrong += [f"no {rule_id} finding hints {text!r}: {hinted}"
              for text in case.get("hints") or [] if not any(text in h for h in hinted)]
    return wrong


# --- the docs' Examples section -------------------------------------------------------------

_FENCE = {".tf": "hcl", ".yaml": "yaml", ".yml": "yaml", ".md": "markdown", ".sh": "sh",
          ".json": "json", ".tpl": "sh", ".py": "python"}


def _fenced(text: str, language: str = "text") -> str:
    fence = "````" if "```" in text else "```"
    return f"{fence}{language}\n{text.rstrip(chr(10))}\n{fence}\n"


def _language(path: str) -> str:
    return _FENCE.get(Path(path).suffix, "text")


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000)


def _diff(changes: list[dict[str, str]]) -> str:
    """The changes as one diff: lines a change keeps are context, ``@@`` between changes."""
    lines: list[str] = []
    for change in changes:
        if lines:
            lines.append("@@")  # the next change, elsewhere in the file
        old = change.get("replace", "").splitlines()
        new = (change.get("with") or change.get("append") or "").splitlines()
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                lines += [f" {line}" for line in old[i1:i2]]
            else:
                lines += [f"-{line}" for line in old[i1:i2]] + [f"+{line}" for line in new[j1:j2]]
    return _fenced("\n".join(lines), "diff")


def describe_change(case: dict[str, Any]) -> str:
    """The case's change to its base project, in Markdown."""
    base = case.get("base", "image")
    start = ("In an empty folder" if base == "none"
             else f"In a project made by `ocmp init --kind {base}`")
    parts = [f"{case['why'].strip()}\n"] if case.get("why") else []
    changes = []
    if case.get("listing") is not None:
        changes.append("set in `listing.yaml` (`null` removes a key):\n\n"
                       + _fenced(_dump(case["listing"]), "yaml"))
    for path, edits in (case.get("edit") or {}).items():
        changes.append(f"change `{path}`:\n\n" + _diff(edits))
    for path, content in (case.get("files") or {}).items():
        if content is None:
            changes.append(f"remove `{path}`.\n")
        elif isinstance(content, str):
            changes.append(f"write `{path}`:\n\n" + _fenced(content, _language(path)))
        elif "bytes_hex" in content:
            changes.append(f"write `{path}`: {len(content['bytes_hex']) // 2} bytes of binary "
                           "data.\n")
        elif "copy" in content:
            changed = (f", changed:\n\n{_diff(content['edit'])}" if content.get("edit")
                       else ".\n")
            changes.append(f"copy `{content['copy']}` to `{path}`{changed}")
        else:
            fmt, (width, height) = next(iter(content.items()))
            changes.append(f"write `{path}`: a {width}×{height} {fmt.upper()} image.\n")
    for link, target in (case.get("symlinks") or {}).items():
        changes.append(f"make `{link}` a symbolic link to `{target}`.\n")
    for fifo in case.get("fifos") or []:
        changes.append(f"make `{fifo}` a named pipe (FIFO).\n")
    if case.get("zip"):
        spec = case["zip"]
        what = [f"the files of `{spec['from']}/`"] if spec.get("from") else []
        what += [f"`{e['name']}`" for e in spec.get("entries") or []]
        changes.append(f"zip {', '.join(what)} as `{spec['path']}`.\n")
    for key, value in (case.get("env") or {}).items():
        changes.append(f"set the environment variable `{key}={value}`.\n")
    if "sandbox_seed" in case:
        changes.append("use the sandbox's demo tenancy"
                       + (", changed (`null` removes a key):\n\n"
                          + _fenced(_dump(case["sandbox_seed"]), "yaml")
                          if case["sandbox_seed"] else ".\n"))
    for fault in case.get("sandbox_faults") or []:
        changes.append(f"let the API answer `{fault['method']} {fault['path_regex']}` with "
                       f"{fault['status']} {fault.get('code', '')}".rstrip() + ".\n")
    if not changes:
        parts.append(f"{start}, as it is.\n")
    elif len(changes) == 1:
        parts.append(f"{start}, {changes[0]}")
    else:
        parts.append(f"{start}:\n")
        parts += [f"{c[0].upper()}{c[1:]}" for c in changes]
    return "\n".join(parts)


def command_line(case: dict[str, Any]) -> str:
    online = " --online" if "sandbox_seed" in case or "sandbox_faults" in case else ""
    return f"ocmp validate{online} {case.get('target', '.')}"


def render_example(rule_id: str, case: dict[str, Any], findings: list[dict[str, Any]]) -> str:
    """One example subsection: the change, the command, and what ocmp reports on it."""
    verdict = "Fails" if case["expect"] == "fail" else "Passes"
    body = [f"### {verdict}: `{case['name']}`\n", describe_change(case)]
    if findings:
        said = []
        for f in sorted(findings, key=lambda f: (f["file"] or "", f["line"] or 0, f["message"])):
            # As `ocmp validate` prints it (ocmp.formats.plain_lines).
            where = f["file"] or "(tenancy)"
            where += "".join(f":{f[k]}" for k in ("line", "column") if f[k] is not None)
            # A request id differs on every run: the doc shows where it goes.
            message = re.sub(r"(request-id )[0-9A-Fa-f/-]+", r"\1…", f["message"])
            said.append(f"{where}: {f['severity']} {rule_id} {message}")
            if f.get("hint"):
                said.append(f"    hint: {f['hint']}")
        body.append(f"`{command_line(case)}` reports:\n\n" + _fenced("\n".join(said)))
    else:
        body.append(f"`{command_line(case)}` reports nothing for {rule_id}.\n")
    return "\n".join(body)


def examples_intro(rule_id: str) -> str:
    return (f"{EXAMPLES_HEADING}\n\nFrom the rule's test cases "
            f"(`tests/rules/cases/{rule_id}.yaml`), with what ocmp reports on them.\n")


def split_doc(doc: str) -> tuple[str, dict[str, str]]:
    """The doc without its Examples section, and that section's subsections by case name."""
    start = doc.find(f"\n{EXAMPLES_HEADING}\n")
    if start < 0:
        return doc, {}
    rest = doc[start + 1:]
    end = rest.find("\n## ", len(EXAMPLES_HEADING))
    section, after = (rest, "") if end < 0 else (rest[:end + 1], rest[end + 1:])
    subsections: dict[str, str] = {}
    chunks = section.split("\n### ")[1:]
    for chunk in chunks:
        text = "### " + chunk
        name = text.split("`")[1]
        subsections[name] = text.rstrip("\n") + "\n"
    return doc[:start + 1] + after, subsections


def doc_example(rule_id: str, case_name: str) -> str | None:
    return split_doc((DOCS / f"{rule_id}.md").read_text("utf-8"))[1].get(case_name)


# --- maintaining the files ------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Case files as people write them: literal blocks for text, one-line findings."""


class _Flow(dict[str, Any]):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", dict(value), flow_style=True)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Flow, _flow)

_ORDER = ("name", "why", "expect", "example", "base", "target", "env", "listing", "edit", "files",
          "symlinks", "fifos", "zip", "sandbox_seed", "sandbox_faults", "messages", "hints",
          "findings")


def dump_cases(data: dict[str, Any], header: str = "") -> str:
    cases = []
    for case in data["cases"]:
        ordered = {key: case[key] for key in _ORDER if key in case}
        ordered.update({k: v for k, v in case.items() if k not in ordered})
        if "findings" in ordered:
            ordered["findings"] = [_Flow(f) for f in ordered["findings"]]
        if "zip" in ordered and ordered["zip"].get("entries"):
            ordered["zip"] = dict(ordered["zip"])
        cases.append(ordered)
    text = yaml.dump({"rule": data["rule"], "cases": cases}, Dumper=_Dumper, sort_keys=False,
                     allow_unicode=True, width=1_000_000)
    assert yaml.safe_load(text) == yaml.safe_load(_plain(data)), "the dump changed the data"
    return header + text


def _plain(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False)


def header_of(path: Path) -> str:
    lines = path.read_text("utf-8").splitlines(keepends=True)
    head = []
    for line in lines:
        if not line.startswith("#"):
            break
        head.append(line)
    return "".join(head)


def _run_all(
    rule_id: str, cases: list[dict[str, Any]], scratch: Path, bases: Bases,
) -> list[list[dict[str, Any]]]:
    results = []
    for number, case in enumerate(cases):
        with pytest.MonkeyPatch.context() as monkeypatch:
            results.append(run_case(rule_id, case, scratch / f"{rule_id}-{number}", bases,
                                    monkeypatch))
    return results


def pin(rule_id: str, scratch: Path, bases: Bases, refresh: bool) -> int:
    """Write the exact findings of the rule's fail cases; report pass cases that fire."""
    path = CASES / f"{rule_id}.yaml"
    data = load(rule_id)
    results = _run_all(rule_id, data["cases"], scratch, bases)
    troubles = 0
    for case, found in zip(data["cases"], results, strict=True):
        rows = pinned(found)
        if case["expect"] == "pass":
            if rows:
                troubles += 1
                print(f"{rule_id} {case['name']}: pass case fires {rows}", file=sys.stderr)
            continue
        if not rows:
            troubles += 1
            print(f"{rule_id} {case['name']}: fail case finds nothing", file=sys.stderr)
            continue
        if "findings" in case and not refresh:
            continue
        case.pop("locations", None)
        case["findings"] = rows
        said = "; ".join(f"{f['file']}:{f['line']} {f['severity']} {f['message']}" for f in found)
        print(f"{rule_id} {case['name']}: {said}")
    path.write_text(dump_cases(data, header_of(path)), "utf-8")
    return troubles


def _change_size(case: dict[str, Any]) -> int:
    return len(describe_change({k: v for k, v in case.items() if k != "why"}))


def docs(rule_id: str, scratch: Path, bases: Bases) -> None:
    """Mark the rule's example cases (if none are) and write its doc's Examples section."""
    path = CASES / f"{rule_id}.yaml"
    data = load(rule_id)
    cases = data["cases"]
    for verdict in ("fail", "pass"):
        mine = [c for c in cases if c["expect"] == verdict]
        if any(c.get("example") for c in mine):
            continue
        changed = [c for c in mine if _change_size(c) > _change_size({"base": c.get("base")})]
        chosen = min(changed or mine, key=_change_size)
        chosen["example"] = True
    path.write_text(dump_cases(data, header_of(path)), "utf-8")
    chosen_cases = [c for v in ("fail", "pass") for c in cases if c["expect"] == v
                    and c.get("example")]
    results = _run_all(rule_id, chosen_cases, scratch, bases)
    section = examples_intro(rule_id) + "".join(
        "\n" + render_example(rule_id, case, found)
        for case, found in zip(chosen_cases, results, strict=True))
    doc_path = DOCS / f"{rule_id}.md"
    rest, _ = split_doc(doc_path.read_text("utf-8"))
    rest = rest.rstrip("\n") + "\n"
    marker = rest.find("\n## References")
    if marker < 0:
        doc = rest + "\n" + section
    else:
        doc = rest[:marker + 1] + section + "\n" + rest[marker + 1:]
    doc_path.write_text(doc, "utf-8")


def edits_between(old: str, new: str) -> list[dict[str, str]]:
    """``edit:`` changes that turn ``old`` into ``new``: whole lines, each replaced text widened
    with neighbouring lines until it occurs exactly once."""
    before, after = old.splitlines(keepends=True), new.splitlines(keepends=True)
    current, shift, changes = list(before), 0, []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        lo, hi, replacement = i1 + shift, i2 + shift, after[j1:j2]
        head: list[str] = []
        tail: list[str] = []
        text, grow_down = "".join(current), True
        while not "".join(current[lo:hi]).strip() or text.count("".join(current[lo:hi])) != 1:
            if (grow_down and hi < len(current)) or lo == 0:
                tail.append(current[hi])
                hi += 1
            else:
                lo -= 1
                head.insert(0, current[lo])
            grow_down = not grow_down
        changes.append({"replace": "".join(current[lo:hi]),
                        "with": "".join(head + replacement + tail)})
        current[lo:hi] = head + replacement + tail
        shift += (j2 - j1) - (i2 - i1)
    assert apply_edits(old, changes, "?") == new
    return changes


def to_edits(rule_id: str, bases: Bases) -> None:
    """Turn ``files:`` entries that rewrite a base project's file into ``edit:`` changes (kept
    whole when the file is mostly rewritten: then the new text reads better than a diff)."""
    path = CASES / f"{rule_id}.yaml"
    data = load(rule_id)
    for case in data["cases"]:
        base = case.get("base", "image")
        files = case.get("files") or {}
        for relative, content in list(files.items()):
            source = None if base == "none" else bases[base] / relative
            if not isinstance(content, str) or source is None or not source.is_file():
                continue
            old = source.read_text("utf-8")
            if relative in (case.get("edit") or {}):
                continue
            changes = edits_between(old, content)
            if sum(len(c["replace"]) + len(c["with"]) for c in changes) > len(content):
                continue
            case.setdefault("edit", {})[relative] = changes
            del files[relative]
            print(f"{rule_id} {case['name']}: {relative} as {len(changes)} edits")
        if "files" in case and not case["files"]:
            del case["files"]
    path.write_text(dump_cases(data, header_of(path)), "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.rules.casekit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("edits", "pin", "docs"),
                        help="edits: turn pasted base files into edit: changes; pin: write "
                             "`findings:` of fail cases that lack them (print them to review); "
                             "docs: write each doc's Examples section")
    parser.add_argument("rules", nargs="*", help="rule ids (default: every case file)")
    parser.add_argument("--refresh", action="store_true",
                        help="pin: rewrite findings that are already pinned too")
    args = parser.parse_args(argv)
    troubles = 0
    with tempfile.TemporaryDirectory(prefix="ocmp-cases-") as scratch:
        bases = Bases(Path(scratch))
        for rule_id in args.rules or rule_ids():
            work = Path(scratch) / rule_id
            work.mkdir()
            if args.what == "edits":
                to_edits(rule_id, bases)
            elif args.what == "pin":
                troubles += pin(rule_id, work, bases, args.refresh)
            else:
                docs(rule_id, work, bases)
    return 1 if troubles else 0


if __name__ == "__main__":
    raise SystemExit(main())
