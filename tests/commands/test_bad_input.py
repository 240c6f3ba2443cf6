"""Bad input through `ocmp validate`: one located error line, exit 3, never a traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import CliResult, RunCli

BOMB = """kind: image
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def one_error(result: CliResult) -> str:
    assert result.exit_code == 3, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    first, *rest = result.stderr.splitlines()
    assert first.startswith("error: ")
    assert all(line.startswith("hint: ") for line in rest)
    return first


@pytest.fixture
def project(run_cli: RunCli, tmp_path: Path) -> Path:
    assert run_cli("init", "app", "--non-interactive").exit_code == 0
    return tmp_path / "app"


def set_listing(project: Path, **values: object) -> None:
    data = yaml.safe_load((project / "listing.yaml").read_text())
    data["listing"].update(values)
    (project / "listing.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


def test_empty_file(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "listing.yaml").write_text("")
    assert one_error(run_cli("validate", ".")) == "error: listing.yaml:1: the file is empty"


def test_a_list_instead_of_a_mapping(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "listing.yaml").write_text("- kind: image\n- listing: {}\n")
    line = one_error(run_cli("validate", "listing.yaml"))
    assert line.startswith("error: listing.yaml:1: the top level is a list, expected a mapping")


def test_alias_bomb_is_refused_quickly(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "listing.yaml").write_text(BOMB)
    started = time.monotonic()
    line = one_error(run_cli("validate", "."))
    assert "alias bomb" in line and line.startswith("error: listing.yaml:")
    assert time.monotonic() - started < 10  # expanding it would take hours


def test_fifty_megabytes_are_refused_before_parsing(run_cli: RunCli, tmp_path: Path) -> None:
    with (tmp_path / "listing.yaml").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: cheap to create
    line = one_error(run_cli("validate", "."))
    assert line.startswith("error: listing.yaml: file is 52.4 MB, more than the 1024 KiB")


def test_invalid_utf8(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "listing.yaml").write_bytes(b"kind: image\nlisting:\n  name: Caf\xe9\n")
    line = one_error(run_cli("validate", "."))
    assert line == "error: listing.yaml:3: invalid UTF-8 (byte 0xe9)"


def test_invalid_yaml_syntax(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "listing.yaml").write_text("kind: image\nlisting: [unclosed\n")
    result = run_cli("validate", ".")
    assert result.exit_code == 3 and "Traceback" not in result.stderr
    first, source, caret, *hints = result.stderr.splitlines()
    # pointed at the bracket left open (line 2), not at the end of the file
    assert first == ("error: listing.yaml:2: invalid YAML: column 10: this list is never "
                     "closed: add the closing ] (or a comma is missing)")
    assert (source.strip(), caret.strip()) == ("listing: [unclosed", "^")
    assert caret.index("^") == source.index("[")
    assert all(line.startswith("hint: ") for line in hints)


def test_duplicate_key(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "listing.yaml").write_text("kind: image\nkind: stack\n")
    assert one_error(run_cli("validate", ".")) == "error: listing.yaml:2: duplicate key 'kind'"


def test_missing_kind(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "listing.yaml").write_text("listing: {name: X}\n")
    assert "kind: missing kind" in one_error(run_cli("validate", "."))


def test_missing_icon(run_cli: RunCli, project: Path) -> None:
    (project / "assets" / "icon.png").unlink()
    line = one_error(run_cli("validate", "app"))
    lines = (project / "listing.yaml").read_text().splitlines()
    number = next(i for i, t in enumerate(lines, 1) if t.strip().startswith("icon:"))
    assert (
        line == f"error: app/listing.yaml:{number}: listing.icon: 'assets/icon.png' does not exist"
    )


def test_asset_path_escaping_the_project(run_cli: RunCli, project: Path) -> None:
    set_listing(project, icon="../../etc/passwd")
    line = one_error(run_cli("validate", "app"))
    assert "listing.icon: '../../etc/passwd' is outside the project" in line
    assert line.startswith("error: app/listing.yaml:")


def test_absolute_asset_path(run_cli: RunCli, project: Path) -> None:
    set_listing(project, banner="/etc/hostname")
    assert "listing.banner: '/etc/hostname' is outside the project" in one_error(
        run_cli("validate", "app")
    )


def test_symlink_escaping_the_project(run_cli: RunCli, project: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.md").write_text("outside")
    (project / "docs" / "usage.md").unlink()
    (project / "docs" / "usage.md").symlink_to(tmp_path / "secret.md")
    assert "is outside the project" in one_error(run_cli("validate", "app"))


def test_directory_given_as_an_asset_file(run_cli: RunCli, project: Path) -> None:
    set_listing(project, icon="assets")
    assert "listing.icon: 'assets' is a directory, not a file" in one_error(
        run_cli("validate", "app")
    )


def test_directory_given_as_the_listing_file(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "listing.yaml").mkdir()
    line = one_error(run_cli("validate", "listing.yaml"))
    assert line == "error: listing.yaml: is a directory, not a file"


def test_path_that_does_not_exist(run_cli: RunCli) -> None:
    assert one_error(run_cli("validate", "nowhere")) == (
        "error: nowhere: no such file or directory"
    )


def test_directory_without_listing(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert one_error(run_cli("validate", "empty")).startswith("error: empty: no listing.yaml")


def test_stack_folder_missing(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("init", "stk", "--kind", "stack", "--non-interactive").exit_code == 0
    import shutil

    shutil.rmtree(tmp_path / "stk" / "terraform")
    assert "package.stack.path: 'terraform/' does not exist" in one_error(
        run_cli("validate", "stk")
    )


def test_invalid_utf8_in_a_referenced_document(run_cli: RunCli, project: Path) -> None:
    (project / "docs" / "usage.md").write_bytes(b"## Usage\n\nssh opc@host \xff\n")
    assert one_error(run_cli("validate", "app")) == (
        "error: app/docs/usage.md:3: invalid UTF-8 (byte 0xff)"
    )
