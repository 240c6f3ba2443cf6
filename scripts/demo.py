"""`make demo`: a whole release on the built-in sandbox, no Oracle account needed.

Starts one sandbox (in-process, demo tenancy, a reviewer that approves quickly), builds one
release repository — an image listing and the stack listing that launches it — and runs
the real `ocmp` commands a publisher would run:

    ocmp init …                   twice: the image listing, then the stack wired to it
    ocmp validate .               both listings, offline
    ocmp publish . --private      image published; stack subscribed to the image it
                                  produced (the diff of oci_images.tf is shown), verified
                                  in Resource Manager, published
    ocmp status .
    ocmp publish . --private      again: nothing to do, 0 writes

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
        print(f"release repository: {root}", flush=True)
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
                "--image-listing",
                "Acme Demo App",
            ],
            ["validate", "."],
            ["publish", ".", "--private"],
            ["status", "."],
            ["publish", ".", "--private"],  # again: nothing to do
        ]
        for args in steps:
            print(f"\n$ ocmp {shlex.join(args)}", flush=True)
            if args[0] == "publish":
                sb.reset_stats()
            done = subprocess.run([str(BIN / "ocmp"), *args], cwd=root, env=env, check=False)
            if done.returncode != 0:
                print(f"demo stopped: `ocmp {args[0]}` exited {done.returncode}", file=sys.stderr)
                return done.returncode
            if args[0] == "publish":
                stats = sb.stats()
                print(f"(the sandbox served {stats['requests']} requests, "
                      f"{stats['writes']} of them writes)", flush=True)
    seconds = time.monotonic() - started
    print(f"\ndemo finished in {seconds:.1f} s; the repository is in {root}")
    print(
        "next: edit .demo/image-listing/listing.yaml (say, the tagline) and run "
        "`ocmp plan .` to see the change; `ocmp publish . --private --sandbox` rehearses "
        "on a fresh sandbox; `ocmp rules` lists every check; `make test` runs the suite."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
