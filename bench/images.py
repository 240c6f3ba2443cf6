"""ocmp's own PNG/JPEG reader against Pillow, on the images of a listing.

Each figure is the median of RUNS fresh processes (default 7), so an import is paid once per
run as `ocmp validate` pays it, after the modules validate imports anyway: the import of the
reader (or of Pillow) plus reading an icon (512x512 PNG), a banner (1600x400 PNG) and three
screenshots (1920x1080 JPEG) whole. Prints the two medians and their ratio.

Usage: ``.venv/bin/python bench/images.py [RUNS]``
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

# Both start after what `ocmp validate` has imported anyway (ocmp.core, pydantic, yaml).
PRELUDE = "import ocmp.core.project, ocmp.core.listing_file, ocmp.core.limits\n"
OURS = PRELUDE + """
import sys, time
t = time.perf_counter()
from ocmp.core.image_files import read_image
for p in sys.argv[1:]:
    facts = read_image(__import__("pathlib").Path(p))
    assert facts.format and facts.damage is None, (p, facts)
print(time.perf_counter() - t)
"""
PILLOW = PRELUDE + """
import sys, time
t = time.perf_counter()
from PIL import Image
for p in sys.argv[1:]:
    with Image.open(p) as img:
        img.load()  # decoded whole, as a check for truncation needs
print(time.perf_counter() - t)
"""


def make(folder: Path) -> list[str]:
    """Realistic images: gradients compress like artwork, not like a flat colour."""
    from PIL import Image

    def gradient(size: tuple[int, int]) -> Image.Image:
        grey = Image.linear_gradient("L").resize(size)
        return Image.merge("RGB", (grey, grey.transpose(Image.Transpose.FLIP_LEFT_RIGHT), grey))

    paths = []
    for name, size, fmt in (("icon.png", (512, 512), "PNG"), ("banner.png", (1600, 400), "PNG"),
                            *((f"shot{i}.jpg", (1920, 1080), "JPEG") for i in range(3))):
        path = folder / name
        gradient(size).save(path, format=fmt)
        paths.append(str(path))
    return paths


def median(code: str, paths: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code, *paths], capture_output=True,
                             text=True, check=True)
        times.append(float(out.stdout))
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as tmp:
        paths = make(Path(tmp))
        ours = median(OURS, paths, runs)
        pillow = median(PILLOW, paths, runs)
    print(f"ocmp reader (import + 5 images): {ours * 1000:.1f} ms")
    print(f"Pillow (import + 5 images):      {pillow * 1000:.1f} ms")
    print(f"ratio ocmp/Pillow:               {ours / pillow:.2f}")


if __name__ == "__main__":
    main()
