"""Seeding: turn the seed YAML shape (see ``data/demo.yaml``) into sandbox documents.

A seed is merged: documents with the same id are replaced, others are kept.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import new_etag, now
from ocmp.sandbox.services.common import REGION_KEYS
from ocmp.sandbox.services.seed_ids import stable_id as _stable_id

DEMO_TENANCY = "ocid1.tenancy.oc1..aaaaaaaaocmpsandboxdemotenancy"
DEFAULT_REGION = "us-ashburn-1"


class SeedError(ValueError):
    """The seed data is not in the documented shape (``line`` when known, 1-based)."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def load_seed(seed: str | dict[str, Any] | Path | None) -> dict[str, Any]:
    """Resolve ``"demo"``, a dict, a YAML path or ``None`` into seed data."""
    if seed is None:
        return {}
    if isinstance(seed, dict):
        return seed
    if seed == "demo":
        text = resources.files("ocmp.sandbox.data").joinpath("demo.yaml").read_text("utf-8")
    else:
        try:
            text = Path(seed).read_text(encoding="utf-8")
        except OSError as exc:
            raise SeedError(f"{seed}: cannot read seed file ({exc.strerror})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
        raise SeedError(f"{seed}: not valid YAML: {exc.problem}", line=line) from exc
    except yaml.YAMLError as exc:
        raise SeedError(f"{seed}: not valid YAML ({exc})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SeedError(f"{seed}: a seed must be a mapping at the top level")
    return data


def _stamp(doc: Doc) -> Doc:
    stamp = now()
    doc.setdefault("timeCreated", stamp)
    doc["timeUpdated"] = stamp
    doc["_etag"] = new_etag()
    return doc


def tenancy_of(data: dict[str, Any]) -> str:
    """The tenancy a seed describes (the demo tenancy when it does not say)."""
    tenancy = data.get("tenancy") or {}
    return str(tenancy.get("id") or DEMO_TENANCY)


def apply_seed(store: Store, data: dict[str, Any]) -> str:
    """Merge seed data into the store; return the tenancy it seeded."""
    from ocmp.sandbox import seed_docs

    if not isinstance(data, dict):
        raise SeedError("a seed must be a mapping")
    tid = tenancy_of(data)
    tenancy = data.get("tenancy") or {}
    home = str(tenancy.get("home_region") or DEFAULT_REGION)
    with store.transaction():
        store.put(tid, "tenancy", {
            "id": tid, "name": tenancy.get("name", "sandbox"),
            "description": tenancy.get("description", "ocmp sandbox tenancy"),
            "homeRegionKey": REGION_KEYS.get(home, home.upper()),
            "upiIdcsCompatibilityLayerEndpoint": None, "freeformTags": {}, "definedTags": {},
            "_homeRegion": home})
        for section, handler in seed_docs.SECTIONS.items():
            if data.get(section) is None:
                continue
            try:
                handler(store, tid, data[section])
            except KeyError as exc:
                raise SeedError(f"{section}: an entry lacks the key {exc}") from exc
            except (TypeError, AttributeError, ValueError, IndexError) as exc:
                raise SeedError(f"{section}: not in the documented shape ({exc})") from exc
    return tid


__all__ = ["DEMO_TENANCY", "SeedError", "_stable_id", "_stamp", "apply_seed", "load_seed",
           "tenancy_of"]
