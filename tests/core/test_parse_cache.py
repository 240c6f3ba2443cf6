"""The parse cache: hits, corruption, concurrent runs, the process pool."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from ocmp.core.terraform import parse_cache
from ocmp.core.terraform.parse_cache import parse_files

TEMPLATE = Path(__file__).parents[2] / "ocmp" / "templates" / "stack" / "terraform"


def _files() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(TEMPLATE.glob("*.tf"))}


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "hcl").glob("*/*.bin"))


def _decodes(entry: Path) -> bool:
    return parse_cache._load(entry.parents[1], entry.stem) is not None


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OCMP_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_second_run_reads_the_cache(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = parse_files(_files())
    assert len(_entries(cache)) == len(_files())

    def no_parsing(name: str, text: str) -> dict[str, object]:
        raise AssertionError(f"{name} parsed again")

    monkeypatch.setattr(parse_cache, "parse_text", no_parsing)
    assert parse_files(_files()) == first


def test_an_edited_file_is_parsed_again(cache: Path) -> None:
    files = _files()
    parse_files(files)
    files["extra.tf"] = b'locals {\n  x = 1\n}\n'
    result = parse_files(files)
    assert result["extra.tf"]["blocks"][0]["kind"] == "locals"


def _valid_digest_wrong_shape() -> bytes:
    import hashlib
    import marshal

    payload = marshal.dumps({"blocks": 3})
    return hashlib.sha256(payload).digest() + payload


@pytest.mark.parametrize(
    "garbage",
    [b"", b"\xff\xfe not an entry", b"x" * 40, _valid_digest_wrong_shape()],
    ids=["empty", "short", "bad-digest", "wrong-shape"],
)
def test_a_garbage_entry_is_ignored_and_rewritten(cache: Path, garbage: bytes) -> None:
    expected = parse_files(_files())
    for entry in _entries(cache):
        entry.write_bytes(garbage)
        assert not _decodes(entry)
    assert parse_files(_files()) == expected
    for entry in _entries(cache):
        assert _decodes(entry)


def test_a_truncated_entry_is_ignored(cache: Path) -> None:
    expected = parse_files(_files())
    for entry in _entries(cache):
        entry.write_bytes(entry.read_bytes()[:-5])
    assert parse_files(_files()) == expected


def test_cache_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCMP_CACHE_DIR", "")
    assert parse_files(_files())["compute.tf"]["error"] is None


def test_an_unwritable_cache_only_costs_speed(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("OCMP_CACHE_DIR", str(blocker))
    assert parse_files(_files())["compute.tf"]["error"] is None


def _run(cache: str, rounds: int) -> str:
    import os

    os.environ["OCMP_CACHE_DIR"] = cache
    results = [parse_files(_files()) for _ in range(rounds)]
    return json.dumps(results[-1], sort_keys=True)


def test_concurrent_runs_share_the_cache_safely(cache: Path) -> None:
    # Four processes parse and write the same entries at once: every result is identical,
    # every entry is complete JSON, and no temporary file is left behind.
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        outputs = pool.starmap(_run, [(str(cache), 3)] * 4)
    assert len(set(outputs)) == 1
    assert all(_decodes(entry) for entry in _entries(cache))
    assert not list((cache / "hcl").glob("*/.tmp-*"))


def test_the_pool_gives_the_same_result_as_one_process(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OCMP_CACHE_DIR", "")
    single = parse_files(_files(), workers=1)
    monkeypatch.setattr(parse_cache, "POOL_THRESHOLD", 0)
    assert parse_files(_files(), workers=2) == single


def test_generic_cached_entries(cache: Path) -> None:
    calls: list[int] = []

    def compute() -> dict[str, object]:
        calls.append(1)
        return {"data": {"k": [1, 2]}, "when": (3, "x")}

    def valid(entry: object) -> bool:
        return isinstance(entry, dict) and "data" in entry

    first = parse_cache.cached("test/1", b"input", compute, valid)
    assert parse_cache.cached("test/1", b"input", compute, valid) == first
    assert calls == [1]
    for entry in _entries(cache):
        entry.write_bytes(b"garbage")
    assert parse_cache.cached("test/1", b"input", compute, valid) == first
    assert calls == [1, 1]
    assert parse_cache.cached("test/1", b"other", compute, valid) == first
    assert len(calls) == 3


def test_unmarshallable_values_are_just_not_cached(cache: Path) -> None:
    import datetime

    def compute() -> dict[str, object]:
        return {"data": {"released": datetime.date(2026, 11, 24)}}

    entry = parse_cache.cached("test/1", b"dated", compute, lambda e: True)
    assert entry["data"] == {"released": datetime.date(2026, 11, 24)}
    assert _entries(cache) == []
