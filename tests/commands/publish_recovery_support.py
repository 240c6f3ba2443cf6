"""Helpers of the crash-matrix tests: run ocmp in a subprocess, look at attachments."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ocmp.sandbox import Sandbox
from tests.commands.publish_support import api_for

CRASH_EXIT = 86  # os._exit code of the OCMP_TEST_CRASH_AFTER_* hooks


def ocmp(sb: Sandbox, cwd: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """``python -m ocmp ARGS`` against ``sb``, fast polling, no colour."""
    env = {
        **os.environ,
        "OCMP_ENDPOINT": sb.endpoint,
        "OCI_CLI_CONFIG_FILE": str(sb.config_file),
        "OCI_CLI_PROFILE": sb.profile,
        "OCMP_POLL_INTERVAL": "0.01",
        "OCMP_RETRY_BASE_DELAY": "0.005",
        "NO_COLOR": "1",
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, "-m", "ocmp", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def attachment_sets(sb: Sandbox) -> list[list[tuple[str, str, bool]]]:
    """Per revision, its attachments as (type, name, content uploaded), sorted."""
    api = api_for(sb)
    out = []
    for listing in api.find_listings(sb.tenancy_id):
        for rev in api.list_revisions(listing.id):
            out.append(sorted(
                (str(a.attachment_type), a.name, bool(a.content_url))
                for a in api.list_attachments(rev.id)
            ))
    return sorted(out)
