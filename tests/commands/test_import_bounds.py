"""`ocmp import` applies the zip reader's limits to what it downloads (issue 10, defect 5)."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path

import oci
import pytest

from ocmp.clients import Clients, ClientSettings
from ocmp.clients.credentials import AuthSettings
from ocmp.sandbox import Sandbox
from tests.commands.publish_support import fast, rm_stacks
from tests.conftest import RunCli


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("main.tf", "locals {}\n")
        zf.writestr("big.bin", b"\0" * (100 * 1024 * 1024))  # 100 MiB in ~100 KB
    return buffer.getvalue()


def test_a_live_stack_zip_that_inflates_too_far_is_refused_unwritten(
    run_cli: RunCli, sandbox_env: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast(monkeypatch)
    assert run_cli("init", "stk", "--kind", "stack", "--non-interactive").exit_code == 0
    published = run_cli("publish", "stk", "--format", "json")
    assert published.exit_code == 0, published.stderr
    listing_id = json.loads(published.stdout)["ids"]["listing"]
    auth = AuthSettings(config_file=Path(sandbox_env.config_file), profile=sandbox_env.profile)
    rm = Clients(ClientSettings(auth=auth, endpoint=sandbox_env.endpoint)).sdk_client(
        "resource_manager")
    details = oci.resource_manager.models.UpdateStackDetails(
        config_source=oci.resource_manager.models.UpdateZipUploadConfigSourceDetails(
            zip_file_base64_encoded=base64.b64encode(_bomb()).decode()))
    for stack in rm_stacks(sandbox_env):
        rm.update_stack(stack.id, details)
    result = run_cli("import", "--listing-id", listing_id, "copy")
    assert result.exit_code == 3, result.stderr
    assert "the live stack's Terraform zip cannot be imported" in result.stderr
    assert "big.bin" in result.stderr
    assert not (tmp_path / "copy").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".copy")]
