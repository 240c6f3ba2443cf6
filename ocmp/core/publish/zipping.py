"""The stack zip that publish uploads to Resource Manager.

Exactly the bytes ``ocmp package`` writes (same file selection, same deterministic zip),
so what is published is what was packaged and validated, and an unchanged Terraform
folder always hashes the same.
"""

from __future__ import annotations

from pathlib import Path

from ocmp.core.package import zip_bytes
from ocmp.core.stack_files import read_folder


def build_stack_zip(folder: Path) -> bytes:
    """The zip of the Terraform ``folder``, identical for identical files."""
    return zip_bytes(read_folder(folder))
