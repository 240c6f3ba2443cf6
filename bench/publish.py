"""Benchmark: publish the same stack listing privately with ocmp and with an oci-cli script.

Both run against the in-process sandbox with 50 ms of latency added to every request
(roughly a round trip to an OCI region), starting from an empty tenancy each time. The
shell script does what publishers script today: one `oci` invocation per API call, with
`--wait-for-state` and polling loops. Prints wall time, request counts and the ratio,
then the request count of a no-op re-publish with ocmp.

Then the two-listing release (an image listing and the stack that launches it), against an
oci-cli script doing the same steps (including reading the published image's ids and
editing oci_images.tf) and against the critical path the API allows.

Run: .venv/bin/python bench/publish.py [--release]   (--release: only the release)
"""

from __future__ import annotations

import shutil
import subprocess

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




# -- the two-listing release: an image listing and the stack that launches it --------------

RELEASE_SCRIPT = r"""#!/usr/bin/env bash
# The same release with the oci-cli: the image listing, then look up what its publication
# produced, edit oci_images.tf, then the stack listing. One `oci` call per API call.
set -euo pipefail
oci() { "$OCI" --endpoint "$ENDPOINT" "$@"; }
q() { oci "$@" --raw-output; }
T="$TENANCY"
cd "$REPO"
wait_status() {  # $1 = command printing a status, $2 = wanted
  until [ "$(eval "$1")" = "$2" ]; do sleep 1; done
}
term() {  # $1 = name, $2 = document → prints the term id
  local t tv
  t=$(q marketplace-publisher term create -c "$T" --name "$1" --query data.id)
  tv=$(q marketplace-publisher term-version create --term-id "$t" --display-name v1 \
    --create-term-version-content "$(cat "$2")" --query data.id)
  oci marketplace-publisher term-version activate --term-version-id "$tv" >/dev/null
  echo "$t"
}
listing() {  # $1 = name, $2 = package type, $3 = artifact, $4 = term → publishes privately
  local lst rev
  lst=$(q marketplace-publisher listing create -c "$T" --name "$1" \
    --listing-type OCI_APPLICATION --package-type "$2" --query data.id)
  rev=$(q marketplace-publisher listing-revision \
    create-listing-revision-create-oci-listing-revision-details --listing-id "$lst" \
    --headline "$1 headline" --pricing-type FREE --term-id "$4" \
    --short-description "$1 for the benchmark" --keywords "demo" \
    --products '[{"code": "applications", "categories": ["DEVELOPER_TOOLS"]}]' \
    --version-details '{"number": "1.0.0", "description": "First release",
                        "releaseDate": "2026-11-24"}' \
    --support-contacts '[{"name": "Support", "email": "support@acme.example"}]' \
    --content-language '{"code": "en", "name": "English"}' --query data.id)
  PKG=$(q marketplace-publisher listing-revision-package create --listing-revision-id "$rev" \
    --package-version 1.0.0 --artifact-id "$3" --term-id "$4" \
    --are-security-upgrades-provided true --is-default true --query data.id)
  oci marketplace-publisher listing-revision submit-listing-revision-for-review \
    --listing-revision-id "$rev" --note-details "Benchmark" >/dev/null
  wait_status "q marketplace-publisher listing-revision get --listing-revision-id $rev \
    --query data.status" APPROVED
  oci marketplace-publisher listing-revision publish-listing-revision-as-private \
    --listing-revision-id "$rev" --wait-for-state SUCCEEDED --wait-interval-seconds 1 >/dev/null
  LISTING=$lst
}
# 1. the image listing
TI=$(term "Acme Demo App Terms" img/terms/eula.md)
AI=$(q marketplace-publisher artifact create-artifact-create-machine-image-artifact-details \
  -c "$T" --display-name "Acme Demo App 1.0.0" --machine-image "{\"sourceImageId\": \"$IMAGE\",
  \"username\": \"opc\", \"isSnapshotAllowed\": false, \"imageShapeCompatibilityEntries\":
  [{\"shape\": \"VM.Standard.E4.Flex\", \"ocpuConstraints\": {\"min\": 1, \"max\": 64},
  \"memoryConstraints\": {\"minInGBs\": 1, \"maxInGBs\": 1024}}]}" \
  --wait-for-state SUCCEEDED --wait-interval-seconds 1 --query 'data.resources[0].identifier')
wait_status "q marketplace-publisher artifact get --artifact-id $AI --query data.status" AVAILABLE
listing "Acme Demo App" MACHINE_IMAGE "$AI" "$TI"
IMAGE_LISTING=$LISTING
# 2. what its publication produced, into oci_images.tf
DETAILS=$(oci marketplace-publisher listing-revision-package get \
  --listing-revision-package-id "$PKG" --query 'data."machine-image-details"')
field() { python3 -c "import json, sys; print(json.load(sys.stdin)['$1'])"; }
CATALOG=$(echo "$DETAILS" | field compute-app-catalog-id)
MPIMAGE=$(echo "$DETAILS" | field compute-image-id)
VERSION=$(echo "$DETAILS" | field compute-package-version)
sed -i -e "s|ocid1.appcataloglisting.oc1..aaaaaaaaocmpdemolisting|$CATALOG|" \
  -e "s|ocid1.image.oc1..aaaaaaaaocmpdemomarketplaceimage|$MPIMAGE|g" \
  -e "s|default = \"1.0.0\"|default = \"$VERSION\"|" stk/terraform/oci_images.tf
# 3. the stack: Resource Manager, a PLAN job, the artifact, the listing
(cd stk/terraform && zip -qr -X ../stack.zip .)
STACK=$(q resource-manager stack create -c "$T" --config-source stk/stack.zip \
  --display-name "Acme Demo Stack 1.0.0" --wait-for-state ACTIVE --query data.id)
oci resource-manager job create-plan-job --stack-id "$STACK" --wait-for-state SUCCEEDED \
  --wait-interval-seconds 1 >/dev/null
TS=$(term "Acme Demo Stack Terms" stk/terms/eula.md)
AS=$(q marketplace-publisher artifact create-artifact-create-stack-artifact-details -c "$T" \
  --display-name "Acme Demo Stack 1.0.0" \
  --stack "{\"sourceStackId\": \"$STACK\", \"imageListingIds\": [\"$IMAGE_LISTING\"]}" \
  --wait-for-state SUCCEEDED --wait-interval-seconds 1 --query 'data.resources[0].identifier')
wait_status "q marketplace-publisher artifact get --artifact-id $AS --query data.status" AVAILABLE
listing "Acme Demo Stack" STACK "$AS" "$TS"
echo "published $LISTING"
"""


