"""What a stack zip contains: read from a zip as Oracle receives it, or selected from a folder.

For a folder, the selection is exactly what ``ocmp package`` would put in the zip: local
Terraform leftovers (``.terraform/``, state, tfvars, the lock file), ``.git`` and OS junk
are left out, ``.ocmpignore`` patterns are honoured, and symlinked module folders are
materialised. For a zip, every entry is read with guards: unsafe names, symlink entries,
and size/ratio limits against zip bombs become :class:`EntryProblem` records that the
STK00x rules report, never exceptions.
"""

from __future__ import annotations

import fnmatch
import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ocmp.errors import InputError

MAX_ENTRY_BYTES = 64 * 1024 * 1024  # one file of a Terraform stack
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # the whole unpacked stack
MAX_RATIO = 200  # uncompressed/compressed, for entries above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_ENTRIES = 20_000

IGNORE_FILE = ".ocmpignore"
# Never packaged: local Terraform runtime, VCS, OS and editor junk (see STK005–STK010).
EXCLUDED_DIRS = {".terraform", ".git", ".hg", ".svn", "__MACOSX", ".idea", ".vscode",
                 "__pycache__"}
EXCLUDED_FILES = ("*.tfstate", "*.tfstate.*", ".terraform.lock.hcl", "terraform.tfvars",
                  "terraform.tfvars.json", "*.auto.tfvars", "*.auto.tfvars.json", "*.tfvars",
                  "*.tfvars.json", ".DS_Store", "Thumbs.db", "desktop.ini", "*.swp", "*~",
                  ".terraform.tfstate.lock.info", "crash.log", "*.zip", IGNORE_FILE)


@dataclass(frozen=True)
class EntryProblem:
    """Something wrong with the archive itself, reported by an STK00x rule."""

    rule: str
    path: str
    message: str


@dataclass
class StackFiles:
    """The files of a stack as they are (zip) or would be (folder) in the zip, by POSIX path."""

    kind: str  # "folder" or "zip"
    source: Path
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[EntryProblem] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # folder: what the selection dropped
    origins: dict[str, Path] = field(default_factory=dict)  # folder: where each file lives

    def folders(self) -> set[str]:
        """Every directory that holds a file, POSIX form, "" for the root."""
        found = {""}
        for path in self.files:
            parent = PurePosixPath(path).parent
            while str(parent) != ".":
                found.add(str(parent))
                parent = parent.parent
        return found

    def text(self, path: str) -> str | None:
        """A file as UTF-8 text, or None when it is not text."""
        data = self.files.get(path)
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None


def _ignore_patterns(folder: Path) -> list[str]:
    path = folder / IGNORE_FILE
    if not path.is_file():
        return []
    lines = path.read_text("utf-8", errors="replace").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def _ignored(rel: str, is_dir: bool, patterns: list[str]) -> bool:
    """gitignore-like: later patterns win, ``!`` re-includes, ``/`` anchors, ``dir/`` = folder."""
    verdict = False
    name = rel.rsplit("/", 1)[-1]
    for raw in patterns:
        negate = raw.startswith("!")
        pattern = raw[1:] if negate else raw
        if pattern.endswith("/"):
            if not is_dir:
                continue
            pattern = pattern.rstrip("/")
        anchored = "/" in pattern
        pattern = pattern.lstrip("/")
        hit = fnmatch.fnmatchcase(rel, pattern) if anchored else fnmatch.fnmatchcase(name, pattern)
        if hit:
            verdict = not negate
    return verdict


def _contains_tf(folder: Path, seen: set[Path], depth: int = 0) -> bool:
    if depth > 8:
        return False
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return False
    for entry in entries:
        if entry.name.endswith((".tf", ".tf.json")) and entry.is_file():
            return True
    return any(
        e.is_dir() and e.name not in EXCLUDED_DIRS and Path(e.path).resolve() not in seen
        and _contains_tf(Path(e.path), seen, depth + 1)
        for e in entries
    )


