"""Every file ocmp writes goes through one safe-write helper (issue 10, defect 1).

As root, ``-o /dev/null`` used to replace the machine's /dev/null with a regular file.
Each case here builds its device, FIFO, socket or link inside ``tmp_path`` (never the
real /dev) and checks through the CLI that it is streamed to, refused (exit 3) or left
alone, and that nothing outside the project is written. Every path the user names for
output (``schema -o``, ``package -o``, ``--output``) follows the same policy.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import RunCli


def _null_device(path: Path) -> Path:
    """A character device node equal to /dev/null (1, 3), made inside the test folder."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.fail("these tests run as root (the CI image and the dev machine do)")
    return path


@pytest.fixture
def fifo_reader(tmp_path: Path) -> Iterator[tuple[Path, list[bytes]]]:
    """A FIFO with a reader thread collecting what is written to it."""
    path = tmp_path / "pipe"
    os.mkfifo(path)
    got: list[bytes] = []

    def read() -> None:
        with path.open("rb") as handle:
            got.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    yield path, got
    try:  # the command never opened it: unblock the reader (never wait for one)
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass  # ENXIO: no reader left, it has finished
    reader.join(5)


# Each writer of a path the user names, and the first bytes of what it writes there.
WRITERS = {
    "schema -o": (["schema", "-o"], b"{"),
    "package -o": (["package", "s", "-o"], b"PK\x03\x04"),
    "validate --output": (["validate", "s", "--format", "json", "--output"], b"{"),
}


@pytest.fixture(params=list(WRITERS))
def writer(request: pytest.FixtureRequest, run_cli: RunCli) -> tuple[list[str], bytes]:
    """A command line ending in its output option, run beside a stack project ``s``."""
    assert run_cli("init", "s", "--kind", "stack", "--non-interactive").exit_code == 0
    return WRITERS[request.param]


def test_a_character_device_is_written_as_a_stream_never_replaced(
    run_cli: RunCli, tmp_path: Path, writer: tuple[list[str], bytes]
) -> None:
    command, _ = writer
    device = _null_device(tmp_path / "null")
    link = tmp_path / "stdout"
    link.symlink_to(device)  # like /dev/stdout → /proc/self/fd/1
    for target in (device, link):
        result = run_cli(*command, target)
        assert result.exit_code == 0, result.stderr
        assert stat.S_ISCHR(device.lstat().st_mode), "the device was replaced"
        assert link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null", "s", "stdout"]  # no temp file


def test_a_fifo_is_written_as_a_stream(
    run_cli: RunCli, fifo_reader: tuple[Path, list[bytes]], writer: tuple[list[str], bytes]
) -> None:
    command, start = writer
    path, got = fifo_reader
    result = run_cli(*command, path)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(path.lstat().st_mode)
    for _ in range(100):
        if got:
            break
        threading.Event().wait(0.05)
    assert got and got[0].startswith(start), got


def test_a_regular_file_is_replaced_atomically(
    run_cli: RunCli, tmp_path: Path, writer: tuple[list[str], bytes]
) -> None:
    command, start = writer
    out = tmp_path / "out"
    out.write_text("old")
    out.chmod(0o640)
    result = run_cli(*command, out)
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(start) and out.read_bytes() != b"old"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640  # the file's own mode is kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "s"]  # no temp file left


def test_a_link_to_a_file_or_to_nothing_is_refused_and_left_alone(
    run_cli: RunCli, tmp_path: Path, writer: tuple[list[str], bytes]
) -> None:
    # Like `-o /dev/stdout` with stdout redirected to a file: replacing the link would
    # replace /dev/stdout; writing through it would truncate what the shell appends to.
    command, _ = writer
    target = tmp_path / "report.txt"
    target.write_text("keep")
    link = tmp_path / "stdout"
    link.symlink_to(target)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    for path, what in ((link, "a symbolic link to a regular file"),
                       (dangling, "a symbolic link to nothing")):
        result = run_cli(*command, path)
        assert result.exit_code == 3, result.stderr
        assert f"is {what}" in result.stderr and "Traceback" not in result.stderr
        assert path.is_symlink()
    assert target.read_text() == "keep"
    assert not (tmp_path / "nowhere").exists()


def test_a_directory_or_socket_is_refused(
    run_cli: RunCli, tmp_path: Path, writer: tuple[list[str], bytes]
) -> None:
    command, _ = writer
    folder = tmp_path / "folder"
    folder.mkdir()
    sock_path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(sock_path))
    try:
        for target, what in ((folder, "a directory"), (sock_path, "a socket")):
            result = run_cli(*command, target)
            assert result.exit_code == 3, (command, result.stderr)
            assert f"is {what}" in result.stderr
            assert "Traceback" not in result.stderr
        assert stat.S_ISSOCK(sock_path.lstat().st_mode)
        assert list(folder.iterdir()) == []
    finally:
        server.close()


def test_init_force_never_writes_through_a_link_out_of_the_project(
    run_cli: RunCli, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    project = tmp_path / "p"
    project.mkdir()
    (project / "docs").symlink_to(outside)
    result = run_cli("init", "p", "--force", "--non-interactive")
    assert result.exit_code == 3, result.stderr
    assert "leads outside the project" in result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]
    assert sorted(p.name for p in project.iterdir()) == ["docs"]  # checked before any write


def test_init_force_refuses_a_device_or_fifo_in_the_project(
    run_cli: RunCli, tmp_path: Path
) -> None:
    project = tmp_path / "p"
    project.mkdir()
    _null_device(project / "listing.yaml")
    result = run_cli("init", "p", "--force", "--non-interactive")
    assert result.exit_code == 3
    assert "listing.yaml: is a character device" in result.stderr
    assert stat.S_ISCHR((project / "listing.yaml").lstat().st_mode)


def test_init_force_into_a_project_rewrites_regular_files(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("init", "p", "--non-interactive").exit_code == 0
    (tmp_path / "p/listing.yaml").write_text("broken")
    (tmp_path / "p/mine.txt").write_text("kept")
    assert run_cli("init", "p", "--force", "--non-interactive").exit_code == 0
    assert "kind: image" in (tmp_path / "p/listing.yaml").read_text()
    assert (tmp_path / "p/mine.txt").read_text() == "kept"
    assert run_cli("validate", "p").exit_code == 0


def test_the_default_package_output_stays_inside_the_project(
    run_cli: RunCli, tmp_path: Path
) -> None:
    assert run_cli("init", "s", "--kind", "stack", "--non-interactive").exit_code == 0
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (tmp_path / "s/dist").symlink_to(outside)
    result = run_cli("package", "s")
    assert result.exit_code == 3, result.stderr
    assert "leads outside the project" in result.stderr
    assert list(outside.iterdir()) == []


def test_the_journal_is_never_written_through_a_link(
    run_cli: RunCli, tmp_path: Path, sandbox_env: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.commands.publish_support import fast

    fast(monkeypatch)
    assert run_cli("init", "img", "--non-interactive").exit_code == 0
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (tmp_path / "img/.ocmp").mkdir()
    (tmp_path / "img/.ocmp/state").symlink_to(outside)
    result = run_cli("publish", "img", "--private", "--format", "json")
    assert result.exit_code == 3, result.stderr
    assert "leads outside the project" in result.stderr
    assert list(outside.iterdir()) == []
    json.loads(result.stdout)  # still one JSON document
