"""Identity's state and behaviour: the tenancy, its region subscriptions, compartments and
policies. No HTTP here (that is :mod:`.responses`). Users, groups, dynamic groups and tags
are not emulated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ocmp.sandbox.core.errors import ApiError, invalid, not_found
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import new_id, touch
from ocmp.sandbox.services.common import REGION_KEYS

PREFIX = "/20160918"
POLICY_VERBS = ("allow", "define", "endorse", "admit")


def statements(value: object) -> list[str]:
    """Policy statements as Identity accepts them (only the first word is checked)."""
    if not isinstance(value, list) or not value or not all(isinstance(s, str) for s in value):
        raise invalid("statements must be a non-empty list of strings")
    for statement in value:
        if not statement.strip().lower().startswith(POLICY_VERBS):
            raise invalid(f"Policy statement cannot be parsed: {statement!r}")
    return list(value)


@dataclass(frozen=True)
class NewCompartment:
    """A CreateCompartment."""

    parent: str
    name: str
    description: str
    freeform_tags: dict[str, Any] = field(default_factory=dict)
    defined_tags: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NewPolicy:
    """A CreatePolicy (statements already checked by :func:`statements`)."""

    compartment: str
    name: str
    statements: list[str]
    description: str
    version_date: str | None = None
    freeform_tags: dict[str, Any] = field(default_factory=dict)
    defined_tags: dict[str, Any] = field(default_factory=dict)


class Identity:
    """Identity as one tenancy sees it (moto's per-service backend).

    Args:
        store: The sandbox's documents.
        tenancy: The caller's tenancy; another tenancy's id answers 404.
    """

    def __init__(self, store: Store, tenancy: str) -> None:
        self.store = store
        self.tenancy = tenancy

    def tenancy_doc(self, tenancy_id: str) -> Doc:
        """The caller's own tenancy."""
        doc = self.store.get(self.tenancy, "tenancy", tenancy_id)
        if doc is None or tenancy_id != self.tenancy:
            raise not_found("tenancy", tenancy_id)
        return doc

    def region_subscriptions(self, tenancy_id: str) -> list[Doc]:
        """The regions the tenancy subscribes to."""
        self.tenancy_doc(tenancy_id)
        return self.store.list(self.tenancy, "regionSubscription")

    @staticmethod
    def regions() -> list[dict[str, str]]:
        """Every region the sandbox knows, by name."""
        return [{"key": key, "name": name} for name, key in sorted(REGION_KEYS.items())]

    # -- compartments ---------------------------------------------------------------------
    def compartments(self, parent: str, *, subtree: bool, name: str | None,
                     state: str | None) -> list[Doc]:
        """Compartments under ``parent`` (anywhere in the tenancy with ``subtree``)."""
        return [d for d in self.store.list(self.tenancy, "compartment")
                if (subtree or d["compartmentId"] == parent)
                and (name is None or d["name"] == name)
                and (state is None or d["lifecycleState"] == state)]

    def compartment(self, compartment_id: str) -> Doc:
        """One compartment."""
        doc = self.store.get(self.tenancy, "compartment", compartment_id)
        if doc is None:
            raise not_found("compartment", compartment_id)
        return doc

    def create_compartment(self, new: NewCompartment) -> Doc:
        """An ACTIVE compartment (409 when the parent has one of that name)."""
        if any(d["name"] == new.name and d["compartmentId"] == new.parent
               for d in self.store.list(self.tenancy, "compartment")):
            raise ApiError(409, "CompartmentAlreadyExists",
                           f"A compartment named {new.name} already exists here")
        doc = touch({"id": new_id("compartment", ""), "compartmentId": new.parent,
                     "name": new.name, "description": new.description,
                     "lifecycleState": "ACTIVE", "isAccessible": True,
                     "freeformTags": new.freeform_tags, "definedTags": new.defined_tags},
                    created=True)
        self.store.put(self.tenancy, "compartment", doc)
        return doc

    # -- policies -------------------------------------------------------------------------
    def policies(self, compartment: str, *, name: str | None, state: str | None) -> list[Doc]:
        """A compartment's policies that are not deleted."""
        return [d for d in self.store.list(self.tenancy, "policy")
                if d["compartmentId"] == compartment and d["lifecycleState"] != "DELETED"
                and (name is None or d["name"] == name)
                and (state is None or d["lifecycleState"] == state)]

    def policy(self, policy_id: str) -> Doc:
        """One live policy."""
        doc = self.store.get(self.tenancy, "policy", policy_id)
        if doc is None or doc.get("lifecycleState") == "DELETED":
            raise not_found("policy", policy_id)
        return doc

    def create_policy(self, new: NewPolicy) -> Doc:
        """An ACTIVE policy (409 when the tenancy has a live one of that name)."""
        if any(d["name"] == new.name and d["lifecycleState"] != "DELETED"
               for d in self.store.list(self.tenancy, "policy")):
            raise ApiError(409, "PolicyAlreadyExists",
                           f"A policy named {new.name} already exists")
        doc = touch({"id": new_id("policy", ""), "compartmentId": new.compartment,
                     "name": new.name, "statements": new.statements,
                     "description": new.description, "lifecycleState": "ACTIVE",
                     "versionDate": new.version_date, "freeformTags": new.freeform_tags,
                     "definedTags": new.defined_tags}, created=True)
        self.store.put(self.tenancy, "policy", doc)
        return doc

    def update_policy(self, policy: Doc, changes: Doc) -> Doc:
        """Apply the given fields (statements checked) of an UpdatePolicy."""
        policy.update(changes)
        self.store.put(self.tenancy, "policy", touch(policy))
        return policy

    def delete_policy(self, policy: Doc) -> None:
        """Mark a policy DELETED."""
        policy["lifecycleState"] = "DELETED"
        self.store.put(self.tenancy, "policy", touch(policy))