def read_folder(folder: Path) -> StackFiles:
    """Select what ``ocmp package`` puts in the zip from a stack folder."""
    if not folder.is_dir():
        raise InputError("not a folder", file=str(folder))
    result = StackFiles("folder", folder)
    patterns = _ignore_patterns(folder)
    root_real = folder.resolve()
    visited: set[Path] = {root_real}

    def walk(current: Path, rel_dir: str) -> None:
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            raise InputError(f"cannot read folder: {exc.strerror}", file=str(current)) from None
        for entry in entries:
            rel = f"{rel_dir}{entry.name}"
            path = Path(entry.path)
            is_link = entry.is_symlink()
            is_dir = entry.is_dir()  # follows the link
            if (is_dir and entry.name in EXCLUDED_DIRS) or (
                not is_dir and any(fnmatch.fnmatchcase(entry.name, p) for p in EXCLUDED_FILES)
            ) or _ignored(rel, is_dir, patterns):
                result.left_out.append(rel + ("/" if is_dir else ""))
                continue
            if is_link:
                target = path.resolve()
                inside = target == root_real or root_real in target.parents
                if not path.exists():
                    result.problems.append(EntryProblem(
                        "STK011", rel, f"symlink {rel} points to nothing ({path.readlink()})"))
                    continue
                if is_dir and (target in visited or target in root_real.parents):
                    result.problems.append(EntryProblem(
                        "STK011", rel, f"symlink {rel} loops back to a folder already packaged"))
                    continue
                if not inside and not (is_dir and _contains_tf(target, visited)):
                    result.problems.append(EntryProblem(
                        "STK011", rel, f"symlink {rel} leaves the stack folder ({target}) and "
                        "is not a Terraform module folder"))
                    continue
            if is_dir:
                real = path.resolve()
                visited.add(real)
                walk(path, rel + "/")
                continue
            if not entry.is_file():
                continue  # sockets, fifos: nothing to package
            if len(result.files) >= MAX_ENTRIES:
                raise InputError(f"more than {MAX_ENTRIES} files to package", file=str(folder),
                                 hint="list what does not belong to the stack in .ocmpignore")
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
            result.files[rel] = data
            result.origins[rel] = path

    walk(folder, "")
    return result


def _unsafe_name(name: str) -> str | None:
    if "\\" in name:
        return "a backslash in an entry name (zipped on Windows without forward slashes?)"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "an absolute path"
    if ".." in name.split("/"):
        return "a '..' segment that would write outside the folder it is unpacked in"
    if "\0" in name:
        return "a NUL byte"
    return None


def read_zip(path: Path) -> StackFiles:
    """Read a stack zip as Resource Manager would receive it, with archive guards."""
    result = StackFiles("zip", path)
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
    if magic not in (b"PK\x03\x04", b"PK\x05\x06"):
        result.problems.append(EntryProblem("STK001", "", "not a ZIP archive (Resource Manager "
                                            "takes .zip only, not tar, gz or 7z)"))
        return result
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        result.problems.append(EntryProblem("STK001", "", f"not a readable ZIP archive: {exc}"))
        return result
    with archive:
        _read_entries(archive, result)
    return result


def read_zip_bytes(data: bytes, source: Path) -> StackFiles:
    """Read a downloaded stack zip with the same guards as :func:`read_zip`."""
    import io

    result = StackFiles("zip", source)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        result.problems.append(EntryProblem("STK001", "", f"not a readable ZIP archive: {exc}"))
        return result
    with archive:
        _read_entries(archive, result)
    return result


def _read_entries(archive: zipfile.ZipFile, result: StackFiles) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        result.problems.append(EntryProblem("STK011", "", f"{len(infos)} entries: more than "
                                            f"the {MAX_ENTRIES} ocmp reads"))
        return
    total = 0
    seen: dict[str, str] = {}
    for info in infos:
        name = info.filename
        why = _unsafe_name(name)
        if why:
            result.problems.append(EntryProblem("STK011", name, f"entry {name!r} has {why}"))
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            result.problems.append(EntryProblem("STK011", name, f"entry {name!r} is a symlink"))
            continue
        if info.is_dir():
            continue
        folded = name.lower()
        if folded in seen:
            result.problems.append(EntryProblem(
                "STK011", name, f"entries {seen[folded]!r} and {name!r} differ only by case"))
            continue
        seen[folded] = name
        if info.flag_bits & 0x1:
            result.problems.append(EntryProblem("STK001", name, f"entry {name!r} is encrypted"))
            continue
        try:
            data = _read_bounded(archive, info, MAX_TOTAL_BYTES - total)
        except _TooBig as exc:
            result.problems.append(EntryProblem("STK011", name, f"entry {name!r}: {exc} "
                                                "(a zip bomb?); reading stopped"))
            return
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
            result.problems.append(
                EntryProblem("STK001", name, f"entry {name!r} is damaged: {exc}"))
            continue
        total += len(data)
        result.files[name] = data


class _TooBig(Exception):
    pass


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """Read one entry, never trusting its declared size: stop at the limits."""
    limit = min(MAX_ENTRY_BYTES, budget)
    if info.file_size > limit:
        raise _TooBig(f"declares {info.file_size} bytes, more than the {limit} allowed")
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as stream:
        while chunk := stream.read(1024 * 1024):
            size += len(chunk)
            if size > limit:
                raise _TooBig(f"unpacks to more than {limit} bytes")
            chunks.append(chunk)
    if size > RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
        raise _TooBig(f"compression ratio {size // max(info.compress_size, 1)}:1 is above "
                      f"{MAX_RATIO}:1")
    return b"".join(chunks)


def read_stack(path: Path) -> StackFiles:
    """A stack folder or a stack zip."""
    if path.is_dir():
        return read_folder(path)
    if path.is_file():
        return read_zip(path)
    raise InputError("no such stack folder or zip", file=str(path))
