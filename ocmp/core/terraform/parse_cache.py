"""Parse many Terraform files fast: a content-hash cache on disk, and both cores when cold.

Entries live in the user cache directory (``platformdirs``), or under ``OCMP_CACHE_DIR``
when set (tests point it at a temporary folder). An entry is keyed by the SHA-256 of the
parser format and the file's bytes, so an edited file is simply a new key. Entries are
written atomically (temp file + ``os.replace``), so concurrent runs never read half an
entry; an entry that does not decode to the expected shape is ignored and rewritten.

An entry is the SHA-256 digest of its payload followed by the payload, the parse result
serialised with :mod:`marshal` (several times faster to load than JSON, which is what makes
a re-validation cheap). The digest is checked before :func:`marshal.loads` ever sees the
bytes, so a damaged or truncated entry is recognised as such and never decoded.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ocmp.core.files import write_file_atomic
from ocmp.core.limits import MAX_TF_BYTES
from ocmp.core.terraform.hcl_reader import FORMAT, read_tf, read_tf_json
from ocmp.errors import InputError

# Below this many bytes to parse, starting worker processes costs more than it saves.
POOL_THRESHOLD = 256 * 1024


def cache_root() -> Path | None:
    """Where parse results are kept; ``OCMP_CACHE_DIR=""`` switches the cache off."""
    override = os.environ.get("OCMP_CACHE_DIR")
    if override is not None:
        return Path(override) / "hcl" if override else None
    import platformdirs

    return Path(platformdirs.user_cache_dir("ocmp")) / "hcl"


def _key(name: str, data: bytes) -> str:
    kind = "json" if name.endswith(".tf.json") else "tf"
    return hashlib.sha256(f"{FORMAT}\0{kind}\0".encode() + data).hexdigest()


def cached(namespace: str, data: bytes, compute: Callable[[], dict[str, Any]],
           valid: Callable[[Any], bool]) -> dict[str, Any]:
    """``compute()`` through the cache, keyed by ``namespace`` and the input's bytes."""
    root = cache_root()
    key = hashlib.sha256(f"{namespace}\0".encode() + data).hexdigest()
    if root is not None:
        entry = _load(root, key, valid)
        if entry is not None:
            return entry
    entry = compute()
    if root is not None:
        _store(root, key, entry)
    return entry


_BLOCK_KEYS = {"kind", "labels", "line", "body", "lines", "refs"}


def _valid(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("blocks"), list)
        and "error" in entry
        and all(isinstance(b, dict) and b.keys() >= _BLOCK_KEYS for b in entry["blocks"])
    )


def _load(root: Path, key: str, valid: Callable[[Any], bool] | None = None
          ) -> dict[str, Any] | None:
    try:
        raw = (root / key[:2] / f"{key}.bin").read_bytes()
    except OSError:
        return None
    digest, payload = raw[:32], raw[32:]
    if len(digest) < 32 or hashlib.sha256(payload).digest() != digest:
        return None
    try:
        entry = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return entry if (valid or _valid)(entry) else None


def _interned(value: Any) -> Any:
    # Interned strings are written once and referenced after (marshal format 4): keys and
    # short values repeat a lot, so entries get smaller and load faster.
    if isinstance(value, dict):
        return {_interned(k): _interned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_interned(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_interned(v) for v in value)
    if isinstance(value, str) and len(value) <= 64:
        return sys.intern(value)
    return value


def _store(root: Path, key: str, entry: dict[str, Any]) -> None:
    folder = root / key[:2]
    try:
        payload = marshal.dumps(_interned(entry))
    except ValueError:
        return  # a value marshal cannot write (e.g. a YAML timestamp): just not cached
    try:
        write_file_atomic(folder / f"{key}.bin", hashlib.sha256(payload).digest() + payload,
                          project_root=root)
    except InputError:
        pass  # a read-only or full cache only costs speed


def decode(data: bytes) -> tuple[str | None, dict[str, Any] | None]:
    """UTF-8 text of a Terraform file, or the parse-error entry saying where it is not.

    A leading byte-order mark is dropped, as Terraform does (Windows editors write one).
    """
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); Terraform reads UTF-8 only"
        return None, {"blocks": [], "error": {"line": line, "message": message}}


def parse_text(name: str, text: str) -> dict[str, Any]:
    """Parse one file's text by its kind (``.tf.json`` or ``.tf``).

    Hostile input ends as the file's one parse error (one finding), never an exception
    every rule would meet again: too large to parse in reasonable time, or nested beyond
    Python's recursion limit.
    """
    if len(text) > MAX_TF_BYTES:
        # Not a syntax error: Terraform may well accept it. The file is left unchecked.
        return {"blocks": [], "error": {"line": 1, "unchecked": True,
                                        "message": f"{len(text) / 1e6:.1f} MB, larger than "
                                        f"the {MAX_TF_BYTES >> 20} MiB ocmp parses"}}
    try:
        return read_tf_json(text) if name.endswith(".tf.json") else read_tf(text)
    except RecursionError:
        return {"blocks": [], "error": {"line": 1, "message": "nested too deeply to read"}}


def _parse_job(job: tuple[str, str, str, str | None]) -> dict[str, Any]:
    # Runs in a worker: parse, and write the cache entry there too (both cores share it).
    name, key, text, root = job
    entry = parse_text(name, text)
    if root is not None:
        _store(Path(root), key, entry)
    return entry


def parse_files(files: Mapping[str, bytes], *, workers: int | None = None) -> dict[str, Any]:
    """Parse every file (name → bytes), each once, through the cache."""
    root = cache_root()
    results: dict[str, Any] = {}
    todo: list[tuple[str, str, str]] = []  # name, key, text
    for name, data in files.items():
        text, failure = decode(data)
        if failure is not None or text is None:
            results[name] = failure
            continue
        key = _key(name, data)
        cached = _load(root, key) if root is not None else None
        if cached is not None:
            results[name] = cached
        else:
            todo.append((name, key, text))
    size = sum(len(t) for _, _, t in todo)
    count = workers if workers is not None else min(2, os.cpu_count() or 1)
    if count > 1 and size >= POOL_THRESHOLD and len(todo) > 1:
        # Largest first so both workers finish together.
        todo.sort(key=lambda item: -len(item[2]))
        jobs = [(n, k, t, str(root) if root is not None else None) for n, k, t in todo]
        # Not fork: a forked child inherits the parent's threads and pygohcl's Go runtime
        # half-initialised, and hangs in its first parse. A fork server is a clean parent.
        # Imported here: a small stack never starts a pool, and these imports cost it 20 ms.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            parsed = list(pool.map(_parse_job, jobs, chunksize=4))
        results.update((name, entry) for (name, _, _), entry in zip(todo, parsed, strict=True))
        return results
    for name, key, text in todo:
        entry = results[name] = parse_text(name, text)
        if root is not None:
            _store(root, key, entry)
    return results
