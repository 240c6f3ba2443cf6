"""Hostile listing.yaml and referenced files: exit 3 with one located line, never 70.

Issue 10, defects 5 and 6 (the listing side) and 9 (init answers).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import RunCli

KIND = "kind: image\n"


@pytest.fixture
def project(run_cli: RunCli, tmp_path: Path) -> Path:
    assert run_cli("init", "p", "--non-interactive").exit_code == 0
    return tmp_path / "p"


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(("old", "new", "message"), [
    ('keywords: ["acme-demo-app", oci, marketplace]', "keywords: &k [a, *k]",
     "a recursive alias"),
    (KIND, KIND + "x: &x {<<: *x}\n", "a recursive merge"),
    (KIND, KIND + "x: " + "[" * 900 + "]" * 900 + "\n", "nested more than 64 levels"),
    (KIND, KIND + "x: " + "{a: " * 100 + "1" + "}" * 100 + "\n", "nested more than 64 levels"),
    (KIND, KIND + "x: a\0b\n", "invalid character U+0000"),
    (KIND, KIND + "x: a\x1bb\n", "invalid character U+001B"),
    (KIND, KIND + "x: !!timestamp 'bad'\n", "'bad' is not a valid timestamp"),
    (KIND, KIND + "x: !!bool 'maybe'\n", "'maybe' is not a valid bool"),
    ('name: "Acme Demo App"', 'name: "\\ud800"', "a lone surrogate"),
    ("{file: docs/usage.md}", '{file: "docs/us\\0age.md"}', "the path holds a NUL byte"),
], ids=["alias-seq", "alias-merge", "flow-900", "mapping-100", "nul", "esc", "timestamp",
        "bool", "surrogate", "nul-path"])
@pytest.mark.parametrize("command", ["validate", "publish"])
def test_hostile_yaml_is_one_located_line_and_exit_3(
    run_cli: RunCli, project: Path, old: str, new: str, message: str, command: str
) -> None:
    listing = project / "listing.yaml"
    text = listing.read_text()
    assert old in text
    changed = text.replace(old, new, 1)
    listing.write_text(changed)
    args = ["publish", "p", "--sandbox"] if command == "publish" else ["validate", "p"]
    result = run_cli(*args)
    assert result.exit_code == 3, result.stderr
    error = result.stderr.splitlines()[0]
    line = _line_of(changed, new.strip("\n").splitlines()[-1])
    assert error.startswith(f"error: p/listing.yaml:{line}: "), error
    assert message in error
    assert "internal error" not in result.stderr


def test_listing_yaml_linked_to_dev_zero_or_a_fifo_is_refused_at_once(
    run_cli: RunCli, project: Path, tmp_path: Path
) -> None:
    listing = project / "listing.yaml"
    listing.unlink()
    listing.symlink_to("/dev/zero")  # only read, never written
    result = run_cli("validate", "p")
    assert result.exit_code == 3
    assert "is a character device, not a regular file" in result.stderr
    listing.unlink()
    os.mkfifo(listing)  # no writer: a read would wait for ever
    result = run_cli("validate", "p")
    assert result.exit_code == 3
    assert "is a FIFO, not a regular file" in result.stderr


def test_a_referenced_fifo_or_device_or_huge_file_is_refused_by_validate_and_publish(
    run_cli: RunCli, project: Path
) -> None:
    usage = project / "docs/usage.md"
    usage.unlink()
    os.mkfifo(usage)
    for args in (["validate", "p"], ["publish", "p", "--sandbox"]):
        result = run_cli(*args)
        assert result.exit_code == 3, result.stderr
        assert "'docs/usage.md' is not a regular file" in result.stderr
    usage.unlink()
    with usage.open("wb") as handle:  # sparse: 3 GB on paper, nothing on disk
        handle.truncate(3 * 1024**3)
    icon = project / "assets/icon.png"
    for args in (["validate", "p"], ["publish", "p", "--sandbox"]):
        result = run_cli(*args)
        assert result.exit_code == 3, result.stderr
        assert "'docs/usage.md' is 3221.2 MB, more than the 1 MiB ocmp reads" in result.stderr
    usage.write_text("usage")
    with icon.open("r+b") as handle:
        handle.truncate(3 * 1024**3)
    result = run_cli("publish", "p", "--sandbox")
    assert result.exit_code == 3
    assert "'assets/icon.png' is 3221.2 MB, more than the 10 MiB ocmp reads" in result.stderr


def test_a_symlink_loop_is_a_located_error(run_cli: RunCli, project: Path) -> None:
    (project / "docs/loop.md").symlink_to("loop.md")
    text = (project / "listing.yaml").read_text()
    (project / "listing.yaml").write_text(text.replace("docs/usage.md", "docs/loop.md"))
    result = run_cli("validate", "p")
    assert result.exit_code == 3, result.stderr
    assert "'docs/loop.md' cannot be read" in result.stderr
    (project / "listing.yaml").unlink()
    (project / "listing.yaml").symlink_to("listing.yaml")
    result = run_cli("validate", "p")
    assert result.exit_code == 3, result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("name", ["Acme\nEvil", "Acme\rEvil", "   ", "Acme\x00"],
                         ids=["newline", "carriage-return", "blank", "nul"])
def test_init_refuses_a_name_that_would_not_validate(
    run_cli: RunCli, tmp_path: Path, name: str
) -> None:
    result = run_cli("init", "bad", "--non-interactive", "--name", name)
    assert result.exit_code == 2, result.stderr  # a flag's value: a usage error
    assert "Invalid value for --name: " in result.stderr
    assert not (tmp_path / "bad").exists()


