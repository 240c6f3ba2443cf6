"""Benchmark: publish the same stack listing privately with ocmp and with an oci-cli script.

Both run against the in-process sandbox with 50 ms of latency added to every request
(roughly a round trip to an OCI region), starting from an empty tenancy each time. The
shell script does what publishers script today: one `oci` invocation per API call, with
`--wait-for-state` and polling loops. Prints wall time, request counts and the ratio,
then the request count of a no-op re-publish with ocmp.

Run: .venv/bin/python bench/publish.py
"""

from __future__ import annotations

from _support import BIN, init_project, sandbox_env, scratch_dir, timed

from ocmp.sandbox import Sandbox

LATENCY = 0.05

SCRIPT = r"""#!/usr/bin/env bash
# Publish a stack listing privately, step by step, with the oci-cli.
set -euo pipefail
oci() { "$OCI" --endpoint "$ENDPOINT" "$@"; }
T="$TENANCY"
cd "$PROJECT"
(cd terraform && zip -qr -X ../stack.zip .)
STACK=$(oci resource-manager stack create -c "$T" --config-source stack.zip \
  --display-name "$NAME 1.0.0" --wait-for-state ACTIVE --query data.id --raw-output)
TERM=$(oci marketplace-publisher term create -c "$T" --name "$NAME Terms" \
  --query data.id --raw-output)
TV=$(oci marketplace-publisher term-version create --term-id "$TERM" --display-name v1 \
  --create-term-version-content "$(cat terms/eula.md)" --query data.id --raw-output)
oci marketplace-publisher term-version activate --term-version-id "$TV" >/dev/null
ART=$(oci marketplace-publisher artifact create-artifact-create-stack-artifact-details -c "$T" \
  --display-name "$NAME 1.0.0" --stack "{\"sourceStackId\": \"$STACK\"}" \
  --wait-for-state SUCCEEDED --wait-interval-seconds 1 \
  --query 'data.resources[0].identifier' --raw-output)
until [ "$(oci marketplace-publisher artifact get --artifact-id "$ART" --query data.status \
  --raw-output)" = AVAILABLE ]; do sleep 1; done
LST=$(oci marketplace-publisher listing create -c "$T" --name "$NAME" \
  --listing-type OCI_APPLICATION --package-type STACK --query data.id --raw-output)
REV=$(oci marketplace-publisher listing-revision \
  create-listing-revision-create-oci-listing-revision-details --listing-id "$LST" \
  --headline "$HEADLINE" --pricing-type FREE --term-id "$TERM" \
  --short-description "$SHORT" --keywords "$KEYWORDS" \
  --products '[{"code": "applications", "categories": ["DEVELOPER_TOOLS"]}]' \
  --version-details '{"number": "1.0.0", "description": "First release",
                      "releaseDate": "2026-11-24"}' \
  --support-contacts '[{"name": "Support", "email": "support@acme.example"}]' \
  --content-language '{"code": "en", "name": "English"}' --query data.id --raw-output)
oci marketplace-publisher listing-revision-package create --listing-revision-id "$REV" \
  --package-version 1.0.0 --artifact-id "$ART" --term-id "$TERM" \
  --are-security-upgrades-provided true --is-default true >/dev/null
oci marketplace-publisher listing-revision submit-listing-revision-for-review \
  --listing-revision-id "$REV" --note-details "Benchmark" >/dev/null
until [ "$(oci marketplace-publisher listing-revision get --listing-revision-id "$REV" \
  --query data.status --raw-output)" = APPROVED ]; do sleep 1; done
oci marketplace-publisher listing-revision publish-listing-revision-as-private \
  --listing-revision-id "$REV" --wait-for-state SUCCEEDED --wait-interval-seconds 1 >/dev/null
echo "published $REV"
"""


def main() -> None:
    """Run both, print the figures."""
    with scratch_dir() as work, Sandbox(latency=LATENCY, review_after_polls=2) as sb:
        ocmp = [str(BIN / "ocmp")]
        project = init_project(work, "stack", "stack")
        # ocmp, from an empty tenancy to a privately published listing
        sb.reset_stats()
        env = sandbox_env(sb)  # ocmp polls on its default schedule
        t_ocmp = timed([*ocmp, "publish", "stack", "--private"], env, work)
        n_ocmp = sb.stats()["requests"]
        # a no-op re-publish
        sb.reset_stats()
        t_noop = timed([*ocmp, "publish", "stack", "--private"], env, work)
        n_noop, w_noop = sb.stats()["requests"], sb.stats()["writes"]
        # the oci-cli script, on a fresh tenancy
        sb.reset()
        sb.reset_stats()
        script = work / "publish.sh"
        script.write_text(SCRIPT)
        cli_env = {
            **sandbox_env(sb),
            "OCI": str(BIN / "oci"),
            "ENDPOINT": sb.endpoint,
            "TENANCY": sb.tenancy_id,
            "PROJECT": str(project),
            "NAME": "Acme Demo Stack",
            "HEADLINE": "A demo stack",
            "SHORT": "A demo stack listing",
            "KEYWORDS": "demo,stack",
        }
        t_cli = timed(["bash", str(script)], cli_env, work)
        n_cli = sb.stats()["requests"]
    print(f"latency per request     {LATENCY * 1000:.0f} ms")
    print(f"ocmp publish --private  {t_ocmp:6.1f} s  {n_ocmp:4d} requests")
    print(f"oci-cli script          {t_cli:6.1f} s  {n_cli:4d} requests")
    print(f"ratio (script / ocmp)   {t_cli / t_ocmp:6.1f}x")
    print(f"no-op re-publish        {t_noop:6.1f} s  {n_noop:4d} requests, {w_noop} writes")


if __name__ == "__main__":
    main()
