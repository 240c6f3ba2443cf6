"""Finding listing projects and Terraform below a folder, the way a repository lays them out.

Kept apart from :mod:`ocmp.core.project` and :mod:`ocmp.core.repository` so that both can use
it without importing each other.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path, PurePosixPath

LISTING_FILE = "listing.yaml"

# Never a listing project, never worth walking into.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".ocmp",
        ".terraform",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".demo",
    }
)
IGNORE_FILES = (".ocmpignore", ".gitignore")
MAX_DEPTH = 12  # deeper than any real repository; bounds a walk through a strange tree


def find_listing_files(root: Path) -> list[Path]:
    """Every ``listing.yaml`` below ``root`` (sorted), skipping ignored and tool folders.

    A folder holding a listing.yaml is a project: its own subfolders (docs, terraform, …) are
    not searched for more projects. Symlinked folders are not followed: a repository's
    projects are its own folders.
    """
    found: list[Path] = []

    def walk(
        folder: Path, rel: PurePosixPath, patterns: list[tuple[PurePosixPath, str]], depth: int
    ) -> None:
        if (folder / LISTING_FILE).is_file() and rel != PurePosixPath("."):
            found.append(folder / LISTING_FILE)
            return
        if depth > MAX_DEPTH:
            return
        patterns = patterns + [(rel, p) for p in _ignore_patterns(folder)]
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            if entry.name in SKIPPED_DIRS or not entry.is_dir(follow_symlinks=False):
                continue
            child = rel / entry.name
            if _ignored(child, patterns):
                continue
            walk(Path(entry.path), child, patterns, depth + 1)

    if (root / LISTING_FILE).is_file():
        return [root / LISTING_FILE]
    walk(root, PurePosixPath("."), [], 0)
    return found


def _ignore_patterns(folder: Path) -> list[str]:
    patterns: list[str] = []
    for name in IGNORE_FILES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            with path.open("rb") as handle:  # bounded: an ignore file is a few lines
                text = handle.read(256 * 1024).decode("utf-8", errors="replace")
        except OSError:
            continue
        patterns += [
            ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
        ]
    return patterns


def _ignored(rel: PurePosixPath, patterns: list[tuple[PurePosixPath, str]]) -> bool:
    """gitignore-like for folders: later patterns win, ``!`` re-includes, ``/`` anchors."""
    verdict = False
    for base, raw in patterns:
        negate = raw.startswith("!")
        pattern = (raw[1:] if negate else raw).rstrip("/")
        if not pattern:
            continue
        try:
            below = rel.relative_to(base).as_posix()
        except ValueError:
            continue
        anchored = "/" in pattern
        pattern = pattern.lstrip("/")
        if anchored:
            hit = fnmatch.fnmatchcase(below, pattern) or fnmatch.fnmatchcase(
                below, pattern.replace("**/", "")
            )
        else:
            hit = any(fnmatch.fnmatchcase(part, pattern) for part in below.split("/"))
        if hit:
            verdict = not negate
    return verdict


def has_terraform_below(folder: Path, depth: int = 0) -> bool:
    """Whether a .tf file sits in a subfolder of ``folder`` (bounded; links not followed)."""
    if depth > 4:
        return False
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return False
    if depth and any(e.name.endswith((".tf", ".tf.json")) for e in entries):
        return True
    return any(
        e.is_dir(follow_symlinks=False)
        and not e.name.startswith(".")
        and e.name not in SKIPPED_DIRS
        and has_terraform_below(Path(e.path), depth + 1)
        for e in entries
    )
