"""Publisher work requests, advanced per poll: ACCEPTED → IN_PROGRESS → SUCCEEDED/FAILED.

An asynchronous operation records a work request and the name of a *completer*; each GET of
the work request (or of a resource it is working on) moves it one step, and the final step
runs the completer, which applies the operation's effect and may report errors (→ FAILED).
The code of those errors is the completer's, declared with it (``ValidationFailed`` for an
artifact's validation), never guessed from the message.
This is moto's "manual" state progression: waiting code really waits, but never on a clock.

Completers are declared beside the operation that starts them (``@completer`` in the model
module of that resource); the ``models`` package imports every such module, so whichever
entry point loaded a model (routes, seeds, admin) can finish any work request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ocmp.sandbox.core.errors import incorrect_state, not_found
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import new_etag, new_id, now, touch

Completer = Callable[[Store, str, Doc], list[str]]
"""``(store, tenancy, work_request) -> error messages`` (empty list = success)."""

_COMPLETERS: dict[str, tuple[Completer, str]] = {}
KIND = "workRequest"
FINAL = frozenset({"SUCCEEDED", "FAILED", "CANCELED"})
# What a work request can be working on: the kinds whose documents carry its id in ``_wr``.
_WORKED_ON = ("artifact", "listing", "revision", "package", "term")


def completer(name: str, *, failure_code: str = "OperationFailed"
              ) -> Callable[[Completer], Completer]:
    """Register the function that finishes operations of this name; the errors it reports
    are listed under ``failure_code``."""

    def register(func: Completer) -> Completer:
        _COMPLETERS[name] = (func, failure_code)
        return func

    return register


def wr_resource(entity_type: str, action: str, identifier: str, uri: str) -> dict[str, Any]:
    """One entry of a work request's ``resources``."""
    return {"entityType": entity_type, "actionType": action, "identifier": identifier,
            "entityUri": uri, "metadata": {}}


def start(store: Store, tenancy: str, *, operation: str, compartment_id: str,
          resources: list[dict[str, Any]], finish: str, args: dict[str, Any] | None = None,
          polls: int = 2) -> Doc:
    """Record a new ACCEPTED work request whose last step runs completer ``finish``."""
    if finish not in _COMPLETERS:
        raise KeyError(f"no completer named {finish}")
    stamp = now()
    doc: Doc = {"id": new_id("marketplacepublisherworkrequest"), "operationType": operation,
                "status": "ACCEPTED", "compartmentId": compartment_id, "resources": resources,
                "percentComplete": 0.0, "timeAccepted": stamp, "timeStarted": None,
                "timeFinished": None, "_etag": new_etag(), "_polls": 0, "_needed": max(1, polls),
                "_finish": finish, "_args": args or {}, "_errors": [],
                "_logs": [{"message": f"{operation} accepted", "timestamp": stamp}]}
    store.put(tenancy, KIND, doc)
    return doc


def advance(store: Store, tenancy: str, doc: Doc) -> Doc:
    """Move a work request one step (a no-op once it is final) and persist it."""
    if doc["status"] in FINAL:
        return doc
    doc["_polls"] += 1
    stamp = now()
    if doc["status"] == "ACCEPTED":
        doc["status"] = "IN_PROGRESS"
        doc["timeStarted"] = stamp
        doc["_logs"].append({"message": f"{doc['operationType']} started", "timestamp": stamp})
    if doc["_polls"] >= doc["_needed"]:
        finish, failure_code = _COMPLETERS[doc["_finish"]]
        errors = finish(store, tenancy, doc)
        doc["status"] = "FAILED" if errors else "SUCCEEDED"
        doc["percentComplete"] = 100.0
        doc["timeFinished"] = now()
        for message in errors:
            doc["_errors"].append({"code": failure_code, "message": message,
                                   "timestamp": doc["timeFinished"]})
            doc["_logs"].append({"message": message, "timestamp": doc["timeFinished"]})
        doc["_logs"].append({"message": f"{doc['operationType']} {doc['status'].lower()}",
                             "timestamp": doc["timeFinished"]})
    else:
        doc["percentComplete"] = round(100.0 * doc["_polls"] / doc["_needed"], 1)
    doc["_etag"] = new_etag()
    store.put(tenancy, KIND, doc)
    return doc


def settle(store: Store, tenancy: str, resource: Doc, kind: str) -> Doc:
    """Advance the work request a resource is waiting on; return the resource as it is now."""
    wr_id = resource.get("_wr")
    if not wr_id:
        return resource
    wr = store.get(tenancy, KIND, str(wr_id))
    if wr is None:
        return resource
    advance(store, tenancy, wr)
    return store.get(tenancy, kind, str(resource["id"])) or resource


@dataclass(frozen=True)
class WorkRequestFilter:
    """ListWorkRequests' filters (``None``: not given)."""

    compartment_id: str | None = None
    work_request_id: str | None = None
    status: str | None = None
    resource_id: str | None = None

    def matches(self, doc: Doc) -> bool:
        """Whether a work request passes every given filter."""
        return (self.compartment_id in (None, doc["compartmentId"])
                and self.work_request_id in (None, doc["id"])
                and self.status in (None, doc["status"])
                and (self.resource_id is None
                     or any(r["identifier"] == self.resource_id for r in doc["resources"])))


def get(store: Store, tenancy: str, ident: str) -> Doc:
    """A work request as it is (404 when the tenancy has none of that id)."""
    doc = store.get(tenancy, KIND, ident)
    if doc is None:
        raise not_found("work request", ident)
    return doc


def poll(store: Store, tenancy: str, ident: str) -> Doc:
    """GetWorkRequest: the work request, moved one step by this read."""
    return advance(store, tenancy, get(store, tenancy, ident))


def listing(store: Store, tenancy: str, wanted: WorkRequestFilter) -> list[Doc]:
    """The work requests passing ``wanted``, oldest first."""
    return [d for d in store.list(tenancy, KIND) if wanted.matches(d)]


def cancel(store: Store, tenancy: str, doc: Doc) -> None:
    """CANCELED (409 unless still ACCEPTED); what it was working on is free again and the
    operation's effect never happens."""
    if doc["status"] != "ACCEPTED":
        raise incorrect_state(f"Work request {doc['id']} is {doc['status']}")
    doc["status"] = "CANCELED"
    for entry in doc["resources"]:
        for kind in _WORKED_ON:
            target = store.get(tenancy, kind, entry["identifier"])
            if target is not None and target.get("_wr") == doc["id"]:
                target.pop("_wr")
                store.put(tenancy, kind, target)
    store.put(tenancy, KIND, touch(doc))
