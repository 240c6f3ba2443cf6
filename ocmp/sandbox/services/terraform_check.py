"""What Resource Manager finds wrong with a Terraform zip before it runs anything.

Messages follow Resource Manager's own ("Terraform config file is missing in zip file",
Terraform's "Error: ..." lines with file and line), so clients that surface them read true.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

import hcl2


def zip_errors(data: bytes, working_directory: str | None = None) -> list[str]:
    """Problems that make a PLAN or APPLY job fail; empty when the zip would run."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return ["Invalid zip file: the configuration could not be unpacked"]
    with archive:
        root = PurePosixPath(working_directory.strip("/")) if working_directory else None
        tf_files = [info for info in archive.infolist()
                    if not info.is_dir() and info.filename.endswith(".tf")
                    and (PurePosixPath(info.filename).parent == (root or PurePosixPath(".")))]
        if not tf_files:
            return ["Terraform config file is missing in zip file"
                    + (f" (working directory {working_directory})" if working_directory else "")]
        errors = []
        for info in sorted(tf_files, key=lambda i: i.filename):
            try:
                text = archive.read(info).decode("utf-8")
            except UnicodeDecodeError:
                errors.append(f"Error: Invalid character encoding\n\n  on {info.filename}: "
                              "the file is not UTF-8")
                continue
            try:
                hcl2.loads(text)
            except Exception as exc:  # lark raises many parse error types; all mean "syntax"
                line = getattr(exc, "line", None)
                where = f" line {line}" if isinstance(line, int) and line > 0 else ""
                errors.append(f"Error: Invalid HCL syntax\n\n  on {info.filename}{where}: "
                              f"{str(exc).splitlines()[0]}")
        return errors


def tf_files(data: bytes) -> list[str]:
    """Names of the ``.tf`` files in a zip (for job logs)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sorted(n for n in archive.namelist() if n.endswith(".tf"))
    except zipfile.BadZipFile:
        return []
