"""Seeding: turn the seed YAML shape (see ``data/demo.yaml``) into sandbox documents.

A seed is merged: documents with the same id are replaced, others are kept. Each section is
written by a function of the module named for the emulated service it fills; seeds build on
the services' documents, services never read seeds.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ocmp.sandbox.core.store import Store
from ocmp.sandbox.seed import compute, identity, publisher, resource_manager

SECTIONS: dict[str, Callable[[Store, str, Any], None]] = {
    "region_subscriptions": identity.region_subscriptions,
    "compartments": identity.compartments,
    "policies": identity.policies,
    "publisher": publisher.publisher,
    "images": compute.images,
    "supported_shapes": compute.supported_shapes,
    "products": publisher.products,
    "markets": publisher.markets,
    "app_catalog": compute.app_catalog,
    "terms": publisher.terms,
    "listings": publisher.listings,
    "stacks": resource_manager.stacks,
    "leads": publisher.leads,
    "customer_instances": publisher.customer_instances,
    "disbursements": publisher.disbursements,
}
"""Seed sections in the order they are applied (listings need the publisher, and so on)."""

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


def tenancy_of(data: dict[str, Any]) -> str:
    """The tenancy a seed describes (the demo tenancy when it does not say)."""
    tenancy = data.get("tenancy") or {}
    return str(tenancy.get("id") or DEMO_TENANCY)


def apply_seed(store: Store, data: dict[str, Any]) -> str:
    """Merge seed data into the store; return the tenancy it seeded."""
    if not isinstance(data, dict):
        raise SeedError("a seed must be a mapping")
    tid = tenancy_of(data)
    tenancy = data.get("tenancy") or {}
    home = str(tenancy.get("home_region") or DEFAULT_REGION)
    with store.transaction():
        identity.tenancy(store, tid, tenancy, home)
        for section, handler in SECTIONS.items():
            if data.get(section) is None:
                continue
            try:
                handler(store, tid, data[section])
            except KeyError as exc:
                raise SeedError(f"{section}: an entry lacks the key {exc}") from exc
            except (TypeError, AttributeError, ValueError, IndexError) as exc:
                raise SeedError(f"{section}: not in the documented shape ({exc})") from exc
    return tid


__all__ = ["DEFAULT_REGION", "DEMO_TENANCY", "SECTIONS", "SeedError", "apply_seed", "load_seed",
           "tenancy_of"]
