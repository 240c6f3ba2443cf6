"""Benchmark: check a publisher tenancy with `ocmp doctor` and with an oci-cli script.

Both run against the in-process sandbox (healthy demo tenancy, an image listing) with 50 ms
of latency per request. The script makes the same reads a publisher would script today,
one `oci` invocation per call, and only collects the data: it decides nothing (no policy
matching, no shape checks), so the comparison flatters it. Prints wall time, request counts
and the ratio, then ocmp's figures with `--select TEN001` (facts are read lazily).

Run: .venv/bin/python bench/doctor.py
"""

from __future__ import annotations

from _support import BIN, init_project, sandbox_env, scratch_dir, timed

from ocmp.sandbox import Sandbox

LATENCY = 0.05
IMAGE = "ocid1.image.oc1.iad.aaaaaaaaocmpdemoimage"

SCRIPT = r"""#!/usr/bin/env bash
set -euo pipefail
oci() { "$OCI" --endpoint "$ENDPOINT" "$@" >/dev/null; }
mp() { oci marketplace-publisher "$@"; }
oci iam region-subscription list --tenancy-id "$TENANCY"
oci iam policy list --compartment-id "$TENANCY" --all
oci iam compartment list --compartment-id "$TENANCY" --compartment-id-in-subtree true --all
mp publisher-collection list-publishers --compartment-id "$TENANCY"
mp supported-shape-collection list-supported-shapes --compartment-id "$TENANCY"
oci compute image get --image-id "$IMAGE"
oci compute image-shape-compatibility-entry list --image-id "$IMAGE"
mp term-collection list-terms --compartment-id "$TENANCY" --name "$TERMS"
mp listing-collection list-listings --compartment-id "$TENANCY" --name "$NAME"
"""


def main() -> None:
    """Run both, print the figures."""
    with scratch_dir() as work, Sandbox(latency=LATENCY) as sb:
        ocmp = str(BIN / "ocmp")
        init_project(work, "img", "image")
        env = sandbox_env(sb)
        sb.reset_stats()
        t_ocmp = timed([ocmp, "doctor", "img"], env, work)
        n_ocmp = sb.stats()["requests"]
        sb.reset_stats()
        t_one = timed([ocmp, "doctor", "img", "--select", "TEN001"], env, work)
        n_one = sb.stats()["requests"]
        script = work / "doctor.sh"
        script.write_text(SCRIPT)
        cli_env = {**env, "OCI": str(BIN / "oci"), "ENDPOINT": sb.endpoint,
                   "TENANCY": sb.tenancy_id, "IMAGE": IMAGE, "NAME": "Acme Demo App",
                   "TERMS": "Acme Demo App Terms of Use"}
        sb.reset_stats()
        t_cli = timed(["bash", str(script)], cli_env, work)
        n_cli = sb.stats()["requests"]
    print(f"latency per request        {LATENCY * 1000:.0f} ms")
    print(f"ocmp doctor (15 checks)    {t_ocmp:6.2f} s  {n_ocmp:3d} requests")
    print(f"oci-cli script (reads)     {t_cli:6.2f} s  {n_cli:3d} requests")
    print(f"ratio (script / ocmp)      {t_cli / t_ocmp:6.1f}x")
    print(f"ocmp doctor --select TEN001 {t_one:5.2f} s  {n_one:3d} requests")


if __name__ == "__main__":
    main()
