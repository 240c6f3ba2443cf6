"""What an image file really is, read from its bytes: format, size, and whether it is whole.

The listing's icon, banner and screenshots are uploaded as PNG or JPEG. This reader knows
just enough of both formats to tell a real, complete file from a renamed, truncated or
corrupt one, and to read its size, without an imaging library: Pillow costs 75–180 ms to
import and decode on this machine (see README, "Why no imaging library"), more than every
other listing check together. It reads at most :data:`~ocmp.core.limits.MAX_ASSET_BYTES`.

* PNG: the signature, then every chunk with its CRC, up to ``IEND``; the image data
  (``IDAT``) is inflated with :mod:`zlib`, at most the size the header declares, and must
  be exactly that size (for non-interlaced images).
* JPEG: the segments up to the start of scan, a frame header (``SOFn``) for the size, and
  the end-of-image marker.
* Other formats are named by their signature (GIF, WebP, BMP, TIFF, SVG), so that the
  finding can say what the file is.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from ocmp.core.limits import MAX_ASSET_BYTES

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PIXELS = 100_000_000  # a declared size above this is refused before any inflating
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # PNG colour type → samples per pixel
_OTHER = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)


@dataclass(frozen=True)
class ImageFacts:
    """What the file is (``None``: not an image at all), its size, and what is wrong."""

    format: str | None
    width: int = 0
    height: int = 0
    damage: str | None = None  # why a PNG/JPEG cannot be read whole, e.g. "truncated"


def read_image(path: Path) -> ImageFacts:
    """Facts about ``path`` (never trusts the extension); an unreadable file is no image."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_ASSET_BYTES + 1)
    except OSError:
        return ImageFacts(None)
    if len(data) > MAX_ASSET_BYTES:
        return ImageFacts(None, damage=f"larger than {MAX_ASSET_BYTES // (1024 * 1024)} MiB")
    return image_facts(data)


def image_facts(data: bytes) -> ImageFacts:
    """Facts about the bytes of an image file."""
    if data.startswith(PNG_SIGNATURE):
        return _png(data)
    if data.startswith(b"\xff\xd8\xff"):
        return _jpeg(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ImageFacts("WebP")
    for magic, name in _OTHER:
        if data.startswith(magic):
            return ImageFacts(name)
    head = data[:512].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return ImageFacts("SVG")
    return ImageFacts(None)


def _png(data: bytes) -> ImageFacts:
    offset, idat, header = len(PNG_SIGNATURE), [], b""
    while True:
        if offset + 8 > len(data):
            return _damaged("PNG", header, "truncated (no IEND chunk)")
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        end = offset + 12 + length
        if end > len(data):
            return _damaged("PNG", header, f"truncated inside its {kind.decode('latin-1')} chunk")
        body = data[offset + 8:offset + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4:end])
        if zlib.crc32(kind + body) != crc:
            return _damaged("PNG", header, f"corrupt ({kind.decode('latin-1')} chunk checksum)")
        if not header:
            if kind != b"IHDR" or length != 13:
                return ImageFacts("PNG", damage="corrupt (no IHDR header chunk first)")
            header = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        offset = end
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if colour not in _CHANNELS or width == 0 or height == 0:
        return ImageFacts("PNG", width, height, "corrupt (invalid IHDR header)")
    if width * height > MAX_PIXELS:
        return ImageFacts("PNG", width, height, f"too large ({width}x{height} pixels)")
    expected = height * (1 + (width * _CHANNELS[colour] * depth + 7) // 8)
    try:
        size, whole = _inflated_size(b"".join(idat), expected + 1)
    except zlib.error:
        return ImageFacts("PNG", width, height, "corrupt (its image data does not inflate)")
    if not whole or (interlace == 0 and size != expected):
        return ImageFacts("PNG", width, height, "corrupt (its image data is incomplete)")
    return ImageFacts("PNG", width, height)


def _inflated_size(data: bytes, limit: int) -> tuple[int, bool]:
    """How many bytes ``data`` inflates to (at most ``limit``), and whether the stream ends;
    inflated 1 MiB at a time and dropped, so memory stays bounded whatever the header says."""
    inflater = zlib.decompressobj()
    size, pending = 0, data
    while size < limit:
        size += len(inflater.decompress(pending, min(1 << 20, limit - size)))
        pending = inflater.unconsumed_tail
        if inflater.eof or not pending:
            break
    return size, inflater.eof


def _damaged(fmt: str, header: bytes, why: str) -> ImageFacts:
    width, height = struct.unpack(">II", header[:8]) if len(header) >= 8 else (0, 0)
    return ImageFacts(fmt, width, height, why)


# Start-of-frame markers carry the size; C4 (Huffman tables), C8 and CC are not frames.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg(data: bytes) -> ImageFacts:
    offset, width, height = 2, 0, 0
    while True:
        while offset < len(data) and data[offset] == 0xFF and offset + 1 < len(data) \
                and data[offset + 1] == 0xFF:
            offset += 1  # fill bytes before a marker
        if offset + 4 > len(data) or data[offset] != 0xFF:
            return ImageFacts("JPEG", width, height, "truncated or corrupt (bad segment)")
        marker = data[offset + 1]
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            offset += 2  # markers without a length
            continue
        (length,) = struct.unpack(">H", data[offset + 2:offset + 4])
        if length < 2 or offset + 2 + length > len(data):
            return ImageFacts("JPEG", width, height, "truncated (inside a header segment)")
        if marker in _SOF and length >= 7:
            height, width = struct.unpack(">HH", data[offset + 5:offset + 9])
        if marker == 0xDA:  # start of scan: entropy-coded data follows, up to the end marker
            break
        offset += 2 + length
    if not width or not height:
        return ImageFacts("JPEG", width, height, "corrupt (no frame header with its size)")
    # The end-of-image marker closes the file; some writers pad a few bytes after it.
    if b"\xff\xd9" not in data[-64:]:
        return ImageFacts("JPEG", width, height, "truncated (no end-of-image marker)")
    return ImageFacts("JPEG", width, height)
