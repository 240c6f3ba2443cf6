"""Start-up cost: `ocmp --version` and offline `ocmp validate` never import the oci SDK."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def _imported(stderr: str) -> set[str]:
    # `-X importtime` lines: "import time: self | cumulative | module"
    return {line.rsplit("|", 1)[-1].strip() for line in stderr.splitlines() if "|" in line}


def test_version_imports_neither_oci_nor_pydantic_nor_the_command_tree() -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ocmp", "--version"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    modules = _imported(proc.stderr)
    assert "ocmp" in modules  # the measurement works
    assert proc.stdout.startswith("ocmp ")
    assert not {m for m in modules if m == "oci" or m.startswith("oci.")}
    assert "pydantic" not in modules
    # answered before Typer and the commands load (bench/version.py measures it)
    assert "typer" not in modules and "ocmp.cli" not in modules


@pytest.mark.parametrize("kind", ["image", "stack"])
def test_offline_validate_does_not_import_oci(tmp_path: Path, kind: str) -> None:
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from ocmp.cli import app\n"
        "runner = CliRunner()\n"
        f"assert runner.invoke(app, ['init', 'p', '--kind', {kind!r}, '--non-interactive'])"
        ".exit_code == 0\n"
        "result = runner.invoke(app, ['validate', 'p'])\n"
        "print(result.exit_code, 'pydantic' in sys.modules,"
        " sorted(m for m in sys.modules if m == 'oci' or m.startswith('oci.')))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert proc.stdout.strip().split(maxsplit=2) == ["0", "True", "[]"]
