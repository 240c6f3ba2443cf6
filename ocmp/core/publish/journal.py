"""The per-listing journal: what a run must not do twice, and a record of what it did.

Kept in ``.ocmp/state/<listing>.json`` beside listing.yaml and rewritten atomically
(temp file + ``os.replace``, durable) whenever it changes. What it holds, and who reads it:

* ``work_requests`` — step → the work request a run started. This is what drives
  resumption: a re-run polls the journaled work request instead of issuing the operation
  again (one that the service no longer knows is dropped and found by name instead).
* ``hashes`` — ``verified_zip``: the stack zip whose ``--verify`` PLAN passed, so a re-run
  with nothing changed plans nothing.
* ``ids`` — role → the OCID a run confirmed (listing, revision, artifact, stack, …): a
  record for ``ocmp doctor`` (the stacks a listing refers to) and for people. A publish run
  never trusts it: every resource is found again by name (or by the hash its name
  carries), so a lost or stale journal never leads to a duplicate.
* ``completed`` — the steps the last run confirmed, in order: a record of how far it got
  (what a crash left), not a list of steps to skip; each step reads the live state anyway.

Journals of another tenancy or endpoint (``scope``) are ignored: their OCIDs mean nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ocmp.core.files import read_bytes_bounded, write_file_atomic
from ocmp.core.limits import MAX_TEXT_BYTES
from ocmp.errors import InputError

JOURNAL_VERSION = 1


def journal_scope(tenancy_id: str, endpoint: str | None) -> str:
    """Where a journal's OCIDs live: the tenancy, and the endpoint when it is not Oracle's."""
    return f"{tenancy_id} {endpoint}" if endpoint else tenancy_id


def same_scope(data: dict[str, Any], scope: str) -> bool:
    """Whether a journal document was written for ``scope``.

    OCIDs from a ``--sandbox`` rehearsal, another sandbox or another tenancy mean nothing
    here: such a journal is ignored (it is only a cache). Journals written before scopes
    were recorded are taken as they are.
    """
    stored = data.get("scope")
    return not scope or not isinstance(stored, str) or stored == scope


def slug(name: str) -> str:
    """A file-system-safe form of a listing name."""
    text = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()
    return text or "listing"


@dataclass
class Journal:
    """What one listing's runs remember between them (see the module docstring)."""

    path: Path
    ids: dict[str, str] = field(default_factory=dict)  # role → OCID (listing, revision, …)
    work_requests: dict[str, str] = field(default_factory=dict)  # step → work request id
    hashes: dict[str, str] = field(default_factory=dict)  # what → content hash
    completed: list[str] = field(default_factory=list)  # steps confirmed in the last run
    scope: str = ""  # journal_scope() of the tenancy and endpoint the ids belong to

    @classmethod
    def for_listing(cls, project_root: Path, listing_name: str, scope: str = "") -> Journal:
        """The journal of ``listing_name``, loaded when it exists (empty when unreadable
        or written for another ``scope``)."""
        path = project_root / ".ocmp" / "state" / f"{slug(listing_name)}.json"
        journal = cls(path, scope=scope)
        try:
            data = json.loads(read_bytes_bounded(path, str(path), limit=MAX_TEXT_BYTES))
        except (InputError, ValueError):
            return journal  # missing or corrupt: the live state is the truth anyway
        if not isinstance(data, dict) or data.get("version") != JOURNAL_VERSION:
            return journal
        if not same_scope(data, scope):
            return journal
        journal.ids = _str_dict(data.get("ids"))
        journal.work_requests = _str_dict(data.get("work_requests"))
        journal.hashes = _str_dict(data.get("hashes"))
        steps = data.get("completed")
        journal.completed = (
            [s for s in steps if isinstance(s, str)] if isinstance(steps, list) else []
        )
        return journal

    def to_dict(self) -> dict[str, Any]:
        """The JSON document written to disk."""
        scope = {"scope": self.scope} if self.scope else {}
        return {
            "version": JOURNAL_VERSION,
            **scope,
            "ids": dict(sorted(self.ids.items())),
            "work_requests": dict(sorted(self.work_requests.items())),
            "hashes": dict(sorted(self.hashes.items())),
            "completed": list(self.completed),
        }

    @property
    def project_root(self) -> Path:
        """The project the journal belongs to (``<root>/.ocmp/state/<listing>.json``)."""
        return self.path.parent.parent.parent

    def save(self) -> None:
        """Write atomically and durably: a crash leaves either the old or the new journal."""
        text = json.dumps(self.to_dict(), indent=2) + "\n"
        write_file_atomic(self.path, text, project_root=self.project_root, durable=True)

    def remember(self, role: str, ocid: str) -> None:
        """Record an OCID and save."""
        self.ids[role] = ocid
        self.save()

    def forget(self, role: str) -> None:
        """Drop an OCID the live state no longer confirms."""
        if self.ids.pop(role, None) is not None:
            self.save()

    def start_work_request(self, step: str, work_request_id: str) -> None:
        """Record a work request in flight, so a re-run polls it instead of re-issuing."""
        self.work_requests[step] = work_request_id
        self.save()

    def finish_work_request(self, step: str) -> None:
        """The work request of ``step`` has ended."""
        if self.work_requests.pop(step, None) is not None:
            self.save()

    def step_done(self, step: str) -> None:
        """Record that ``step`` was confirmed."""
        if step not in self.completed:
            self.completed.append(step)
        self.save()


def _str_dict(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}
