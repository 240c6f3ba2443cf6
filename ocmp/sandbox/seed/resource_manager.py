"""Seed section of Resource Manager: stacks that already exist (without a configuration)."""

from __future__ import annotations

from typing import Any

from ocmp.sandbox.core.store import Store
from ocmp.sandbox.core.wire import touch
from ocmp.sandbox.seed.entries import one_of
from ocmp.sandbox.services.resource_manager.models import STACK_STATES, new_stack


def stacks(store: Store, tid: str, items: list[dict[str, Any]]) -> None:
    """``stacks: [{id, name, state: ACTIVE|FAILED|..., compartment?, description?}]``."""
    for item in items:
        state = one_of(item.get("state", "ACTIVE"), STACK_STATES, "stacks: state")
        stack = new_stack(str(item["id"]), item.get("compartment") or tid,
                          display_name=item.get("name"), description=item.get("description"),
                          state=state)
        store.put(tid, "stack", touch(stack))
