"""Hostile stack folders: one finding (or exit 3) each, bounded, nothing from outside.

Issue 10, defects 4, 5 and 6 (the stack side).
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from tests.conftest import RunCli


@pytest.fixture
def stack(run_cli: RunCli, tmp_path: Path) -> Path:
    assert run_cli("init", "s", "--kind", "stack", "--non-interactive").exit_code == 0
    return tmp_path / "s/terraform"


def _report(run_cli: RunCli) -> tuple[int, list[dict[str, object]]]:
    result = run_cli("validate", "s", "--format", "json")
    return result.exit_code, json.loads(result.stdout)["findings"]


def _append(path: Path, text: str) -> None:
    with path.open("a") as handle:
        handle.write(text)


def _errors(findings: list[dict[str, object]]) -> list[dict[str, object]]:
    return [f for f in findings if f["severity"] == "error"]


@pytest.mark.parametrize(("make", "rule", "message"), [
    (lambda t: _append(t / "schema.yaml", "x: &r [*r]\n"), "SCH001",
     "a recursive alias"),
    (lambda t: _append(t / "schema.yaml", "x: !!timestamp 'bad'\n"), "SCH001",
     "'bad' is not a valid timestamp"),
    (lambda t: (t / "deep.tf.json").write_text('{"a":' * 3000 + "1" + "}" * 3000), "STK020",
     "nested too deeply to read"),
    (lambda t: (t / "loop").symlink_to("loop"), "STK011", "is a loop of links"),
    (lambda t: (t / "procdir").symlink_to("/proc"), "STK011",
     "leads out of the project"),
], ids=["schema-alias", "schema-tag", "deep-tf-json", "link-loop", "link-to-proc"])
def test_one_bad_input_is_one_finding(
    run_cli: RunCli, stack: Path, make: object, rule: str, message: str
) -> None:
    make(stack)  # type: ignore[operator]
    code, findings = _report(run_cli)
    assert code == 1
    errors = _errors(findings)
    assert [(e["rule"], message in str(e["message"])) for e in errors] == [(rule, True)], errors
    assert not any("internal error" in str(f["message"]) for f in findings)


def test_a_tf_file_over_the_parse_cap_is_not_checked_not_a_syntax_error(
    run_cli: RunCli, stack: Path
) -> None:
    # Terraform may accept a large generated file: ocmp says it did not check it.
    (stack / "big.tf").write_text("locals {\n" + "  a = 1\n" * 200_000 + "}\n")
    _, findings = _report(run_cli)
    assert not _errors(findings)
    assert [(f["rule"], f["severity"], f["message"]) for f in findings if f["rule"] == "STK020"
            ] == [("STK020", "warning", "big.tf is not checked (1.6 MB, larger than the 1 MiB "
                   "ocmp parses)")]


def test_a_sparse_huge_file_is_one_finding_never_read(run_cli: RunCli, stack: Path) -> None:
    with (stack / "disk.img").open("wb") as handle:
        handle.truncate(3 * 1024**3)
    code, findings = _report(run_cli)
    assert code == 1
    assert [(e["rule"], e["message"]) for e in _errors(findings)] == [
        ("STK011", "disk.img is 3221.2 MB, more than the 64 MiB a stack file may be")]


def test_a_huge_ocmpignore_is_refused(run_cli: RunCli, stack: Path) -> None:
    (stack / ".ocmpignore").write_text("\n".join(f"p{i}*" for i in range(5000)))
    result = run_cli("validate", "s")
    assert result.exit_code == 3
    assert "5000 patterns, more than the 1000 ocmp reads" in result.stderr


def test_a_linked_folder_is_followed_only_where_a_module_source_leads(
    run_cli: RunCli, stack: Path, tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()  # a release repository: its modules may be shared by links
    shared = tmp_path / "shared"
    (shared / "tags").mkdir(parents=True)
    (shared / "tags/main.tf").write_text('variable "name" {}\noutput "tags" {\n'
                                         '  value = { "app" = var.name }\n}\n')
    (shared / "tags/notes.txt").write_text("token=secret")
    (shared / "other").mkdir()
    (shared / "other/main.tf").write_text("locals {}\n")
    (shared / "id_rsa.tf").write_text("# not a module anyone calls\n")
    (stack / "modules").symlink_to(shared)
    (stack / "tags.tf").write_text('module "tags" {\n  source = "./modules/tags"\n'
                                   '  name   = "x"\n}\n')
    result = run_cli("package", "s", "-o", "s.zip", "--format", "json")
    assert result.exit_code == 0, result.stdout
    names = zipfile.ZipFile(tmp_path / "s.zip").namelist()
    assert [n for n in names if n.startswith("modules/")] == ["modules/tags/main.tf"]
    assert "modules/tags/notes.txt" in json.loads(result.stdout)["left_out"]


def test_a_fifo_in_the_stack_is_skipped_not_waited_on(run_cli: RunCli, stack: Path) -> None:
    os.mkfifo(stack / "pipe.tf")
    code, findings = _report(run_cli)
    assert code == 0, findings  # a note, not an error: and never opened (no hang)
    assert [(f["rule"], f["severity"], f["message"]) for f in findings
            if f["rule"] == "STK011"] == [("STK011", "warning", "pipe.tf is not a regular file "
                                           "(a FIFO, socket or device): neither checked nor "
                                           "packaged")]
