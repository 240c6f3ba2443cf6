"""`make demo`: the whole publishing flow on the built-in sandbox, no Oracle account needed.

Starts one sandbox (in-process, demo tenancy, a reviewer that approves quickly) for the
whole demo, then runs the real `ocmp` commands a publisher would run — init, validate,
publish --private, status — for an image listing and a stack listing that launches it.
Every command is shown before it runs; its output goes straight to the terminal.

Usage: python scripts/demo.py [DIR]   (default: .demo)
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ocmp.sandbox import Sandbox

BIN = Path(sys.executable).parent


def main() -> int:
    """Run the demo; returns the exit code."""
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".demo").resolve()
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    started = time.monotonic()
    with Sandbox(review_after_polls=2) as sb:
        env = {
            **os.environ,
            "OCMP_ENDPOINT": sb.endpoint,
            "OCI_CLI_CONFIG_FILE": str(sb.config_file),
            "OCI_CLI_PROFILE": sb.profile,
            "OCMP_POLL_INTERVAL": "0.2",  # the sandbox answers at once; Oracle would take hours
        }
        print(f"sandbox: {sb.endpoint} (demo tenancy {sb.tenancy_id})", flush=True)
        steps = [
            ["init", "image-listing", "--kind", "image", "--non-interactive"],
            [
                "init",
                "stack-listing",
                "--kind",
                "stack",
                "--non-interactive",
                "--name",
                "Acme Demo Stack",
            ],
            ["validate", "image-listing", "stack-listing"],
            ["publish", "image-listing", "--private"],
            ["publish", "stack-listing", "--private"],
            ["status", "image-listing"],
            ["status", "stack-listing"],
            ["publish", "stack-listing", "--private"],  # again: nothing to do
        ]
        for args in steps:
            if args[0] == "validate":  # the stack launches the image listing published first
                listing = root / "stack-listing" / "listing.yaml"
                listing.write_text(
                    listing.read_text().replace(
                        "image_listings: []", 'image_listings: ["Acme Demo App"]'
                    )
                )
            print(f"\n$ ocmp {shlex.join(args)}", flush=True)
            done = subprocess.run([str(BIN / "ocmp"), *args], cwd=root, env=env, check=False)
            if done.returncode != 0:
                print(f"demo stopped: `ocmp {args[0]}` exited {done.returncode}", file=sys.stderr)
                return done.returncode
    print(f"\ndemo finished in {time.monotonic() - started:.1f} s; projects in {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
