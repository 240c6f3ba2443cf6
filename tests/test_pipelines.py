"""The pipeline files: action.yml, .pre-commit-hooks.yaml and examples/ci/. Each is parsed,
every ocmp command and option it names must exist, and its shell steps run (with bash, the
real `ocmp` of this virtualenv) against the sandbox.

The steps run as written, with three substitutions a CI runner would make: `${{ … }}`
expressions get the test's inputs, secrets and paths; `pip install ocmp` lines are skipped
(the tests run the checked-out ocmp); OCI DevOps' resource principal is replaced by the
sandbox's API key through OCI_CLI_AUTH, which the build spec sets the same way.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import typer
import yaml

from ocmp.cli import app
from ocmp.sandbox import Sandbox
from tests.conftest import RunCli

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples" / "ci"
BIN = Path(sys.executable).parent
PIP_LINE = re.compile(r"^\s*(python3? -m )?pip install\b.*\bocmp\b.*$", re.M)
EXPR = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")
ROOT_COMMAND = typer.main.get_command(app)


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# -- static: every ocmp command line names real commands and options ----------------------


def _check_invocation(argv: list[str]) -> None:
    """``argv`` (without ``ocmp``) names a command path and only that command's options."""
    command: Any = ROOT_COMMAND
    rest = list(argv)
    while rest and rest[0] in getattr(command, "commands", {}):
        command = command.commands[rest.pop(0)]
    assert command is not ROOT_COMMAND, f"no such command: ocmp {' '.join(argv)}"
    options = {o for p in command.params for o in p.opts}
    for token in rest:
        if token.startswith("-") and token != "-":
            name = token.split("=")[0]
            assert name in options, f"ocmp {' '.join(argv)}: {name} is not an option"


def _ocmp_lines(script: str) -> list[list[str]]:
    lines = []
    for line in script.splitlines():
        line = line.strip()
        if line.startswith("ocmp ") and "${" not in line:
            lines.append(shlex.split(line)[1:])
    return lines


def _scripts(path: Path) -> list[str]:
    data = _load(path)
    if path.name == "action.yml":
        return [s["run"] for s in data["runs"]["steps"] if "run" in s]
    if path.name == "gitlab-ci.yml":
        jobs = [v for v in data.values() if isinstance(v, dict)]
        return ["\n".join(j.get("before_script", []) + j.get("script", [])) for j in jobs]
    if path.name == "build_spec.yaml":
        return [s["command"] for s in data["steps"]]
    if path.name == "github-actions.yml":
        return [s["run"] for j in data["jobs"].values() for s in j["steps"] if "run" in s]
    if path.name == ".pre-commit-hooks.yaml":
        return [h["entry"] + " " + " ".join(h.get("args", [])) for h in data]
    raise AssertionError(path)


FILES = [ROOT / "action.yml", ROOT / ".pre-commit-hooks.yaml", *sorted(EXAMPLES.iterdir())]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_ocmp_command_and_option_named_exists(path: Path) -> None:
    scripts = _scripts(path)
    invocations = [argv for script in scripts for argv in _ocmp_lines(script)]
    for argv in invocations:
        _check_invocation(argv)
    if path.name == "action.yml":
        # Built as a bash array: every option it can append belongs to the commands it goes to.
        script = "\n".join(scripts)
        opts = set(re.findall(r"(--[a-z][a-z-]+)", script)) - {"--disable-pip-version-check"}
        for command in ("validate", "doctor", "plan", "publish"):
            assert command in script
            excluded = {"--strict"} if command in ("plan", "publish") else set()
            excluded |= {"--private", "--allow-tenancy"} if command != "publish" else set()
            _check_invocation([command, *sorted(opts - excluded)])
    elif path.name == "github-actions.yml":  # it calls ocmp through the action
        inputs = set(_load(ROOT / "action.yml")["inputs"])
        uses = [s for j in _load(path)["jobs"].values() for s in j["steps"]
                if s.get("uses", "").endswith("/ocmp@v0")]
        assert uses
        for step in uses:
            assert set(step["with"]) <= inputs
            assert step["with"]["command"] in ("validate", "doctor", "plan", "publish")
    else:
        assert invocations, f"{path.name} runs no ocmp command"


