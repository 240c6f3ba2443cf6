"""After publishing: leads, customer instance and disbursement reports, report exports,
support documents.

Leads, instance records and disbursements are seeded (``leads``, ``customer_instances``,
``disbursements`` seed sections) and generated when a revision is published
(:func:`on_published`): each publication brings two leads, one running instance per
package and one disbursement, so that a flow driven end to end has something to report.
A report export is a work request; once it has SUCCEEDED its CSV is downloadable.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

from ocmp.sandbox.core import workrequests
from ocmp.sandbox.core.errors import ApiError, incorrect_state, invalid, not_found
from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.store import GLOBAL, Doc, Store
from ocmp.sandbox.core.wire import (
    collection,
    new_etag,
    new_id,
    now,
    public,
    resource,
    sort_listed,
    stable_id,
    summary,
)
from ocmp.sandbox.services.common import require_compartment
from ocmp.sandbox.services.publisher.common import PREFIX, TAGS

INSTANCE_STATUSES = ("PROVISIONING", "RUNNING", "STOPPED", "TERMINATING", "TERMINATED",
                     "DISABLED", "STARTING", "STOPPING", "SNAPSHOTTING")
DATE_RANGES = {"LAST_MONTH": 31, "LAST_THREE_MONTHS": 92, "LAST_SIX_MONTHS": 183,
               "LAST_TWELVE_MONTHS": 366, "LAST_EIGHTEEN_MONTHS": 549, "ALL_TIME": None}
LEAD_FIELDS = ("id", "listingId", "listingName", "compartmentId", "lifecycleState",
               "timeCreated", "additionalInfo")
INSTANCE_FIELDS = ("publisherId", "listingName", "listingId", "listingVersionId",
                   "packageVersion", "packageVersionId", "status", "instanceId",
                   "timeInstanceCreation", "timeInstanceTermination", "region", "realm", "shape",
                   "ociTenancy", "tenantAdminDomain", "legacyListingId", *TAGS, "systemTags")
DISBURSEMENT_FIELDS = (
    "enterpriseQuarter", "enterprisePeriod", "listingName", "listingId", "privateOfferId",
    "privateOfferName", "sku", "transactionReferenceId", "customerId", "customerName",
    "customerDomain", "endUserCustomerId", "endUserCustomerName", "country", "state", "city",
    "zip", "currencyCode", "usageQuantity", "usedAmountLc", "lcAmountForDisbursementCalculations",
    "lcBaseAmountForTaxCalculations", "withholdingTaxRate", "withholdingTaxAmount",
    "transferTaxBaseAmount", "transferTaxRate", "transferTaxAmount",
    "lcAmountForDisbursementAfterTax", "lcPartnerPayment", "fxRateLcToUsd",
    "disbursementAmountUsd", "partnerName", "partnerId", "publisherServiceListingId",
    *TAGS, "systemTags")
# The instance filters the list, the export request and the export itself share (query name
# → record field; the time filters are ranges handled apart).
_INSTANCE_FILTERS = {"name": "listingName", "listingId": "listingId", "status": "status",
                     "shape": "shape", "region": "region", "realm": "realm",
                     "tenantAdminDomain": "tenantAdminDomain", "packageVersion": "packageVersion"}
_TIME_FILTERS = (("timeInstanceCreationFromDate", "timeInstanceCreation", False),
                 ("timeInstanceCreationToDate", "timeInstanceCreation", True),
                 ("timeInstanceTerminationFromDate", "timeInstanceTermination", False),
                 ("timeInstanceTerminationToDate", "timeInstanceTermination", True))
_EXPORT_FIELDS = ("id", "compartmentId", "workRequestId", "lifecycleState", "fileName",
                  "sortOrder", "sortBy", "name", "listingId", "status", "shape", "region",
                  "realm", "tenantAdminDomain", "packageVersion", "instanceId",
                  *(name for name, _, _ in _TIME_FILTERS), "timeCreated", "timeExpires",
                  *TAGS, "systemTags")
_SUPPORT_DOCS = (
    ("publisher-guide", "Publisher guide", "PUBLISHER_DOCS",
     "How to publish an application in the Oracle Cloud Marketplace."),
    ("image-checklist", "Image listing checklist", "PUBLISHER_DOCS",
     "What an image listing needs before it is submitted for review."),
    ("stack-checklist", "Stack listing checklist", "PUBLISHER_DOCS",
     "What a stack listing needs before it is submitted for review."),
)


def _time(value: object, name: str) -> datetime:
    """An RFC 3339 timestamp (400 when it is not one)."""
    if not isinstance(value, str) or not value:
        raise invalid(f"{name} must be an RFC 3339 timestamp")
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise invalid(f"{name} must be an RFC 3339 timestamp, not {value!r}") from exc
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


# -- leads ---------------------------------------------------------------------------------

def list_leads(call: Call) -> Reply:
    compartment = require_compartment(call, call.query("compartmentId"))
    docs = [d for d in call.store.list(call.tenancy, "lead")
            if d.get("compartmentId") == compartment and d.get("lifecycleState") != "DELETED"
            and call.query("listingId") in (None, d.get("listingId"))]
    docs = sort_listed(call, docs, {"timeCreated": "timeCreated"})
    return collection(call, docs, summary((*LEAD_FIELDS, *TAGS, "systemTags")))


def get_lead(call: Call, leadId: str) -> Reply:
    doc = call.store.get(call.tenancy, "lead", leadId)
    if doc is None:
        raise not_found("lead", leadId)
    return resource(doc, view=summary(LEAD_FIELDS))


# -- customer instance records -------------------------------------------------------------

def _instance_filters(get: Any) -> dict[str, Any]:
    """The instance filters of a query or an export request (``get(name)`` reads one)."""
    status = get("status")
    if status is not None and status not in INSTANCE_STATUSES:
        raise invalid(f"status must be one of {', '.join(INSTANCE_STATUSES)}")
    filters: dict[str, Any] = {name: get(name) for name in _INSTANCE_FILTERS}
    filters["instanceId"] = get("instanceOcid") or get("instanceId")
    for name, _, _ in _TIME_FILTERS:
        value = get(name)
        filters[name] = None if value is None else _time(value, name).isoformat()
    return filters


def _instances(store: Store, tenancy: str, filters: dict[str, Any]) -> list[Doc]:
    rows = []
    for doc in store.list(tenancy, "instanceRecord"):
        if any(value is not None and doc.get(_INSTANCE_FILTERS[name]) != value
               for name, value in filters.items() if name in _INSTANCE_FILTERS):
            continue
        if filters.get("instanceId") not in (None, doc.get("instanceId")):
            continue
        if not all(_within(doc, field, filters.get(name), upper)
                   for name, field, upper in _TIME_FILTERS):
            continue
        rows.append(doc)
    return rows


def _within(doc: Doc, field: str, bound: str | None, upper: bool) -> bool:
    if bound is None:
        return True
    value = doc.get(field)
    if not value:
        return False
    stamp, limit = _time(value, field), datetime.fromisoformat(bound)
    return stamp <= limit if upper else stamp >= limit


def _sort_instances(rows: list[Doc], by: str | None, order: str | None) -> list[Doc]:
    if by not in (None, "INSTANCE_ID"):
        raise invalid("sortBy must be INSTANCE_ID")
    if order not in (None, "ASC", "DESC"):
        raise invalid("sortOrder must be ASC or DESC")
    return sorted(rows, key=lambda d: str(d.get("instanceId")), reverse=order == "DESC")


def list_instance_records(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    rows = _instances(call.store, call.tenancy, _instance_filters(call.query))
    rows = _sort_instances(rows, call.query("sortBy"), call.query("sortOrder"))
    return collection(call, rows, summary(INSTANCE_FIELDS))


# -- disbursements -------------------------------------------------------------------------

def list_disbursements(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    date_range = call.query("dateRange", required=True)
    if date_range not in DATE_RANGES:
        raise invalid(f"dateRange must be one of {', '.join(DATE_RANGES)}")
    days = DATE_RANGES[str(date_range)]
    since = None if days is None else datetime.now(UTC) - timedelta(days=days)
    name = call.query("name")
    rows = [d for d in call.store.list(call.tenancy, "disbursement")
            if (since is None or _time(d["_time"], "time") >= since)
            and name in (None, d.get("listingName"))]
    rows = sort_listed(call, rows, {"timeCreated": "_time", "displayName": "listingName"})
    return collection(call, rows, summary(DISBURSEMENT_FIELDS))


# -- report exports ------------------------------------------------------------------------

def generate_export(call: Call) -> Reply:
    body = call.json()
    compartment = require_compartment(call, body.get("compartmentId"))
    filters = _instance_filters(body.get)
    _sort_instances([], body.get("sortBy"), body.get("sortOrder"))
    stamp = now()
    ident = new_id("mktpubcustomerinstancereportexport")
    doc: Doc = {"id": ident, "compartmentId": compartment, "lifecycleState": "ACCEPTED",
                "fileName": f"customer-instances-{stamp[:10]}-{ident[-8:]}.csv",
                "sortOrder": body.get("sortOrder"), "sortBy": body.get("sortBy"), **filters,
                "timeCreated": stamp,
                "timeExpires": (datetime.now(UTC) + timedelta(days=7)).strftime(
                    "%Y-%m-%dT%H:%M:%S.000Z"),
                "freeformTags": {}, "definedTags": {}, "systemTags": {}}
    wr = workrequests.start(
        call.store, call.tenancy, operation="CREATE_CUSTOMER_INSTANCE_REPORT_EXPORT",
        compartment_id=compartment, finish="report_export", args={"id": ident},
        resources=[workrequests.wr_resource(
            "customerInstanceReportExport", "CREATED", ident,
            f"{PREFIX}/customerInstanceReportExports/{ident}")],
        polls=call.settings["work_request_polls"])
    doc.update(workRequestId=wr["id"], _wr=wr["id"], _etag=new_etag())
    call.store.put(call.tenancy, "reportExport", doc)
    return workrequests.accepted(wr)


@workrequests.completer("report_export")
def _finish_export(store: Store, tenancy: str, wr: Doc) -> list[str]:
    doc = store.get(tenancy, "reportExport", wr["_args"]["id"])
    if doc is None:
        return ["The report export no longer exists"]
    rows = _sort_instances(_instances(store, tenancy, doc), doc.get("sortBy"),
                           doc.get("sortOrder"))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[f for f in INSTANCE_FIELDS
                                             if f not in (*TAGS, "systemTags")],
                            extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    store.put(tenancy, "content", {"id": f"export:{doc['id']}", "text": out.getvalue()})
    doc.update(lifecycleState="SUCCEEDED", _rows=len(rows))
    doc.pop("_wr", None)
    store.put(tenancy, "reportExport", doc)
    return []


def _export(call: Call, ident: str) -> Doc:
    doc = call.store.get(call.tenancy, "reportExport", ident)
    if doc is None or doc.get("lifecycleState") == "DELETED":
        raise not_found("customer instance report export", ident)
    wr_id = doc.get("_wr")
    if wr_id:  # the export's state is its work request's
        wr = call.store.get(call.tenancy, workrequests.KIND, str(wr_id))
        if wr is not None:
            wr = workrequests.advance(call.store, call.tenancy, wr)
            doc = call.store.get(call.tenancy, "reportExport", ident) or doc
            if doc.get("_wr"):
                doc["lifecycleState"] = wr["status"]
                call.store.put(call.tenancy, "reportExport", doc)
    return doc


def get_export(call: Call, customerInstanceReportExportId: str) -> Reply:
    return resource(_export(call, customerInstanceReportExportId),
                    view=summary(_EXPORT_FIELDS))


def list_exports(call: Call) -> Reply:
    compartment = require_compartment(call, call.query("compartmentId"))
    docs = [d for d in call.store.list(call.tenancy, "reportExport")
            if d.get("compartmentId") == compartment and d.get("lifecycleState") != "DELETED"]
    docs = sort_listed(call, docs, {"timeCreated": "timeCreated", "fileName": "fileName"})
    return collection(call, docs, summary(_EXPORT_FIELDS))


def get_export_content(call: Call, customerInstanceReportExportId: str) -> Reply:
    doc = _export(call, customerInstanceReportExportId)
    if doc["lifecycleState"] != "SUCCEEDED":
        raise incorrect_state(f"Report export {doc['id']} is {doc['lifecycleState']}")
    stored = call.store.get(call.tenancy, "content", f"export:{doc['id']}") or {"text": ""}
    return Reply(200, str(stored["text"]).encode(), content_type="text/csv")


def delete_export(call: Call, customerInstanceReportExportId: str) -> Reply:
    doc = _export(call, customerInstanceReportExportId)
    wanted = call.header("if-match")
    if wanted and wanted not in ("*", doc.get("_etag")):
        raise ApiError(412, "NoEtagMatch", "The resource's etag does not match the If-Match value")
    doc["lifecycleState"] = "DELETED"
    call.store.put(call.tenancy, "reportExport", doc)
    call.store.delete(call.tenancy, "content", f"export:{doc['id']}")
    return Reply(204)


# -- support documents ---------------------------------------------------------------------

def _support_docs(store: Store) -> list[Doc]:
    docs = store.list(GLOBAL, "supportDoc")
    if docs:
        return docs
    for code, name, group, text in _SUPPORT_DOCS:  # built on first use, then shared
        store.put(GLOBAL, "supportDoc", {
            "id": code, "code": code, "name": name, "supportDocGroup": group,
            "description": text, "mimeType": "text/plain", "fileName": f"{code}.txt",
            "lifecycleState": "ACTIVE", "timeCreated": "2024-12-01T00:00:00.000Z",
            "timeUpdated": "2024-12-01T00:00:00.000Z", "_text": text + "\n"})
    return store.list(GLOBAL, "supportDoc")


def list_support_docs(call: Call) -> Reply:
    require_compartment(call, call.query("compartmentId"))
    group, name = call.query("supportDocGroup"), call.query("name")
    docs = [d for d in _support_docs(call.store)
            if group in (None, d["supportDocGroup"]) and name in (None, d["name"])]
    docs = sort_listed(call, docs, {"timeCreated": "timeCreated", "displayName": "name"})
    return collection(call, docs, summary(("name", "code", "supportDocGroup", "lifecycleState",
                                           "timeCreated", "timeUpdated")))


def _support_doc(call: Call, code: str) -> Doc:
    for doc in _support_docs(call.store):
        if doc["code"] == code:
            return doc
    raise not_found("support doc", code)


def get_support_doc(call: Call, supportDocCode: str) -> Reply:
    doc = dict(_support_doc(call, supportDocCode))
    doc.pop("id", None)
    doc["contentUrl"] = call.request.host_url.rstrip("/") + (
        f"{PREFIX}/supportDocs/{supportDocCode}/content")
    return Reply(200, public(doc), {"etag": str(doc.get("timeUpdated"))})


def get_support_doc_content(call: Call, supportDocCode: str) -> Reply:
    doc = _support_doc(call, supportDocCode)
    return Reply(200, str(doc["_text"]).encode(), content_type=str(doc["mimeType"]))


# -- what publication and seeds bring ------------------------------------------------------

def add_lead(store: Store, tenancy: str, listing: Doc, info: dict[str, Any], *,
             ident: str | None = None, created: str | None = None) -> Doc:
    """Record a lead for ``listing`` (a customer's "Get App" contact request)."""
    doc = {"id": ident or new_id("mktpublead"), "listingId": listing.get("id"),
           "listingName": listing.get("name"), "compartmentId": listing.get("compartmentId"),
           "lifecycleState": "ACTIVE", "timeCreated": created or now(),
           "additionalInfo": {k: info.get(k) for k in (
               "company", "companyAddress", "email", "firstName", "lastName", "phone",
               "notes")},
           "freeformTags": {}, "definedTags": {}, "systemTags": {}, "_etag": new_etag()}
    store.put(tenancy, "lead", doc)
    return doc


def add_instance(store: Store, tenancy: str, record: dict[str, Any]) -> Doc:
    """Record a customer instance (keyed by ``instanceId``)."""
    doc = {**dict.fromkeys(INSTANCE_FIELDS), "freeformTags": {}, "definedTags": {},
           "systemTags": {}, "realm": "oc1", "region": "us-ashburn-1", "status": "RUNNING",
           **record}
    doc["id"] = str(doc.get("instanceId") or new_id("instance"))
    doc["instanceId"] = doc["id"]
    doc.setdefault("timeInstanceCreation", now())
    if not doc.get("timeInstanceCreation"):
        doc["timeInstanceCreation"] = now()
    store.put(tenancy, "instanceRecord", doc)
    return doc


def add_disbursement(store: Store, tenancy: str, record: dict[str, Any],
                     time: str | None = None) -> Doc:
    """Record a disbursement (``time`` places it in the dateRange windows)."""
    stamp = time or now()
    ident = str(record.get("transactionReferenceId") or new_id("transaction"))
    quarter = (int(stamp[5:7]) - 1) // 3 + 1
    doc = {**dict.fromkeys(DISBURSEMENT_FIELDS), "freeformTags": {}, "definedTags": {},
           "systemTags": {}, "enterpriseQuarter": f"{stamp[:4]}-Q{quarter}",
           "enterprisePeriod": stamp[:7], "currencyCode": "USD", **record,
           "transactionReferenceId": ident, "id": ident, "_time": stamp}
    for key in DISBURSEMENT_FIELDS:  # every field of the model is a string, amounts too
        if key not in (*TAGS, "systemTags") and doc[key] is not None:
            doc[key] = str(doc[key])
    store.put(tenancy, "disbursement", doc)
    return doc


def on_published(store: Store, tenancy: str, listing: Doc, revision: Doc,
                 packages: list[Doc]) -> None:
    """What a publication brings: two leads, an instance per package, one disbursement.

    Ids derive from the revision, so a completer run twice adds nothing twice.
    """
    publisher = (store.list(tenancy, "publisher") or [{}])[0]
    for n, (first, company) in enumerate((("Ada", "Example Corp"), ("Linus", "Sample Ltd"))):
        add_lead(store, tenancy, listing, {
            "company": company, "email": f"{first.lower()}@{company.split()[0].lower()}.test",
            "firstName": first, "lastName": "Customer", "phone": "+1 555 0100",
            "notes": f"Interested in {listing.get('name')}"},
            ident=stable_id("mktpublead", tenancy, revision["id"], str(n)))
    for package in packages:
        add_instance(store, tenancy, {
            "instanceId": stable_id("instance", tenancy, revision["id"], package["id"]),
            "publisherId": publisher.get("id"), "listingName": listing.get("name"),
            "listingId": listing.get("id"), "listingVersionId": revision["id"],
            "packageVersion": package.get("packageVersion"), "packageVersionId": package["id"],
            "shape": "VM.Standard.E4.Flex", "ociTenancy": "ocid1.tenancy.oc1..aaaacustomer",
            "tenantAdminDomain": "customer.example"})
    add_disbursement(store, tenancy, {
        "transactionReferenceId": stable_id("transaction", tenancy, revision["id"]),
        "listingName": listing.get("name"), "listingId": listing.get("id"), "sku": "B00001",
        "customerId": "CUST-1", "customerName": "Example Corp", "country": "US",
        "usageQuantity": "10", "usedAmountLc": "100.00", "lcPartnerPayment": "80.00",
        "fxRateLcToUsd": "1", "disbursementAmountUsd": "80.00",
        "partnerName": publisher.get("displayName"), "partnerId": publisher.get("id")})


__all__ = ["add_disbursement", "add_instance", "add_lead", "on_published"]
