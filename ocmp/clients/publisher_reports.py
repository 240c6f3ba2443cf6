"""Marketplace Publisher (``/20241201``) after publishing: leads, reports, report exports.

Rows keep their wire form (camelCase dicts). Lists are read page by page through
:meth:`rows`, so a caller that needs only the newest rows (``ocmp leads --since``) stops
paging as soon as it has them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ocmp.clients.wire import WireWrapper

# The report filters as ocmp passes them (wire names) → the SDK's keyword arguments.
INSTANCE_FILTERS = {
    "listingId": "listing_id",
    "name": "name",
    "status": "status",
    "shape": "shape",
    "region": "region",
    "packageVersion": "package_version",
    "timeInstanceCreationFromDate": "time_instance_creation_from_date",
    "timeInstanceCreationToDate": "time_instance_creation_to_date",
}
# The contact fields of a lead's additionalInfo.
LEAD_CONTACT = ("company", "firstName", "lastName", "email", "phone", "notes")
_CONTENT_PATH = "/customerInstanceReportExports/{customerInstanceReportExportId}/content"


class ReportsApi(WireWrapper):
    """Leads, customer instance and disbursement records, report exports."""

    service = "publisher"

    def _rows(self, op: str, *args: Any, **kw: Any) -> Iterator[dict[str, Any]]:
        for resp in self._pages(op, *args, **kw):
            data = self._wire(resp.data)
            yield from data.get("items", []) if isinstance(data, dict) else data

    def leads(self, compartment_id: str, listing_id: str | None = None) -> Iterator[dict[str, Any]]:
        """Leads, newest first, one page at a time (stop iterating to stop paging), each one
        flat row: the contact's ``additionalInfo`` fields lifted beside the lead's own."""
        kw: dict[str, Any] = {"sort_by": "timeCreated", "sort_order": "DESC"}
        if listing_id:
            kw["listing_id"] = listing_id
        for lead in self._rows("list_leads", compartment_id, **kw):
            info = lead.get("additionalInfo") or {}
            yield {
                **{k: v for k, v in lead.items() if k != "additionalInfo"},
                **{k: info.get(k) for k in LEAD_CONTACT},
            }

    def instance_records(
        self, compartment_id: str, filters: dict[str, Any]
    ) -> Iterator[dict[str, Any]]:
        """Customer instance records matching ``filters`` (keys of :data:`INSTANCE_FILTERS`)."""
        kw = {INSTANCE_FILTERS[k]: v for k, v in filters.items() if v is not None}
        return self._rows("list_customer_instance_report_records", compartment_id, **kw)

    def disbursements(
        self, compartment_id: str, date_range: str, name: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Disbursement records of a date range (``LAST_MONTH`` … ``ALL_TIME``), newest first."""
        kw: dict[str, Any] = {"sort_by": "timeCreated", "sort_order": "DESC"}
        if name:
            kw["name"] = name
        return self._rows("list_disbursement_report_records", compartment_id, date_range, **kw)

    def generate_export(self, compartment_id: str, filters: dict[str, Any], token: str) -> str:
        """Start a customer instance report export; the work request id."""
        body: dict[str, Any] = {"compartmentId": compartment_id}
        for key, value in filters.items():
            if value is not None:
                body[key] = value.isoformat() if isinstance(value, datetime) else value
        return self._wr("generate_customer_instance_report_export", body, opc_retry_token=token)

    def export_content(self, export_id: str) -> bytes:
        """The CSV of a finished export.

        The SDK's ``get_customer_instance_report_export_content`` declares no response type
        and so drops the body; the same request is sent through its base client, asking for
        the bytes.
        """
        base = self.sdk.base_client

        def fetch() -> bytes:
            resp = base.call_api(
                resource_path=_CONTENT_PATH,
                method="GET",
                path_params={"customerInstanceReportExportId": export_id},
                header_params={"accept": "text/csv, */*", "content-type": "application/json"},
                response_type="bytes",
                operation_name="get_customer_instance_report_export_content",
            )
            return bytes(resp.data)

        return self._call("get_customer_instance_report_export_content", fetch)

    def delete_export(self, export_id: str) -> None:
        """Delete a report export once downloaded."""
        self._send("delete_customer_instance_report_export", export_id, write=True)


__all__ = ["INSTANCE_FILTERS", "LEAD_CONTACT", "ReportsApi"]