# -- running the steps ---------------------------------------------------------------------


@pytest.fixture
def shim(tmp_path: Path) -> Path:
    """An `ocmp` first on PATH that records each argv, then runs the real one."""
    folder = tmp_path / "shim"
    folder.mkdir()
    log = tmp_path / "ocmp-calls.jsonl"
    script = folder / "ocmp"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        f"with open({str(log)!r}, 'a') as fh: fh.write(json.dumps(sys.argv[1:]) + '\\n')\n"
        f"os.execv({str(BIN / 'ocmp')!r}, [{str(BIN / 'ocmp')!r}, *sys.argv[1:]])\n"
    )
    script.chmod(0o755)
    return log


def _calls(log: Path) -> list[list[str]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


def _run(
    script: str, cwd: Path, env: dict[str, str], shim_log: Path
) -> subprocess.CompletedProcess[str]:
    assert PIP_LINE.search(script) is None or "ocmp" in script
    body = PIP_LINE.sub("true  # (test) installed from the checkout", script)
    full_env = {**os.environ, **env}
    full_env["PATH"] = f"{shim_log.parent / 'shim'}{os.pathsep}{BIN}{os.pathsep}{full_env['PATH']}"
    full_env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(["bash", "-e", "-c", body], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=300, check=False)


def _expand(value: Any, context: dict[str, str]) -> str:
    return EXPR.sub(lambda m: context.get(m.group(1), ""), str(value))


def _run_action(inputs: dict[str, str], cwd: Path, shim_log: Path,
                extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    action = _load(ROOT / "action.yml")
    context = {f"inputs.{k}": str(v.get("default", "")) for k, v in action["inputs"].items()}
    context.update({f"inputs.{k}": v for k, v in inputs.items()})
    result = None
    for step in action["runs"]["steps"]:
        if "uses" in step:
            assert step["uses"].startswith("actions/setup-python@")
            continue
        assert "${{" not in step["run"], "inputs reach the script through env only"
        env = {k: _expand(v, context) for k, v in step.get("env", {}).items()}
        env.update(extra_env or {})
        result = _run(step["run"], cwd, env, shim_log)
        assert result.returncode == 0 or step["id"] == "run", result.stderr
    assert result is not None
    return result


@pytest.fixture
def project(run_cli: RunCli, tmp_path: Path) -> Path:
    assert run_cli("init", "repo", "--kind", "image", "--non-interactive").exit_code == 0
    return tmp_path / "repo"


def _fast() -> dict[str, str]:
    return {"OCMP_POLL_INTERVAL": "0.01", "OCMP_RETRY_BASE_DELAY": "0.005"}


def test_the_action_validates_and_publishes_to_the_sandbox(
    project: Path, shim: Path, tmp_path: Path
) -> None:
    clean = _run_action({"command": "validate", "sandbox": "true"}, project, shim)
    assert clean.returncode == 0, clean.stderr
    sarif = _run_action({"command": "validate", "format": "sarif", "output": "ocmp.sarif",
                         "strict": "true"}, project, shim)
    assert sarif.returncode == 0, sarif.stderr
    assert json.loads((project / "ocmp.sarif").read_text())["version"] == "2.1.0"
    published = _run_action(
        {"command": "publish", "sandbox": "true", "private": "true", "format": "json",
         "allow-tenancies": "ocid1.tenancy.oc1..aaaaaaaapartner1, "
                            "ocid1.tenancy.oc1..aaaaaaaapartner2"},
        project, shim, _fast(),
    )
    assert published.returncode == 0, published.stderr
    assert json.loads(published.stdout)["statuses"]
    bad = _run_action({"command": "import"}, project, shim)
    assert bad.returncode == 2 and "::error title=ocmp action::" in bad.stdout
    calls = _calls(shim)
    assert calls[0] == ["validate", ".", "--format", "github", "--sandbox"]
    assert calls[-1][:2] == ["publish", "."] and calls[-1].count("--allow-tenancy") == 2
    for argv in calls:
        _check_invocation(argv)


def test_the_pre_commit_hook_validates_the_project(project: Path, shim: Path) -> None:
    (hook,) = _load(ROOT / ".pre-commit-hooks.yaml")
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert re.search(hook["files"], "listing.yaml") and re.search(hook["files"], "stack/main.tf")
    assert _run(hook["entry"], project, {}, shim).returncode == 0
    listing = project / "listing.yaml"
    listing.write_text(listing.read_text().replace("name: ", "name: " + "N" * 90, 1))
    failed = _run(hook["entry"], project, {}, shim)
    assert failed.returncode == 1 and "error LST001" in failed.stdout


def test_the_gitlab_example_runs_against_the_sandbox(
    project: Path, shim: Path, sandbox_env: Sandbox
) -> None:
    pipeline = _load(EXAMPLES / "gitlab-ci.yml")
    before = pipeline["default"]["before_script"]
    for name in ("validate", "plan", "publish"):
        job = pipeline[name]
        result = _run("\n".join(before + job["script"]), project, _fast(), shim)
        assert result.returncode == 0, (name, result.stderr)
        for report in job.get("artifacts", {}).get("reports", {}).values():
            assert (project / report).is_file(), report
    assert json.loads((project / "gl-code-quality-report.json").read_text()) == []
    junit = ET.parse(project / "ocmp-publish.xml").getroot().find("testsuite")
    assert junit is not None and junit.get("failures") == "0"
    assert json.loads((project / "plan.json").read_text())["command"] == "plan"


def test_the_oci_devops_build_spec_runs_against_the_sandbox(
    project: Path, shim: Path, sandbox_env: Sandbox
) -> None:
    spec = _load(EXAMPLES / "build_spec.yaml")
    assert spec["env"]["variables"]["OCI_CLI_AUTH"] == "resource_principal"
    env = {**spec["env"]["variables"], **_fast(), "OCI_CLI_AUTH": "api_key"}  # (test) sandbox key
    for step in spec["steps"]:
        result = _run(step["command"], project, env, shim)
        assert result.returncode == 0, (step["name"], result.stderr)
    document = json.loads((project / spec["outputArtifacts"][0]["location"]).read_text())
    assert (document["command"], document["outcome"]) == ("publish", "pass")


def test_the_github_workflow_example_runs_the_action_against_the_sandbox(
    project: Path, shim: Path, sandbox_env: Sandbox, tmp_path: Path
) -> None:
    workflow = _load(EXAMPLES / "github-actions.yml")
    runner_temp = tmp_path / "runner-temp"
    key = Path(sandbox_env.config_file).read_text()
    key_file = re.search(r"key_file\s*=\s*(.+)", key)
    assert key_file is not None
    config = key.replace(key_file.group(1), str(runner_temp / "oci" / "key.pem"))
    context = {
        "runner.temp": str(runner_temp),
        "secrets.OCI_CONFIG": config,
        "secrets.OCI_API_KEY": Path(key_file.group(1).strip()).read_text(),
        "vars.OCMP_ALLOW_TENANCIES": "ocid1.tenancy.oc1..aaaaaaaapartner1",
    }
    for job in workflow["jobs"].values():
        env = {k: _expand(v, context) for k, v in job.get("env", {}).items()}
        env.update(_fast())
        for step in job["steps"]:
            if "run" in step:
                own = {k: _expand(v, context) for k, v in step.get("env", {}).items()}
                step_env = {**env, **own}
                result = _run(step["run"], project, step_env, shim)
                assert result.returncode == 0, result.stderr
            elif step["uses"].endswith("/ocmp@v0"):
                inputs = {k: _expand(v, context) for k, v in step.get("with", {}).items()}
                result = _run_action(inputs, project, shim, env)
                assert result.returncode == 0, result.stderr
            elif step["uses"].startswith("github/codeql-action/upload-sarif"):
                assert json.loads((project / step["with"]["sarif_file"]).read_text())["runs"]
    assert (runner_temp / "oci" / "key.pem").stat().st_mode & 0o077 == 0  # written private
    assert _calls(shim)[-1][:4] == ["publish", ".", "--format", "github"]
