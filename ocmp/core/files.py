"""The one way ocmp writes a file, and the one way it reads one.

Every writer (``schema -o``, ``package``, ``init``, ``import``, the journal, the parse
cache, ``stack subscribe``) goes through :func:`write_file_atomic`, because ocmp often
runs as root in CI images and a careless ``os.replace`` there replaces ``/dev/null``:

- a regular file (or nothing) is written atomically: temp file beside it, then
  ``os.replace``, so readers see the old content or the new, never half;
- a character device or a FIFO the user named, itself or through a link (``-o
  /dev/stdout``, ``-o >(gzip)``, ``--output /dev/null``), is written as a stream, never
  replaced;
- nothing else that is not a regular file is ever replaced: a directory, a socket, a
  block device, and a link to a regular file or to nothing are refused (exit 3). A link
  is refused rather than replaced or written through: ``-o /dev/stdout`` with stdout
  redirected to a file would otherwise replace ``/dev/stdout`` (as root) or truncate a
  file the shell opened for appending;
- inside a project (``project_root`` given) nothing is written through a folder that
  leads out of it, nor through a symbolic link or into a non-regular file: an ``init
  --force`` into a folder whose ``docs`` links elsewhere writes nothing elsewhere.

:func:`read_bytes_bounded` is the reading side: at most the cap plus one byte, and only
from a regular file (a FIFO would hang, ``/dev/zero`` would never end).
"""

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
        blocking = exc.filename
        if blocking:  # the ancestor that is a file, not the path asked for
            for parent in reversed(Path(os.fsdecode(blocking)).parents):
                if os.path.lexists(parent) and not parent.is_dir():
                    blocking = parent
                    break
        return f"{blocking or 'a part of the path'} is a file, not a folder"
    return exc.strerror or str(exc)


_KINDS = {
    stat.S_IFREG: "a regular file",
    stat.S_IFDIR: "a directory",
    stat.S_IFSOCK: "a socket",
    stat.S_IFBLK: "a block device",
    stat.S_IFCHR: "a character device",
    stat.S_IFIFO: "a FIFO",
    stat.S_IFLNK: "a symbolic link",
}


def _kind(mode: int) -> str:
    """What a file of ``mode`` is, in words for a message."""
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def _is_stream(mode: int) -> bool:
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _check_inside(folder: Path, project_root: Path, shown: str) -> None:
    """Refuse a folder that is (or leads, through a link) outside ``project_root``.

    ``project_root`` itself may be a link (the user named it); every existing folder
    below it must resolve inside it.
    """
    root = project_root.absolute()
    hint = "ocmp writes only inside the project: remove the link or the path outside it"
    try:
        rel = folder.absolute().relative_to(root)
    except ValueError:
        raise InputError(f"{folder} is outside the project {root}", file=shown,
                         hint=hint) from None
    if ".." in rel.parts:
        raise InputError(f"{folder} leaves the project through '..'", file=shown, hint=hint)
    root_real = Path(os.path.realpath(root))
    current = root
    for part in rel.parts:
        current = current / part
        if not os.path.lexists(current):
            break
        real = Path(os.path.realpath(current))
        if not real.is_relative_to(root_real):
            raise InputError(f"{current} leads outside the project (to {real})",
                             file=shown, hint=hint)


def check_writable(
    path: Path, *, project_root: Path | None = None, display: str | None = None
) -> os.stat_result | None:
    """Refuse what :func:`write_file_atomic` would refuse, without writing anything.

    Lets a writer of several files (``init --force``) check them all before the first.

    Returns:
        What is at ``path`` (a device or FIFO to stream to, or a regular file to replace),
        or None when nothing is there yet.
    """
    shown = display or str(path)
    if "\0" in str(path):
        raise InputError("the path holds a NUL byte", file=shown.replace("\0", "\\0"))
    path = path.absolute()
    if project_root is not None:
        _check_inside(path.parent, project_root, shown)
    try:
        st: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise InputError(f"cannot write: {write_error(exc)}", file=shown) from None
    if st is not None and stat.S_ISLNK(st.st_mode):
        if project_root is not None:
            raise InputError(
                "is a symbolic link; ocmp does not write through links in a project",
                file=shown, hint="remove the link (or copy its target here), then run again",
            )
        try:
            followed = path.stat()
        except OSError:
            followed = None
        if followed is None or not _is_stream(followed.st_mode):
            target = os.path.realpath(path)
            raise InputError(
                "is a symbolic link"
                + (f" to {_kind(followed.st_mode)} ({target})" if followed else " to nothing")
                + "; ocmp never replaces a link, nor writes a file through one",
                file=shown,
                hint="name the file itself, or leave the option out to write to stdout",
            )
        st = followed  # -o /dev/stdout: the terminal, pipe or device it names
    if st is None or stat.S_ISREG(st.st_mode):
        return st
    if project_root is None and _is_stream(st.st_mode):
        return st
    raise InputError(
        f"is {_kind(st.st_mode)}; ocmp writes only regular files"
        + ("" if project_root is not None else ", character devices and FIFOs"),
        file=shown, hint="give the path of a file",
    )


