"""The built wheel ships the templates, rule docs and schema, and works when installed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("ocmp-*.whl")
    return built


def _package_files(folder: str) -> set[str]:
    base = ROOT / "ocmp" / folder
    return {
        f"ocmp/{folder}/{p.relative_to(base).as_posix()}"
        for p in base.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_wheel_contains_templates_docs_and_schema(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert _package_files("templates") <= names
    assert "ocmp/templates/common/assets/icon.png" in names
    assert "ocmp/templates/image/listing.yaml.j2" in names
    assert _package_files("rules/docs") <= names
    assert "ocmp/schemas/listing.schema.json" in names


def test_installed_wheel_scaffolds_a_project(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = (
        "import ocmp, sys; from ocmp.cli import main; "
        f"assert ocmp.__file__.startswith({str(target)!r}), ocmp.__file__; "
        "sys.argv = ['ocmp', 'init', 'proj', '--non-interactive']; main()"
    )
    made = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "proj" / "assets" / "icon.png").is_file()
