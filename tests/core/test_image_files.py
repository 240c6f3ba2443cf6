"""The image reader against files Pillow writes (Pillow is a test dependency only)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from ocmp.core.image_files import PNG_SIGNATURE, image_facts, read_image
from ocmp.core.limits import MAX_ASSET_BYTES


def encoded(fmt: str, size: tuple[int, int], mode: str = "RGB", **save: object) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "#1e5aa0" if mode in ("RGB", "RGBA") else 90).save(
        buffer, format=fmt, **save)
    return buffer.getvalue()


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "LA", "P", "1", "I;16"])
@pytest.mark.parametrize("interlace", [0, 1])
def test_every_png_pillow_writes_is_whole_with_its_size(mode: str, interlace: int) -> None:
    facts = image_facts(encoded("PNG", (131, 77), mode, interlace=interlace))
    assert (facts.format, facts.width, facts.height, facts.damage) == ("PNG", 131, 77, None)


@pytest.mark.parametrize("options", [{}, {"progressive": True}, {"quality": 20}])
@pytest.mark.parametrize("mode", ["RGB", "L", "CMYK"])
def test_jpegs_are_whole_with_their_size(options: dict[str, object], mode: str) -> None:
    facts = image_facts(encoded("JPEG", (300, 200), mode, **options))
    assert (facts.format, facts.width, facts.height, facts.damage) == ("JPEG", 300, 200, None)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_a_truncated_file_is_damaged(fmt: str, keep: float) -> None:
    data = encoded(fmt, (400, 400))
    facts = image_facts(data[: int(len(data) * keep)])
    assert facts.format == fmt and facts.damage is not None


def test_a_flipped_bit_in_png_data_is_a_checksum_error() -> None:
    data = bytearray(encoded("PNG", (200, 200)))
    data[len(data) // 2] ^= 0x40
    facts = image_facts(bytes(data))
    assert facts.damage is not None and "checksum" in facts.damage


def test_png_data_shorter_than_its_header_says_is_incomplete() -> None:
    header = struct.pack(">IIBBBBB", 200, 200, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 10)  # valid stream, far fewer rows than 200

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))

    data = PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    facts = image_facts(data)
    assert (facts.width, facts.height) == (200, 200)
    assert facts.damage == "corrupt (its image data is incomplete)"


@pytest.mark.parametrize(("fmt", "name"), [("GIF", "GIF"), ("BMP", "BMP"), ("TIFF", "TIFF"),
                                           ("WEBP", "WebP")])
def test_other_formats_are_named(fmt: str, name: str) -> None:
    assert image_facts(encoded(fmt, (64, 64))).format == name


def test_svg_and_text_and_empty() -> None:
    assert image_facts(b'<?xml version="1.0"?>\n<svg xmlns="x"/>').format == "SVG"
    assert image_facts(b"not an image").format is None
    assert image_facts(b"").format is None


def test_files_are_read_within_the_asset_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    big.write_bytes(encoded("PNG", (10, 10)) + bytes(MAX_ASSET_BYTES))
    facts = read_image(big)
    assert facts.format is None and facts.damage == "larger than 10 MiB"
    assert read_image(tmp_path / "absent.png").format is None
    assert read_image(tmp_path).format is None  # a directory is no image
