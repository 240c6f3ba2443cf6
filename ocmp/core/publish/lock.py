"""One publish per listing at a time: a lock file in the project's ``.ocmp/locks/``.

Two runs on the same listing would race each other's writes and end in a 409 that names
neither. The lock records who holds it (pid, host, start); a lock whose process is gone
(or whose pid now belongs to something that is not ocmp) is stale and taken over. It is
released when the run ends, however it ends.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ocmp.core.files import check_writable, read_bytes_bounded
from ocmp.core.publish.journal import slug
from ocmp.errors import InputError, WorkflowInterrupted

STALE_ELSEWHERE = dt.timedelta(hours=24)  # a lock from another host cannot be checked


def lock_path(project_root: Path, listing_name: str) -> Path:
    """Where the lock of ``listing_name`` lives."""
    return project_root / ".ocmp" / "locks" / f"{slug(listing_name)}.lock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():  # a recycled pid is not our run
        try:
            return b"ocmp" in cmdline.read_bytes()
        except OSError:
            return True
    return True


def _holder(path: Path) -> dict[str, Any] | None:
    """The live holder recorded in the lock file, or None when the lock is stale."""
    try:
        data = json.loads(read_bytes_bounded(path, str(path), limit=4096))
    except (InputError, ValueError):
        return None  # unreadable: a run died while writing it
    if not isinstance(data, dict) or not isinstance(data.get("pid"), int):
        return None
    if data.get("host") != socket.gethostname():
        try:
            started = dt.datetime.fromisoformat(str(data.get("started")))
        except ValueError:
            return None
        return data if dt.datetime.now(dt.UTC) - started < STALE_ELSEWHERE else None
    return data if _alive(int(data["pid"])) else None


@contextlib.contextmanager
def listing_lock(project_root: Path, listing_name: str) -> Iterator[None]:
    """Hold the lock of ``listing_name`` for the block.

    Raises:
        WorkflowInterrupted: another live run holds it (exit 5: run again once it ends).
    """
    path = lock_path(project_root, listing_name)
    check_writable(path, project_root=project_root)  # never a lock through a link out
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"pid": os.getpid(), "host": socket.gethostname(),
              "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    for _ in range(3):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        except FileExistsError:
            holder = _holder(path)
            if holder is not None:
                raise WorkflowInterrupted(
                    f"another ocmp run (pid {holder['pid']} on {holder.get('host')}, started "
                    f"{holder.get('started')}) is publishing {listing_name!r}",
                    hint=f"wait for it to end, then run again; if it is gone, delete {path}",
                ) from None
            path.unlink(missing_ok=True)  # stale: its process is gone
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(record, handle)
        break
    else:
        raise WorkflowInterrupted(f"could not take the lock {path}", hint="run again")
    try:
        yield
    finally:
        with contextlib.suppress(OSError, ValueError):
            if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
                path.unlink()