def critical_path(sb: Sandbox) -> tuple[int, str]:
    """The fewest dependent round trips the API allows for the release, with the sandbox's polls.

    Everything independent (terms, the listings and their revisions, uploads) is assumed to
    overlap the longest chain; only requests that must wait for the previous answer count.
    """
    settings = sb.controls.settings()
    w = int(settings["work_request_polls"])  # GETs until a work request has SUCCEEDED
    r = int(settings["reviewer"]["after_polls"])  # GETs until the reviewer has decided
    j = 2  # Resource Manager job: ACCEPTED → IN_PROGRESS → final, one step per GET
    image = (1 + w + 1) + 1 + 1 + r + (1 + w) + 1  # artifact+WR+get, package, submit,
    #   review, publish+WR, read machineImageDetails
    stack = 1 + 1 + (1 + j) + (1 + w + 1) + 1 + 1 + r + (1 + w)  # RM stack create + read,
    #   PLAN job + polls, artifact + WR + get, package, submit, review, publish + WR
    return image + stack, f"image {image} + stack {stack} (WR {w} polls, review {r}, job {j})"


def release() -> None:
    """ocmp publish . --private of a two-listing repository, against the script and the path."""
    with scratch_dir() as work, Sandbox(latency=LATENCY, review_after_polls=2) as sb:
        ocmp = [str(BIN / "ocmp")]
        repo = work / "repo"
        repo.mkdir()
        init_project(repo, "img", "image")
        subprocess.run([*ocmp, "init", "stk", "--kind", "stack", "--non-interactive",
                        "--name", "Acme Demo Stack", "--image-listing", "Acme Demo App"],
                       cwd=repo, check=True, capture_output=True)
        pristine = work / "pristine"
        shutil.copytree(repo, pristine)
        env = sandbox_env(sb)
        t_start = min(timed([*ocmp, "validate", "."], env, repo) for _ in range(3))
        sb.reset_stats()
        t_ocmp = timed([*ocmp, "publish", ".", "--private"], env, repo)
        n_ocmp = sb.stats()["requests"]
        sb.reset_stats()
        t_noop = timed([*ocmp, "publish", ".", "--private"], env, repo)
        n_noop, w_noop = sb.stats()["requests"], sb.stats()["writes"]
        trips, detail = critical_path(sb)
        sb.reset()
        sb.reset_stats()
        shutil.rmtree(repo)
        shutil.copytree(pristine, repo)
        script = work / "release.sh"
        script.write_text(RELEASE_SCRIPT)
        cli_env = {**sandbox_env(sb), "OCI": str(BIN / "oci"), "ENDPOINT": sb.endpoint,
                   "TENANCY": sb.tenancy_id, "REPO": str(repo),
                   "IMAGE": "ocid1.image.oc1.iad.aaaaaaaaocmpdemoimage"}
        t_cli = timed(["bash", str(script)], cli_env, work)
        n_cli = sb.stats()["requests"]
    path = trips * LATENCY + t_start
    print("\nrelease: image listing + the stack that launches it, both privately published")
    print(f"ocmp publish . --private   {t_ocmp:6.1f} s  {n_ocmp:4d} requests")
    print(f"oci-cli script             {t_cli:6.1f} s  {n_cli:4d} requests")
    print(f"critical path              {path:6.1f} s  {trips} dependent round trips × "
          f"{LATENCY * 1000:.0f} ms + ocmp start-up {t_start:.2f} s ({detail})")
    print(f"ratio script / ocmp        {t_cli / t_ocmp:6.1f}x   (target ≥ 8x)")
    print(f"ratio ocmp / critical path {t_ocmp / path:6.1f}x   (target ≤ 2.5x)")
    print(f"no-op re-publish           {t_noop:6.1f} s  {n_noop:4d} requests, {w_noop} writes")


if __name__ == "__main__":
    import sys

    if "--release" not in sys.argv:
        main()
    release()
