"""After publishing: leads, customer instance and disbursement reports, report exports.

Leads, instance records and disbursements are seeded (``leads``, ``customer_instances``,
``disbursements`` seed sections) and generated when a revision is published
(:func:`on_published`): each publication brings two leads, one running instance per
package and one disbursement, so that a flow driven end to end has something to report.
A report export is a work request; once it has SUCCEEDED its CSV is downloadable.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ocmp.sandbox.core.errors import incorrect_state, invalid, not_found
from ocmp.sandbox.core.store import Doc, Store
from ocmp.sandbox.core.wire import new_etag, new_id, now, stable_id
from ocmp.sandbox.services.publisher.models import work_requests
from ocmp.sandbox.services.publisher.models.scope import PREFIX, TAGS, Scope

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
EXPORT_FIELDS = ("id", "compartmentId", "workRequestId", "lifecycleState", "fileName",
                  "sortOrder", "sortBy", "name", "listingId", "status", "shape", "region",
                  "realm", "tenantAdminDomain", "packageVersion", "instanceId",
                  *(name for name, _, _ in _TIME_FILTERS), "timeCreated", "timeExpires",
                  *TAGS, "systemTags")
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

def leads(scope: Scope, compartment: str, listing_id: str | None) -> list[Doc]:
    """The live leads of a compartment (of one listing when ``listing_id`` is given)."""
    return [d for d in scope.store.list(scope.tenancy, "lead")
            if d.get("compartmentId") == compartment and d.get("lifecycleState") != "DELETED"
            and listing_id in (None, d.get("listingId"))]


def lead(scope: Scope, ident: str) -> Doc:
    """One lead (404 when there is none)."""
    doc = scope.store.get(scope.tenancy, "lead", ident)
    if doc is None:
        raise not_found("lead", ident)
    return doc


# -- customer instance records -------------------------------------------------------------

@dataclass(frozen=True)
class InstanceFilter:
    """The instance filters a list, an export request and the export itself share, as given
    (``None``: not given); the time bounds are RFC 3339 timestamps."""

    name: Any = None
    listing_id: Any = None
    status: Any = None
    shape: Any = None
    region: Any = None
    realm: Any = None
    tenant_admin_domain: Any = None
    package_version: Any = None
    instance_id: Any = None
    creation_from: Any = None
    creation_to: Any = None
    termination_from: Any = None
    termination_to: Any = None

    def checked(self) -> dict[str, Any]:
        """The filters under their query names, times normalised (400 when one is bad)."""
        if self.status is not None and self.status not in INSTANCE_STATUSES:
            raise invalid(f"status must be one of {', '.join(INSTANCE_STATUSES)}")
        filters: dict[str, Any] = {
            "name": self.name, "listingId": self.listing_id, "status": self.status,
            "shape": self.shape, "region": self.region, "realm": self.realm,
            "tenantAdminDomain": self.tenant_admin_domain,
            "packageVersion": self.package_version, "instanceId": self.instance_id}
        bounds = (self.creation_from, self.creation_to, self.termination_from,
                  self.termination_to)
        for (name, _, _), value in zip(_TIME_FILTERS, bounds, strict=True):
            filters[name] = None if value is None else _time(value, name).isoformat()
        return filters


@dataclass(frozen=True)
class InstanceOrder:
    """How instance rows are sorted: ``sortBy`` INSTANCE_ID, ``sortOrder`` ASC or DESC."""

    by: Any = None
    order: Any = None

    def check(self) -> None:
        """400 for a sort the service does not offer."""
        if self.by not in (None, "INSTANCE_ID"):
            raise invalid("sortBy must be INSTANCE_ID")
        if self.order not in (None, "ASC", "DESC"):
            raise invalid("sortOrder must be ASC or DESC")

    def sort(self, rows: list[Doc]) -> list[Doc]:
        """The rows in this order."""
        self.check()
        return sorted(rows, key=lambda d: str(d.get("instanceId")),
                      reverse=self.order == "DESC")


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


def instance_records(scope: Scope, wanted: InstanceFilter, order: InstanceOrder) -> list[Doc]:
    """ListCustomerInstanceReportRecords: the records passing ``wanted``, in ``order``."""
    rows = _instances(scope.store, scope.tenancy, wanted.checked())
    return order.sort(rows)


# -- disbursements -------------------------------------------------------------------------

def disbursements(scope: Scope, date_range: str, name: str | None) -> list[Doc]:
    """The disbursements of ``date_range`` (counted back from today), of one listing name."""
    if date_range not in DATE_RANGES:
        raise invalid(f"dateRange must be one of {', '.join(DATE_RANGES)}")
    days = DATE_RANGES[str(date_range)]
    since = None if days is None else datetime.now(UTC) - timedelta(days=days)
    return [d for d in scope.store.list(scope.tenancy, "disbursement")
            if (since is None or _time(d["_time"], "time") >= since)
            and name in (None, d.get("listingName"))]


# -- report exports ------------------------------------------------------------------------

def generate_export(scope: Scope, compartment: str, wanted: InstanceFilter,
                    order: InstanceOrder) -> Doc:
    """Start CREATE_CUSTOMER_INSTANCE_REPORT_EXPORT; return its work request."""
    filters = wanted.checked()
    order.check()
    stamp = now()
    ident = new_id("mktpubcustomerinstancereportexport")
    doc: Doc = {"id": ident, "compartmentId": compartment, "lifecycleState": "ACCEPTED",
                "fileName": f"customer-instances-{stamp[:10]}-{ident[-8:]}.csv",
                "sortOrder": order.order, "sortBy": order.by, **filters,
                "timeCreated": stamp,
                "timeExpires": (datetime.now(UTC) + timedelta(days=7)).strftime(
                    "%Y-%m-%dT%H:%M:%S.000Z"),
                "freeformTags": {}, "definedTags": {}, "systemTags": {}}
    wr = work_requests.start(
        scope.store, scope.tenancy, operation="CREATE_CUSTOMER_INSTANCE_REPORT_EXPORT",
        compartment_id=compartment, finish="report_export", args={"id": ident},
        resources=[work_requests.wr_resource(
            "customerInstanceReportExport", "CREATED", ident,
            f"{PREFIX}/customerInstanceReportExports/{ident}")],
        polls=scope.polls)
    doc.update(workRequestId=wr["id"], _wr=wr["id"], _etag=new_etag())
    scope.put("reportExport", doc)
    return wr


@work_requests.completer("report_export")
def _finish_export(store: Store, tenancy: str, wr: Doc) -> list[str]:
    doc = store.get(tenancy, "reportExport", wr["_args"]["id"])
    if doc is None:
        return ["The report export no longer exists"]
    rows = InstanceOrder(doc.get("sortBy"), doc.get("sortOrder")).sort(
        _instances(store, tenancy, doc))
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


def export(scope: Scope, ident: str) -> Doc:
    """A live export; its state is its work request's, which this read moves on."""
    doc = scope.store.get(scope.tenancy, "reportExport", ident)
    if doc is None or doc.get("lifecycleState") == "DELETED":
        raise not_found("customer instance report export", ident)
    wr_id = doc.get("_wr")
    if wr_id:
        wr = scope.store.get(scope.tenancy, work_requests.KIND, str(wr_id))
        if wr is not None:
            wr = work_requests.advance(scope.store, scope.tenancy, wr)
            doc = scope.store.get(scope.tenancy, "reportExport", ident) or doc
            if doc.get("_wr"):
                doc["lifecycleState"] = wr["status"]
                scope.put("reportExport", doc)
    return doc


def exports(scope: Scope, compartment: str) -> list[Doc]:
    """The live exports of a compartment."""
    return [d for d in scope.store.list(scope.tenancy, "reportExport")
            if d.get("compartmentId") == compartment and d.get("lifecycleState") != "DELETED"]


def export_csv(scope: Scope, doc: Doc) -> bytes:
    """A SUCCEEDED export's CSV (409 before)."""
    if doc["lifecycleState"] != "SUCCEEDED":
        raise incorrect_state(f"Report export {doc['id']} is {doc['lifecycleState']}")
    stored = scope.store.get(scope.tenancy, "content", f"export:{doc['id']}") or {"text": ""}
    return str(stored["text"]).encode()


def delete_export(scope: Scope, doc: Doc) -> None:
    """DELETED, its CSV dropped."""
    doc["lifecycleState"] = "DELETED"
    scope.put("reportExport", doc)
    scope.store.delete(scope.tenancy, "content", f"export:{doc['id']}")


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


