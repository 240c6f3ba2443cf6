"""Work request routes: get (advances it one step), list, errors, logs, cancel."""

from __future__ import annotations

from ocmp.sandbox.core import workrequests
from ocmp.sandbox.core.errors import incorrect_state, not_found
from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.store import Doc
from ocmp.sandbox.core.wire import (
    BY_TIMESTAMP,
    check_if_match,
    collection,
    public,
    resource,
    sort_docs,
    touch,
)
from ocmp.sandbox.services.common import require_compartment

_SORT = {"timeAccepted": "timeAccepted"}


def _work_request(call: Call, ident: str) -> Doc:
    doc = call.store.get(call.tenancy, workrequests.KIND, ident)
    if doc is None:
        raise not_found("work request", ident)
    return doc


def get_work_request(call: Call, workRequestId: str) -> Reply:
    doc = workrequests.advance(call.store, call.tenancy, _work_request(call, workRequestId))
    reply = resource(doc)
    if doc["status"] not in workrequests.FINAL:
        reply.headers["retry-after"] = "1"
    return reply


def list_work_requests(call: Call) -> Reply:
    compartment = call.query("compartmentId")
    if compartment:
        require_compartment(call, compartment)
    wanted_id, status, resource_id = (call.query("workRequestId"), call.query("status"),
                                      call.query("resourceId"))
    docs = [d for d in call.store.list(call.tenancy, workrequests.KIND)
            if compartment in (None, d["compartmentId"]) and wanted_id in (None, d["id"])
            and status in (None, d["status"])
            and (resource_id is None or any(r["identifier"] == resource_id
                                            for r in d["resources"]))]
    return collection(call, sort_docs(call, docs, _SORT, "timeAccepted"), public)


def list_work_request_errors(call: Call, workRequestId: str) -> Reply:
    return collection(call, _work_request(call, workRequestId)["_errors"], lambda d: d,
                      sort=BY_TIMESTAMP)


def list_work_request_logs(call: Call, workRequestId: str) -> Reply:
    return collection(call, _work_request(call, workRequestId)["_logs"], lambda d: d,
                      sort=BY_TIMESTAMP)


def cancel_work_request(call: Call, workRequestId: str) -> Reply:
    doc = _work_request(call, workRequestId)
    check_if_match(call, doc)
    if doc["status"] != "ACCEPTED":
        raise incorrect_state(f"Work request {workRequestId} is {doc['status']}")
    doc["status"] = "CANCELED"
    for entry in doc["resources"]:
        for kind in ("artifact", "listing", "revision", "package", "term"):
            target = call.store.get(call.tenancy, kind, entry["identifier"])
            if target is not None and target.get("_wr") == workRequestId:
                target.pop("_wr")
                call.store.put(call.tenancy, kind, target)
    call.store.put(call.tenancy, workrequests.KIND, touch(doc))
    return Reply(204)
