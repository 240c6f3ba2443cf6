"""Foundation contract of the command line: completion, help, atomic scaffolding."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import RunCli


def test_shell_completion_is_available() -> None:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ocmp"), "--show-completion", "bash"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "_OCMP_COMPLETE" in proc.stdout


def test_help_lists_the_foundation_commands(run_cli: RunCli) -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    for command in ("init", "validate", "schema", "rules"):
        assert command in result.stdout


def test_a_failing_render_leaves_nothing_behind(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typing import Any

    from ocmp.core import scaffold

    real_write = scaffold.write_file_atomic
    written: list[Path] = []

    def write_then_fail(path: Path, data: bytes | str, **kw: Any) -> None:
        if len(written) == 3:  # a few files are in the staging folder…
            raise OSError(28, "No space left on device")  # …then the disk fills up
        real_write(path, data, **kw)
        written.append(path)

    monkeypatch.setattr(scaffold, "write_file_atomic", write_then_fail)
    result = run_cli("init", "half", "--non-interactive")
    assert result.exit_code == 3
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
