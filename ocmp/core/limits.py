"""Every size ocmp reads is bounded: the limits, in one place (README, "Limits").

The stack zip limits live with the zip reader (``ocmp.core.stack_files``), the download
limit with the clients (``ocmp.clients.wire.MAX_DOWNLOAD_BYTES``).

Each is far above what a real listing needs and far below what would exhaust a CI
machine; input beyond one is refused with a located error (exit 3) or an STK finding.
"""

from __future__ import annotations

MAX_TEXT_BYTES = 1024 * 1024  # listing.yaml, a description or terms file, .ocmpignore
MAX_ASSET_BYTES = 10 * 1024 * 1024  # an icon, banner, screenshot or terms document
MAX_IGNORE_PATTERNS = 1_000  # lines of .ocmpignore
MAX_TF_BYTES = 1024 * 1024  # one .tf / .tf.json file parsed (a real one is a few KB)
