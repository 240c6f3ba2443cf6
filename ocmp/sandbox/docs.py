"""Generate ``docs/sandbox.md`` from the route table (``python -m ocmp.sandbox.docs --write``).

The emulated-operations tables come from the registered routes, so the page cannot drift
from the code; ``tests/sandbox/test_docs.py`` regenerates it and compares.
"""

from __future__ import annotations

import re
import sys
from importlib import resources
from pathlib import Path

from ocmp.sandbox.services.index import tables

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "sandbox.md"

_INTRO = (resources.files("ocmp.sandbox.data") / "docs_intro.md").read_text("utf-8")

DEVIATIONS = [
    "Work requests, reviews, stack creation and Resource Manager jobs progress per poll "
    "(GET), never with wall-clock time.",
    "A failed artifact validation also FAILS the CREATE_ARTIFACT/UPDATE_ARTIFACT work request "
    "(the real service may report it on the artifact only).",
    "Only MACHINE_IMAGE and STACK artifacts and OCI_APPLICATION revisions are emulated; "
    "CONTAINER_IMAGE/HELM_CHART artifacts and LEAD_GENERATION/SERVICE revisions answer 400.",
    "A new term version is INACTIVE until `actions/Activate`; submitting a revision needs each "
    "package's term to have an ACTIVE version.",
    "`publish`/`publishAsPrivate` are accepted from APPROVED and UNPUBLISHED.",
    "`changeToNewStatus` is accepted from PENDING_REVIEW, REVIEW_IN_PROGRESS, APPROVED, "
    "REJECTED and the *_FAILED states.",
    "One endpoint serves every region; an image's region is an attribute used by validation.",
    "OCIDs are invented (`ocid1.mktpublisting.oc1.iad.…`); clients must not parse them. "
    "Consumer listing ids are numeric strings.",
    "Compute lists only seeded and published images (no Oracle platform images); "
    "`availabilityDomain` and Identity's `accessLevel` are ignored.",
    "Resource Manager accepts ZIP_UPLOAD config sources only, parses Terraform but never runs "
    "it; plan/apply report one change per `resource` block; the tfState is a stub. Of the "
    "provider's look-ups only the App Catalog ones are checked (listing, resource version, "
    "agreement, subscription), and only for values known without running Terraform.",
    "Policy statements are only checked to start with allow/define/endorse/admit.",
    "Signatures are rsa-sha256 only. API keys and session tokens the sandbox issued verify; "
    "the token exchange instance and resource principals make with the auth service is not "
    "emulated (issue their session token with `add_session_token`).",
    "Leads, customer instances and disbursements exist only as seeded or as a publication "
    "generates them (two leads, one RUNNING instance per package, one disbursement); report "
    "exports are CSV with the record fields as header; support docs are three fixed text "
    "documents.",
    "Resource Manager's CreateStack answers `opc-work-request-id`; GET of that work request "
    "follows the stack's lifecycleState and carries no `operationType` (the SDK's enum has "
    "none for a stack's creation). Other Resource Manager work request operations answer 501.",
    "Unpublishing the default package of a revision is refused with 409 `Conflict`.",
    "Timestamps have millisecond precision; page tokens are `p<offset>`.",
    "The App Catalog agreement signature is a deterministic hash of listing and version.",
    "Every GET of a revision under review counts as a reviewer poll, including the reads the "
    "sandbox does itself while serving a PUT or an action on that revision.",
    "`POST /publishers` creates a NEW publisher; only a seed can make one APPROVED. Creating "
    "terms, artifacts and listings needs an APPROVED publisher (else 409 `Conflict`).",
    "Creates answer 200 with the resource and `etag`; synchronous deletes answer 204; "
    "deleting a listing that has revisions, or a revision that has packages, is refused with "
    "409 `Conflict` (use `cascadingDelete`).",
    "Publishing privately copies the replicated image and its App Catalog entry into each "
    "allowed tenancy, so their Compute clients can read them.",
    "A reused `opc-retry-token` with a different request answers 409 `InvalidatedRetryToken`.",
]


def _path(rule: str) -> str:
    return re.sub(r"<(\w+)>", r"{\1}", rule)


def render() -> str:
    """The full text of ``docs/sandbox.md``."""
    parts = [_INTRO, "\n## Emulated operations\n"]
    for table in tables():
        count = len(table.routes)
        parts.append(f"\n### {table.service} (`{table.prefix}`, {count} operations)\n\n"
                     "| Operation | Method | Path | Notes |\n|---|---|---|---|\n")
        for route in table.routes:
            notes = route.notes.replace("|", "\\|")
            parts.append(f"| {route.operation} | {route.method} | "
                         f"`{_path(route.path)}` | {notes} |\n")
    parts.append("\n## Known deviations from the real services\n\n")
    parts.extend(f"- {item}\n" for item in DEVIATIONS)
    return "".join(parts)


def main(argv: list[str]) -> int:
    """``--write`` updates the file; ``--check`` exits 1 when it is stale; else print."""
    text = render()
    if "--write" in argv:
        tmp = DOC_PATH.with_suffix(".md.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(DOC_PATH)
        return 0
    if "--check" in argv:
        current = DOC_PATH.read_text(encoding="utf-8") if DOC_PATH.exists() else ""
        return 0 if current == text else 1
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
