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
import posixpath
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ocmp.core.discovery import LISTING_FILE
from ocmp.core.files import read_bytes_bounded
from ocmp.core.limits import MAX_IGNORE_PATTERNS, MAX_TEXT_BYTES
from ocmp.errors import InputError

MAX_ENTRY_BYTES = 64 * 1024 * 1024  # one file of a Terraform stack
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # the whole unpacked stack
MAX_RATIO = 200  # uncompressed/compressed, for entries above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_ENTRIES = 20_000
MAX_DEPTH = 32  # folders within folders

IGNORE_FILE = ".ocmpignore"
# Never packaged: local Terraform runtime, VCS, OS and editor junk (see STK005–STK010).
EXCLUDED_DIRS = {".terraform", ".git", ".hg", ".svn", "__MACOSX", ".idea", ".vscode",
                 "__pycache__"}
EXCLUDED_FILES = ("*.tfstate", "*.tfstate.*", ".terraform.lock.hcl", "terraform.tfvars",
                  "terraform.tfvars.json", "*.auto.tfvars", "*.auto.tfvars.json", "*.tfvars",
                  "*.tfvars.json", ".DS_Store", "Thumbs.db", "desktop.ini", "*.swp", "*~",
                  ".terraform.tfstate.lock.info", "crash.log", "*.zip", IGNORE_FILE, ".ocmpinclude")


@dataclass(frozen=True)
class EntryProblem:
    """Something wrong with the archive itself, reported by an STK00x rule."""

    rule: str
    path: str
    message: str
    hint: str | None = None  # what to do, when it is not the rule's usual advice
    warning: bool = False  # a note that blocks nothing (the rule's findings are errors)


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
        """A file as UTF-8 text (a leading byte-order mark dropped, as Terraform and YAML
        readers do), or None when it is not text."""
        data = self.files.get(path)
        if data is None:
            return None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None