def write_file_atomic(
    path: Path,
    data: bytes | str,
    *,
    project_root: Path | None = None,
    display: str | None = None,
    durable: bool = False,
) -> None:
    """Write ``data`` (``str`` is UTF-8) to ``path``; see the module docstring for the rules.

    Args:
        path: the file to write; relative paths are taken from the working directory.
        project_root: when given, ``path`` must stay inside it, through no link and into no
            non-regular file (a file ocmp places in a project). Without it (a path the user
            named with ``-o``), a character device or FIFO is written as a stream.
        display: how to name the file in messages (``path`` by default).
        durable: ``fsync`` before the rename (the journal: it must survive a power cut).

    Raises:
        InputError: the path cannot or must not be written (exit 3).
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    shown = display or str(path)
    path = path.absolute()
    st = check_writable(path, project_root=project_root, display=shown)
    if st is not None and _is_stream(st.st_mode):
        _write_stream(path, raw, shown)
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name[:64]}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(f"cannot write: {write_error(exc)}", file=shown) from None
    try:
        os.fchmod(fd, new_file_mode(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if project_root is not None:
            _check_inside(path.parent, project_root, shown)  # the folder was not swapped meanwhile
        Path(temp).replace(path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise InputError(f"cannot write: {write_error(exc)}", file=shown) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _write_stream(path: Path, raw: bytes, shown: str) -> None:
    """Write to a character device or FIFO the user named, without replacing it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY)
    except OSError as exc:
        raise InputError(f"cannot write: {write_error(exc)}", file=shown) from None
    try:
        if not _is_stream(os.fstat(fd).st_mode):  # swapped for something else since lstat
            raise InputError("changed while being opened; not written", file=shown)
        view = memoryview(raw)
        while view:
            view = view[os.write(fd, view):]
    except BrokenPipeError:
        raise InputError("the reader of this pipe went away; output incomplete",
                         file=shown) from None
    finally:
        os.close(fd)


def read_bytes_bounded(path: Path, display: str, *, limit: int, what: str = "file") -> bytes:
    """At most ``limit`` bytes of the regular file ``path``, else a clear InputError.

    Reads the cap plus one byte whatever ``stat`` says (a file can grow, ``/proc`` lies),
    and opens with ``O_NONBLOCK`` so that a FIFO is refused instead of waited on.
    """
    if "\0" in str(path):
        raise InputError("the path holds a NUL byte", file=display.replace("\0", "\\0"))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except FileNotFoundError:
        raise InputError("no such file", file=display) from None
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            raise InputError("a symbolic link loop", file=display,
                             hint="remove the link") from None
        raise InputError(f"cannot read: {exc.strerror or exc}", file=display) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError("is a directory, not a file", file=display,
                             hint="give the file's path")
        if not stat.S_ISREG(mode):
            raise InputError(f"is {_kind(mode)}, not a regular file", file=display,
                             hint="ocmp reads only regular files")
        stated = os.fstat(fd).st_size
        if stated > limit:
            raise InputError(
                f"{what} is {stated / 1e6:.1f} MB, more than the {limit // 1024} KiB ocmp reads",
                file=display, hint="is this the right file?",
            )
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=display) from None
    finally:
        os.close(fd)
    if size > limit:
        raise InputError(
            f"{what} is more than the {limit // 1024} KiB ocmp reads",
            file=display, hint="is this the right file?",
        )
    return b"".join(chunks)

