"""The stack zip that publish uploads to Resource Manager.

Exactly the bytes ``ocmp package`` writes (same file selection, same deterministic zip),
so what is published is what was packaged and validated, and an unchanged Terraform
folder always hashes the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ocmp.core.package import zip_bytes
from ocmp.core.stack_files import read_folder


def build_stack_zip(folder: Path, edits: Mapping[str, bytes] | None = None) -> bytes:
    """The zip of the Terraform ``folder``, identical for identical files; ``edits``
    (path in the zip → content) stand in for files as a plan would write them."""
    files = read_folder(folder)
    files.files.update(edits or {})
    return zip_bytes(files)
