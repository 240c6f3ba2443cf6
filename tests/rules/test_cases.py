"""The one parametrised runner of every rule case file, ``tests/rules/cases/<ID>.yaml``.

Each case (format in the team brief) builds a project, runs
``ocmp validate --format json --select RULE TARGET`` in the project directory through the
real CLI, and checks that the rule reported nothing (``expect: pass``) or at least one
finding (``expect: fail``), and that every expected ``locations`` entry is among them.

Keys of a case:

* ``name`` (pytest id), ``expect`` (``pass`` | ``fail``).
* ``base``: ``image`` | ``stack`` — a fresh ``ocmp init --kind K --non-interactive`` project
  (one pristine copy per kind per session, copied for each case) — or ``none`` (empty dir).
* ``listing``: deep-merged over ``listing.yaml`` (a null value deletes the key; lists replace).
* ``files``: path → text (str), ``{png: [w, h]}`` / ``{jpeg: [w, h]}`` (a generated image;
  the extension of the path does not matter, so a .png can hold JPEG data),
  ``{bytes_hex: "…"}`` (raw bytes), or null (delete the file or folder).
* ``edit``: path → list of changes to an existing file of the base project, applied before
  ``files`` — ``{replace: OLD, with: NEW}`` (OLD must occur), ``{append: TEXT}``. A case states
  the change it makes instead of pasting a whole file.
* ``findings``: the exact list of ``{file, line, severity}`` the rule must report (``severity``
  optional) — no more, no fewer. Prefer it to ``locations`` in new cases.
* ``target``: what to validate, relative to the project root (default ``.``).
* ``locations``: ``[{file, line, severity}]`` (``line`` and ``severity`` optional) that must be
  among the rule's findings; ``severity`` tells an error from a rule's warning-level finding.
* ``env``: environment variables set for the run (for ``${NAME}`` interpolation).

Keys for stack (STK/SCH) rules, applied after ``files``:

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
* ``messages``: substrings that must each appear in one of the rule's findings (so a fail
  case cannot pass for the wrong reason, e.g. a "could not check").
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from ocmp.cli import app

CASES = Path(__file__).parent / "cases"


def _load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        for case in data["cases"]:
            params.append(pytest.param(data["rule"], case, id=f"{data['rule']}-{case['name']}"))
    return params


@pytest.fixture(scope="session")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """Lazily created, never modified `ocmp init` projects, one per kind."""
    made: dict[str, Path] = {}

    class Bases(dict[str, Path]):
        def __missing__(self, kind: str) -> Path:
            where = tmp_path_factory.mktemp(f"pristine-{kind}") / "project"
            result = CliRunner().invoke(
                app,
                ["init", str(where), "--kind", kind, "--non-interactive"],
                catch_exceptions=False,
            )
            assert result.exit_code == 0, result.stderr
            self[kind] = where
            return where

    yield Bases(made)


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


def write_files(root: Path, files: dict[str, Any]) -> None:
    """Apply a case's ``files:`` map to the project."""
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
        else:
            target.write_bytes(image_bytes(content))


def edit_files(root: Path, edits: dict[str, list[dict[str, str]]]) -> None:
    """Apply a case's ``edit:`` map: each change must find what it replaces."""
    for relative, changes in edits.items():
        target = root / relative
        text = target.read_text("utf-8")
        for change in changes:
            if "replace" in change:
                assert change["replace"] in text, f"{relative}: no {change['replace']!r} to replace"
                text = text.replace(change["replace"], change["with"], 1)
            else:
                text += change["append"]
        target.write_text(text, encoding="utf-8")


def build_project(case: dict[str, Any], where: Path, pristine: dict[str, Path]) -> Path:
    """The case's project directory, ready to validate."""
    base = case.get("base", "image")
    if base == "none":
        where.mkdir()
    else:
        shutil.copytree(pristine[base], where)
    if case.get("listing") is not None:
        listing = where / "listing.yaml"
        data = yaml.safe_load(listing.read_text("utf-8")) if listing.exists() else {}
        merged = deep_merge(data, case["listing"])
        listing.write_text(yaml.safe_dump(merged, sort_keys=False), encoding="utf-8")
    edit_files(where, case.get("edit") or {})
    write_files(where, case.get("files") or {})
    for link, target in (case.get("symlinks") or {}).items():
        (where / link).parent.mkdir(parents=True, exist_ok=True)
        (where / link).symlink_to(target)
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


@pytest.mark.parametrize(("rule_id", "case"), _load_cases())
def test_case(
    rule_id: str,
    case: dict[str, Any],
    tmp_path: Path,
    pristine: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = build_project(case, tmp_path / "project", pristine)
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
    mine = [f for f in report["findings"] if f["rule"] == rule_id]
    if case["expect"] == "pass":
        assert mine == [], f"{rule_id} should not fire: {mine}"
        return
    assert case["expect"] == "fail", f"expect must be pass or fail, not {case['expect']!r}"
    assert mine, f"{rule_id} should fire; report: {report}"
    for text in case.get("messages") or []:
        said = [f["message"] for f in mine]
        assert any(text in m for m in said), f"no {rule_id} finding says {text!r}: {said}"
    if "findings" in case:
        wanted_all = sorted(
            (w["file"], w.get("line"), w.get("severity")) for w in case["findings"])
        got_all = sorted(
            (f["file"], f["line"], f["severity"] if w_sev else None)
            for f, w_sev in zip(mine, _severity_flags(case["findings"], mine), strict=True))
        assert got_all == wanted_all, f"{rule_id}: expected exactly {wanted_all}, got " \
            f"{[_where(f) for f in mine]}"
    for wanted in case.get("locations") or []:
        assert any(
            f["file"] == wanted["file"]
            and all(f[key] == wanted[key] for key in ("line", "severity") if key in wanted)
            for f in mine
        ), f"no {rule_id} finding like {wanted}; got {[_where(f) for f in mine]}"


def _severity_flags(wanted: list[dict[str, Any]], mine: list[dict[str, Any]]) -> list[bool]:
    # Compare severities only when every expected finding states one.
    flag = all("severity" in w for w in wanted)
    return [flag] * len(mine)


def _where(finding: dict[str, Any]) -> tuple[Any, ...]:
    return finding["file"], finding["line"], finding["severity"]
