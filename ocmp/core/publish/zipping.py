"""The stack zip that publish uploads to Resource Manager.

Uses the ``ocmp package`` builder when it is available, so that what is published is
byte for byte what ``ocmp package`` writes; otherwise a minimal deterministic zip
(sorted entries, fixed timestamps and modes, Terraform state and caches left out).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

_SKIP_DIRS = {".terraform", ".git", ".ocmp", "__pycache__"}
_SKIP_SUFFIXES = (".tfstate", ".tfstate.backup", ".tfvars", ".zip")


def build_stack_zip(folder: Path) -> bytes:
    """The zip of the Terraform ``folder``, identical for identical files."""
    import importlib

    try:
        builder = importlib.import_module("ocmp.core.packaging").build_zip_bytes
    except (ImportError, AttributeError):
        return _fallback_zip(folder)
    return bytes(builder(folder))


def _fallback_zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not _SKIP_DIRS.intersection(p.relative_to(folder).parts)
        and not p.name.endswith(_SKIP_SUFFIXES)
    )
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(
                path.relative_to(folder).as_posix(), date_time=(1980, 1, 1, 0, 0, 0)
            )
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()
