"""The six cloud options come from one declaration (ocmp.commands._cloud.cloud_options)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunCli

CLOUD_COMMANDS = [
    ["doctor"],
    ["policy"],
    ["publish"],
    ["plan"],
    ["status"],
    ["terms", "push"],
    ["terms", "list"],
    ["diff"],
    ["import"],
    ["validate"],
]
OPTIONS = {
    "--config-file": "OCI_CLI_CONFIG_FILE",
    "--profile": "OCI_CLI_PROFILE",
    "--auth": "OCI_CLI_AUTH",
    "--region": "OCI_CLI_REGION",
    "--endpoint": "OCMP_ENDPOINT",
    "--sandbox": None,
}


@pytest.mark.parametrize("command", CLOUD_COMMANDS, ids=" ".join)
def test_help_lists_every_cloud_option_with_its_env_var(
    run_cli: RunCli, command: list[str]
) -> None:
    result = run_cli(*command, "--help")
    assert result.exit_code == 0
    assert "Cloud access" in result.stdout
    for option, env in OPTIONS.items():
        assert option in result.stdout, f"{' '.join(command)} --help lacks {option}"
        if env:
            assert env in result.stdout


# What each command needs besides the cloud options to get as far as loading credentials.
NEEDS = {
    "policy": ["--apply"],  # without --apply, policy only prints the statements (offline)
    "validate": ["img", "--online"],  # offline unless --online
    "import": ["--listing-id", "ocid1.appcataloglisting.oc1..x", "out"],
}


@pytest.mark.parametrize("command", CLOUD_COMMANDS, ids=" ".join)
def test_every_cloud_command_reads_the_config_file_option(
    run_cli: RunCli, command: list[str], tmp_path: Path
) -> None:
    assert run_cli("init", "img", "--kind", "image", "--non-interactive").exit_code == 0
    extra = NEEDS.get(command[0], ["img"])
    missing = tmp_path / "no-such-config"
    result = run_cli(*command, *extra, "--config-file", missing, "--auth", "api_key")
    assert f"{missing}: OCI config file not found" in result.stderr, result.stderr
    assert result.exit_code == 3
