"""Deterministic OCIDs for seeded and singleton resources."""

from __future__ import annotations

import hashlib


def stable_id(kind: str, *parts: str) -> str:
    """The same OCID for the same inputs, e.g. a tenancy's publisher account."""
    digest = hashlib.sha256("/".join(parts).encode()).hexdigest()[:24]
    return f"ocid1.{kind}.oc1..aaaaaaaa{digest}"
