"""Files ocmp writes atomically (`ocmp schema -o`, `ocmp package -o`) get ordinary modes."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import RunCli


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask_022")
def test_schema_and_package_outputs_follow_the_umask(run_cli: RunCli) -> None:
    # mkstemp's 0600 used to stick: a zip or schema the CI uploader or a web server cannot read.
    assert run_cli("schema", "-o", "out/listing.schema.json").exit_code == 0
    assert _mode(Path("out/listing.schema.json")) == 0o644
    assert run_cli("init", "s", "--kind", "stack", "--non-interactive").exit_code == 0
    result = run_cli("package", "s", "-o", "dist/s.zip")
    assert result.exit_code == 0, result.stderr
    assert _mode(Path("dist/s.zip")) == 0o644
    assert [p.name for p in Path("dist").iterdir()] == ["s.zip"]  # no temp file left


@pytest.mark.usefixtures("umask_022")
def test_rewriting_a_file_keeps_its_mode(run_cli: RunCli) -> None:
    target = Path("listing.schema.json")
    target.write_text("{}")
    target.chmod(0o640)
    assert run_cli("schema", "-o", str(target)).exit_code == 0
    assert _mode(target) == 0o640 and target.read_text().startswith("{\n")


def test_a_file_in_the_way_is_one_clear_error(run_cli: RunCli) -> None:
    Path("afile").write_text("x")
    result = run_cli("schema", "-o", "afile/listing.schema.json")
    assert result.exit_code == 3
    assert "afile is a file, not a folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert run_cli("init", "s", "--kind", "stack", "--non-interactive").exit_code == 0
    packaged = run_cli("package", "s", "-o", "afile/s.zip")
    assert packaged.exit_code == 3
    assert "afile is a file, not a folder" in packaged.stderr
