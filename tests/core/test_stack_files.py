"""Selecting a stack folder's files and reading zips with guards."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ocmp.core import stack_files
from ocmp.core.stack_files import read_folder, read_zip


def _stack(tmp_path: Path) -> Path:
    folder = tmp_path / "stack"
    folder.mkdir()
    (folder / "main.tf").write_text("locals {}\n")
    return folder


def test_terraform_leftovers_and_junk_are_left_out(tmp_path: Path) -> None:
    folder = _stack(tmp_path)
    for name in ("terraform.tfstate", "terraform.tfstate.backup", ".terraform.lock.hcl",
                 "terraform.tfvars", "prod.auto.tfvars", ".DS_Store", "old.zip"):
        (folder / name).write_text("x")
    (folder / ".terraform" / "providers").mkdir(parents=True)
    (folder / ".terraform" / "providers" / "p").write_text("x")
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref")
    selection = read_folder(folder)
    assert sorted(selection.files) == ["main.tf"]
    assert ".terraform/" in selection.left_out and "terraform.tfstate" in selection.left_out


def test_ocmpignore_patterns(tmp_path: Path) -> None:
    folder = _stack(tmp_path)
    (folder / "docs").mkdir()
    (folder / "docs" / "a.md").write_text("x")
    (folder / "scripts").mkdir()
    (folder / "scripts" / "keep.sh").write_text("x")
    (folder / "scripts" / "dev.sh").write_text("x")
    (folder / "README.md").write_text("x")
    (folder / ".ocmpignore").write_text("# comment\ndocs/\n*.md\nscripts/*.sh\n!scripts/keep.sh\n")
    assert sorted(read_folder(folder).files) == ["main.tf", "scripts/keep.sh"]


def test_symlinks_leaving_the_stack_are_problems(tmp_path: Path) -> None:
    folder = _stack(tmp_path)
    (tmp_path / "secret.txt").write_text("x")
    (folder / "secret.txt").symlink_to(tmp_path / "secret.txt")
    (folder / "dangling.tf").symlink_to(tmp_path / "nowhere.tf")
    (folder / "loop").symlink_to(folder)
    selection = read_folder(folder)
    assert sorted(selection.files) == ["main.tf"]
    assert sorted(p.path for p in selection.problems) == ["dangling.tf", "loop", "secret.txt"]
    assert {p.rule for p in selection.problems} == {"STK011"}


def test_symlink_inside_the_stack_is_materialised(tmp_path: Path) -> None:
    folder = _stack(tmp_path)
    (folder / "alias.tf").symlink_to(folder / "main.tf")
    assert read_folder(folder).files["alias.tf"] == b"locals {}\n"


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize("name", ["../x.tf", "/abs.tf", "a/../../x.tf", "dir\\x.tf", "C:x.tf"])
def test_unsafe_entry_names(tmp_path: Path, name: str) -> None:
    result = read_zip(_zip(tmp_path / "s.zip", {"main.tf": b"", name: b"x"}))
    assert list(result.files) == ["main.tf"]
    assert [p.rule for p in result.problems] == ["STK011"]


def test_declared_size_above_the_limit_stops_reading(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stack_files, "MAX_ENTRY_BYTES", 1000)
    result = read_zip(_zip(tmp_path / "s.zip", {"big.bin": b"a" * 2000, "z.tf": b""}))
    assert "big.bin" not in result.files
    assert "zip bomb" in result.problems[0].message


def test_compression_ratio_limit(tmp_path: Path) -> None:
    result = read_zip(_zip(tmp_path / "s.zip", {"zeros.bin": bytes(3 * 1024 * 1024)}))
    assert result.files == {}
    assert "ratio" in result.problems[0].message


def test_not_a_zip_and_a_broken_zip(tmp_path: Path) -> None:
    tar = tmp_path / "s.tar.gz"
    tar.write_bytes(b"\x1f\x8b\x08\x00")
    assert read_zip(tar).problems[0].rule == "STK001"
    broken = tmp_path / "b.zip"
    broken.write_bytes(b"PK\x03\x04garbage")
    assert read_zip(broken).problems[0].rule == "STK001"
