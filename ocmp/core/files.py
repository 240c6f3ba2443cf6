"""Small file helpers: atomic writes (temp file beside the target, then os.replace)."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from ocmp.errors import InputError


def new_file_mode(path: Path) -> int:
    """The mode ``path`` should get: its current one, else what ``open()`` would give.

    ``tempfile.mkstemp`` creates files 0600 whatever the umask; renamed into place they
    would stay unreadable to the CI job, web server or colleague meant to use them.
    """
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_error(exc: OSError) -> str:
    """Why a file could not be written, in the user's terms."""
    if isinstance(exc, FileExistsError | NotADirectoryError):
        return f"{exc.filename or 'a part of the path'} is a file, not a folder"
    return exc.strerror or str(exc)


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half."""
    path = path.absolute()
    if path.is_dir():
        raise InputError("is a directory", file=str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise InputError(f"cannot write: {write_error(exc)}", file=str(path)) from None
    try:
        os.fchmod(fd, new_file_mode(path))
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def check_regular(path: Path, *, what: str = "") -> None:
    """Refuse ``path`` unless it is missing or a regular file: a device, FIFO, folder or
    link is never replaced (writing one as root could damage the machine, and replacing a
    link would leave it pointing nowhere or follow it out of the project)."""
    prefix = f"{what}: " if what else ""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError(f"{prefix}cannot use this file: {exc.strerror}", file=str(path)) from None
    if not stat.S_ISREG(mode):
        raise InputError(
            f"{prefix}not a regular file (a device, FIFO, link or folder); nothing written",
            file=str(path),
            hint="give the path of a regular file",
        )


def write_regular(path: Path, text: str, *, what: str = "") -> None:
    """Write ``text`` atomically to ``path``, a regular file or none yet (never a device,
    FIFO, link or folder). Every file a command writes on request goes through here."""
    target = path if path.is_absolute() else Path.cwd() / path
    check_regular(target, what=what)
    write_text_atomic(target, text)
