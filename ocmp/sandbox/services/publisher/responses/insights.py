"""After publishing, over HTTP: leads, customer instance and disbursement reports, report
exports, support documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ocmp.sandbox.core.errors import ApiError
from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.wire import collection, public, resource, sort_listed, summary
from ocmp.sandbox.services.common import require_compartment
from ocmp.sandbox.services.publisher.models import insights, support_docs
from ocmp.sandbox.services.publisher.models.scope import PREFIX, TAGS
from ocmp.sandbox.services.publisher.responses.common import accepted, scope

_LEAD_SUMMARY = (*insights.LEAD_FIELDS, *TAGS, "systemTags")
_SUPPORT_DOC_SUMMARY = ("name", "code", "supportDocGroup", "lifecycleState", "timeCreated",
                        "timeUpdated")


def _instance_filter(get: Callable[[str], Any]) -> insights.InstanceFilter:
    """The instance filters of a query or an export request (``get(name)`` reads one)."""
    return insights.InstanceFilter(
        name=get("name"), listing_id=get("listingId"), status=get("status"),
        shape=get("shape"), region=get("region"), realm=get("realm"),
        tenant_admin_domain=get("tenantAdminDomain"), package_version=get("packageVersion"),
        instance_id=get("instanceOcid") or get("instanceId"),
        creation_from=get("timeInstanceCreationFromDate"),
        creation_to=get("timeInstanceCreationToDate"),
        termination_from=get("timeInstanceTerminationFromDate"),
        termination_to=get("timeInstanceTerminationToDate"))


# -- leads ---------------------------------------------------------------------------------
def list_leads(call: Call) -> Reply:
    compartment = require_compartment(call, call.query("compartmentId"))
    docs = insights.leads(scope(call), compartment, call.query("listingId"))
    docs = sort_listed(call, docs, {"timeCreated": "timeCreated"})
    return collection(call, docs, summary(_LEAD_SUMMARY))


def get_lead(call: Call, leadId: str) -> Reply:
    return resource(insights.lead(scope(call), leadId), view=summary(insights.LEAD_FIELDS))


# -- reports -------------------------------------------------------------------------------
def list_instance_records(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    order = insights.InstanceOrder(call.query("sortBy"), call.query("sortOrder"))
    rows = insights.instance_records(scope(call), _instance_filter(call.query), order)
    return collection(call, rows, summary(insights.INSTANCE_FIELDS))


def list_disbursements(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    date_range = str(call.query("dateRange", required=True))
    rows = insights.disbursements(scope(call), date_range, call.query("name"))
    rows = sort_listed(call, rows, {"timeCreated": "_time", "displayName": "listingName"})
    return collection(call, rows, summary(insights.DISBURSEMENT_FIELDS))


# -- report exports ------------------------------------------------------------------------
def generate_export(call: Call) -> Reply:
    body = call.json()
    compartment = require_compartment(call, body.get("compartmentId"))
    order = insights.InstanceOrder(body.get("sortBy"), body.get("sortOrder"))
    return accepted(insights.generate_export(scope(call), compartment,
                                             _instance_filter(body.get), order))


def get_export(call: Call, customerInstanceReportExportId: str) -> Reply:
    return resource(insights.export(scope(call), customerInstanceReportExportId),
                    view=summary(insights.EXPORT_FIELDS))


def list_exports(call: Call) -> Reply:
    compartment = require_compartment(call, call.query("compartmentId"))
    docs = insights.exports(scope(call), compartment)
    docs = sort_listed(call, docs, {"timeCreated": "timeCreated", "fileName": "fileName"})
    return collection(call, docs, summary(insights.EXPORT_FIELDS))


def get_export_content(call: Call, customerInstanceReportExportId: str) -> Reply:
    model = scope(call)
    doc = insights.export(model, customerInstanceReportExportId)
    return Reply(200, insights.export_csv(model, doc), content_type="text/csv")


def delete_export(call: Call, customerInstanceReportExportId: str) -> Reply:
    model = scope(call)
    doc = insights.export(model, customerInstanceReportExportId)
    wanted = call.header("if-match")
    # An export's etag is only ever its own (not the work request's): "*" or that one.
    if wanted and wanted not in ("*", doc.get("_etag")):
        raise ApiError(412, "NoEtagMatch", "The resource's etag does not match the If-Match value")
    insights.delete_export(model, doc)
    return Reply(204)


# -- support documents ---------------------------------------------------------------------
def list_support_docs(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    docs = support_docs.support_docs(call.store, call.query("supportDocGroup"),
                                     call.query("name"))
    docs = sort_listed(call, docs, {"timeCreated": "timeCreated", "displayName": "name"})
    return collection(call, docs, summary(_SUPPORT_DOC_SUMMARY))


def get_support_doc(call: Call, supportDocCode: str) -> Reply:
    doc = dict(support_docs.support_doc(call.store, supportDocCode))
    doc.pop("id", None)
    doc["contentUrl"] = call.request.host_url.rstrip("/") + (
        f"{PREFIX}/supportDocs/{supportDocCode}/content")
    return Reply(200, public(doc), {"etag": str(doc.get("timeUpdated"))})


def get_support_doc_content(call: Call, supportDocCode: str) -> Reply:
    data, mime = support_docs.text(support_docs.support_doc(call.store, supportDocCode))
    return Reply(200, data, content_type=mime)
