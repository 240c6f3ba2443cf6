"""Work requests over HTTP: get (advances it one step), list, errors, logs, cancel."""

from __future__ import annotations

from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.wire import (
    BY_TIMESTAMP,
    check_if_match,
    collection,
    public,
    resource,
    sort_docs,
)
from ocmp.sandbox.services.common import require_compartment
from ocmp.sandbox.services.publisher.models import work_requests

_SORT = {"timeAccepted": "timeAccepted"}


def get_work_request(call: Call, workRequestId: str) -> Reply:
    doc = work_requests.poll(call.store, call.tenancy, workRequestId)
    reply = resource(doc)
    if doc["status"] not in work_requests.FINAL:
        reply.headers["retry-after"] = "1"
    return reply


def list_work_requests(call: Call) -> Reply:
    compartment = call.query("compartmentId")
    if compartment:
        require_compartment(call, compartment)
    wanted = work_requests.WorkRequestFilter(
        compartment_id=compartment, work_request_id=call.query("workRequestId"),
        status=call.query("status"), resource_id=call.query("resourceId"))
    docs = work_requests.listing(call.store, call.tenancy, wanted)
    return collection(call, sort_docs(call, docs, _SORT, "timeAccepted"), public)


def list_work_request_errors(call: Call, workRequestId: str) -> Reply:
    doc = work_requests.get(call.store, call.tenancy, workRequestId)
    return collection(call, doc["_errors"], lambda d: d, sort=BY_TIMESTAMP)


def list_work_request_logs(call: Call, workRequestId: str) -> Reply:
    doc = work_requests.get(call.store, call.tenancy, workRequestId)
    return collection(call, doc["_logs"], lambda d: d, sort=BY_TIMESTAMP)


def cancel_work_request(call: Call, workRequestId: str) -> Reply:
    doc = work_requests.get(call.store, call.tenancy, workRequestId)
    check_if_match(call, doc)
    work_requests.cancel(call.store, call.tenancy, doc)
    return Reply(204)
