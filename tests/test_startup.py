"""Start-up cost: `ocmp --version` and offline `ocmp validate` never import the oci SDK."""

from __future__ import annotations

import json
import os
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


# What a cold `ocmp validate` of a project with no such need must not import (each costs
# a twentieth to a tenth of the run; see README "Start-up"): jsonschema decides only a
# schema.yaml that breaks the meta-schema (SCH003), email-validator only an address that is
# not plain, and the live tenancy checks (their clients, the policy) load only with --online.
_PAID_FOR_NOTHING = ("jsonschema", "email_validator", "ocmp.core.tenancy", "ocmp.core.policy",
                     "ocmp.rules.tenancy_account", "ocmp.rules.tenancy_policy")


def _validate_imports(project: Path) -> set[str]:
    """``sys.modules`` at the end of ``ocmp validate --format json PROJECT`` (a fresh process
    through ``python -m ocmp``'s entry point, empty parse cache)."""
    seen = project.parent / "modules.json"
    script = (
        "import atexit, json, sys\n"
        f"atexit.register(lambda: open({str(seen)!r}, 'w').write(json.dumps(list(sys.modules))))\n"
        f"sys.argv = ['ocmp', 'validate', '--format', 'json', {str(project)!r}]\n"
        "from ocmp.__main__ import main\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=False, cwd=project.parent,
                          env={**os.environ, "OCMP_CACHE_DIR": ""})
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    modules = set(json.loads(seen.read_text("utf-8")))
    assert "ocmp.rules.stack_terraform" in modules  # the measurement works
    return modules


def _init(tmp_path: Path, kind: str) -> Path:
    subprocess.run([sys.executable, "-m", "ocmp", "init", "p", "--kind", kind,
                    "--non-interactive"], cwd=tmp_path, check=True, capture_output=True)
    return tmp_path / "p"


def test_validate_of_a_stack_project_imports_only_what_it_needs(tmp_path: Path) -> None:
    project = _init(tmp_path, "stack")
    assert not set(_PAID_FOR_NOTHING) & _validate_imports(project)


def test_what_needs_them_still_imports_them(tmp_path: Path) -> None:
    # The other side of the test above: a schema that breaks the meta-schema and an
    # address with an upper-case host are decided (and worded) by jsonschema and
    # email-validator themselves.
    project = _init(tmp_path, "stack")
    schema = project / "terraform" / "schema.yaml"
    schema.write_text(schema.read_text("utf-8").replace("schemaVersion: 1.1.0",
                                                        "schemaVersion: 1.1.0\nlogoUrl: 7"))
    listing = project / "listing.yaml"
    listing.write_text(listing.read_text("utf-8").replace("support@acme.example",
                                                          "support@Acme.example"))
    modules = _validate_imports(project)
    assert {"jsonschema", "email_validator"} <= modules
    assert not {"ocmp.core.tenancy", "ocmp.rules.tenancy_account"} & modules