def _ignore_patterns(folder: Path) -> list[str]:
    path = folder / IGNORE_FILE
    if not path.is_file():
        return []
    raw = read_bytes_bounded(path, str(path), limit=MAX_TEXT_BYTES)
    lines = raw.decode("utf-8", errors="replace").splitlines()
    patterns = [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    if len(patterns) > MAX_IGNORE_PATTERNS:
        raise InputError(f"{len(patterns)} patterns, more than the {MAX_IGNORE_PATTERNS} ocmp "
                         "reads", file=str(path), hint="ignore whole folders (name/) instead")
    return patterns


def ignored(rel: str, is_dir: bool, patterns: list[str]) -> bool:
    """Whether gitignore-like ``patterns`` match ``rel`` (``.ocmpignore``, ``.ocmpinclude``)."""
    return _ignored(rel, is_dir, patterns)


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


_SOURCE = re.compile(r'"?source"?\s*[=:]\s*"(\.{1,2}/[^"]*)"')
# What Terraform (and the templates and scripts a module hands to it) reads from a module
# folder reached through a link out of the stack; notes, keys and the rest stay out.
MODULE_SUFFIXES = (".tf", ".tf.json", ".tftpl", ".tpl", ".tmpl", ".sh", ".ps1", ".yaml",
                   ".yml", ".json")


def _local_sources(rel: str, data: bytes) -> set[str]:
    """Stack folders the local ``module`` sources of the Terraform file ``rel`` name."""
    if not rel.endswith((".tf", ".tf.json")):
        return set()
    here = posixpath.dirname(rel)
    found = set()
    for match in _SOURCE.finditer(data.decode("utf-8", errors="replace")):
        target = posixpath.normpath(posixpath.join(here, match.group(1)))
        if target != ".." and not target.startswith("../"):
            found.add("" if target == "." else target)
    return found


class _Walk:
    """One selection of a stack folder (see :func:`read_folder`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.result = StackFiles("folder", folder)
        self.patterns = _ignore_patterns(folder)
        self.root_real = folder.resolve()
        self.boundary = project_boundary(self.root_real)
        self.device = self.root_real.stat().st_dev
        self.visited: set[Path] = {self.root_real}
        self.links: dict[str, Path] = {}  # folder links out of the stack: rel → target
        self.total = 0

    def problem(self, rel: str, message: str, hint: str | None = None,
                warning: bool = False) -> None:
        self.result.problems.append(EntryProblem("STK011", rel, message, hint, warning))

    def add(self, rel: str, path: Path) -> None:
        """Read one regular file into the selection, within the size limits."""
        try:
            size = path.stat().st_size
        except OSError as exc:
            self.problem(rel, f"{rel} cannot be read: {exc.strerror or exc}")
            return
        if size > MAX_ENTRY_BYTES:
            self.problem(rel, f"{rel} is {size / 1e6:.1f} MB, more than the "
                         f"{MAX_ENTRY_BYTES >> 20} MiB a stack file may be")
            return
        if len(self.result.files) >= MAX_ENTRIES:
            raise InputError(f"more than {MAX_ENTRIES} files to package",
                             file=str(self.folder),
                             hint="list what does not belong to the stack in .ocmpignore")
        try:
            data = read_bytes_bounded(path, rel, limit=MAX_ENTRY_BYTES)
        except InputError as exc:
            self.problem(rel, f"{rel}: {exc.detail}")
            return
        self.total += len(data)
        if self.total > MAX_TOTAL_BYTES:
            raise InputError(f"the stack holds more than the {MAX_TOTAL_BYTES >> 20} MiB ocmp "
                             "packages", file=str(self.folder),
                             hint="list what does not belong to the stack in .ocmpignore")
        self.result.files[rel] = data
        self.result.origins[rel] = path

    def walk(self, current: Path, rel_dir: str, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            self.problem(rel_dir.rstrip("/"), f"{rel_dir} is nested more than {MAX_DEPTH} "
                         "folders deep")
            return
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            raise InputError(f"cannot read folder: {exc.strerror}", file=str(current)) from None
        for entry in entries:
            self.entry(entry, rel_dir, depth)

    def entry(self, entry: os.DirEntry[str], rel_dir: str, depth: int) -> None:
        rel = f"{rel_dir}{entry.name}"
        path = Path(entry.path)
        is_link = entry.is_symlink()
        try:
            is_dir = entry.is_dir()  # follows the link
        except OSError:
            is_dir = False
        if (is_dir and entry.name in EXCLUDED_DIRS) or (
            not is_dir and any(fnmatch.fnmatchcase(entry.name, p) for p in EXCLUDED_FILES)
        ) or _ignored(rel, is_dir, self.patterns):
            self.result.left_out.append(rel + ("/" if is_dir else ""))
            return
        if is_link:
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError) as exc:  # dangling, or a loop of links
                loop = isinstance(exc, RuntimeError) or getattr(exc, "errno", 0) == 40
                what = "is a loop of links" if loop else "points to nothing"
                self.problem(rel, f"symlink {rel} {what} ({path.readlink()})",
                             hint="remove the link, or point it at a file that exists")
                return
            inside = _within(target, self.root_real)
            if is_dir and (target in self.visited or target in self.root_real.parents):
                self.problem(rel, f"symlink {rel} loops back to a folder already packaged",
                             hint="remove the link: the folder it names is already in the stack")
                return
            if not inside:
                if is_dir and not _within(target, self.boundary):
                    self.problem(rel, f"symlink {rel} leads out of the project ({target}); "
                                 f"ocmp never follows a link out of {self.boundary}",
                                 hint="copy the module into the project (or the repository "
                                 "holding it), or make the link point there")
                elif is_dir:
                    self.links[rel] = target  # followed only if a module source names it
                else:
                    self.problem(rel, f"symlink {rel} leaves the stack folder ({target})")
                return
        if is_dir:
            self.visited.add(path.resolve())
            self.walk(path, rel + "/", depth + 1)
            return
        if entry.is_file():
            self.add(rel, path)
        elif rel.endswith((".tf", ".tf.json", ".yaml", ".yml", ".sh", ".tpl", ".tftpl")):
            # A FIFO, socket or device under a name Terraform would read: never opened (it
            # could block or never end), so say it is neither checked nor packaged.
            self.problem(rel, f"{rel} is not a regular file (a FIFO, socket or device): "
                         "neither checked nor packaged",
                         hint="replace it with a regular file, or remove it", warning=True)
        # other sockets, FIFOs, devices: nothing to package

    def follow_modules(self) -> None:
        """Read the module folders that ``source`` names through links out of the stack."""
        done: set[str] = set()
        used: set[str] = set()
        while True:
            wanted = {src for rel, data in list(self.result.files.items())
                      for src in _local_sources(rel, data)} - done
            todo = sorted(s for s in wanted if any(s == ln or s.startswith(ln + "/")
                                                   for ln in self.links))
            if not todo:
                break
            for source in todo:
                done.add(source)
                link = next(ln for ln in self.links if source == ln or
                            source.startswith(ln + "/"))
                used.add(link)
                self.module(source, link)
        for link, target in sorted(self.links.items()):
            if link not in used:
                self.problem(link, f"symlink {link} leaves the stack folder ({target}) and no "
                             "module block's source names it")

    def module(self, source: str, link: str) -> None:
        base = self.links[link]
        folder = (base / source[len(link):].lstrip("/")).resolve()
        if not _within(folder, base) or not folder.is_dir():
            self.problem(source, f"module folder {source} is not inside {link} ({base})")
            return
        if not _within(folder, self.boundary):
            self.problem(source, f"module folder {source} ({folder}) is out of the project; "
                         f"ocmp never follows a link out of {self.boundary}")
            return
        if folder.stat().st_dev != self.device:
            self.problem(source, f"module folder {source} ({folder}) is on another file "
                         "system than the stack")
            return
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            rel = f"{source}/{entry.name}"
            if not entry.is_file() or entry.is_symlink():
                continue  # sub-folders are read only when a source names them too
            if entry.name.endswith(MODULE_SUFFIXES):
                self.add(rel, Path(entry.path))
            else:
                self.result.left_out.append(rel)


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def project_boundary(stack_real: Path) -> Path:
    """The folder no link out of the stack may leave: the top of the git work tree holding
    the stack (the release repository, where modules shared by several listings live, as
    in ``../../terraform-modules``), else the listing project (the nearest folder with
    ``listing.yaml``), else the stack folder itself.

    A repository's top is what its publisher versions and reviews; anything beyond it (a
    home folder, /etc, another checkout) is not part of the release and never goes into
    a zip that gets published.
    """
    project: Path | None = None
    for folder in (stack_real, *stack_real.parents):
        if (folder / ".git").exists():
            return folder
        if project is None and (folder / LISTING_FILE).is_file():
            project = folder
    return project or stack_real


def read_folder(folder: Path) -> StackFiles:
    """Select what ``ocmp package`` puts in the zip from a stack folder.

    Never leaves the stack except through a symlinked folder that a ``module`` block's
    ``source`` names and that stays inside :func:`project_boundary`; from such a folder
    only what Terraform reads is taken, never from another file system (``/proc``). Every
    other link out, loop or oversized file is an STK011 problem; more files or bytes than
    the limits stop with an InputError.
    """
    if not folder.is_dir():
        raise InputError("not a folder", file=str(folder))
    walk = _Walk(folder)
    walk.walk(folder, "")
    walk.follow_modules()
    return walk.result


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
