"""After publishing: leads, customer installs and payouts as rows, and how they are written.

Rows are flat dicts (one column per key) so that a table, JSON and CSV show the same thing.
``ocmp leads --cursor FILE`` remembers the newest lead a run wrote (its time and the ids
seen at that time), so a nightly export never writes a lead twice; the cursor is saved
only after the output is, atomically. Large install ranges go through the report export
operations: generate (a work request), wait with progress, download the CSV.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from ocmp.clients._base import wait_until
from ocmp.clients.publisher_reports import ReportsApi
from ocmp.core.documents import RowsDoc
from ocmp.core.files import read_bytes_bounded, write_file_atomic
from ocmp.core.publish.run import PollSettings
from ocmp.errors import CloudError, InputError, WorkflowInterrupted

LEAD_COLUMNS = (
    "timeCreated",
    "listingName",
    "company",
    "firstName",
    "lastName",
    "email",
    "phone",
    "notes",
    "listingId",
    "id",
)
INSTALL_COLUMNS = (
    "timeInstanceCreation",
    "listingName",
    "packageVersion",
    "status",
    "shape",
    "region",
    "realm",
    "ociTenancy",
    "tenantAdminDomain",
    "timeInstanceTermination",
    "instanceId",
    "listingId",
)
PAYOUT_COLUMNS = (
    "enterprisePeriod",
    "listingName",
    "customerName",
    "sku",
    "usageQuantity",
    "currencyCode",
    "usedAmountLc",
    "lcPartnerPayment",
    "disbursementAmountUsd",
    "country",
    "transactionReferenceId",
    "listingId",
)
DATE_RANGES = (
    "LAST_MONTH",
    "LAST_THREE_MONTHS",
    "LAST_SIX_MONTHS",
    "LAST_TWELVE_MONTHS",
    "LAST_EIGHTEEN_MONTHS",
    "ALL_TIME",
)
# Ranges longer than this (or open-ended) are fetched with a report export by default.
EXPORT_AFTER_DAYS = 92
CURSOR_VERSION = 1
CURSOR_LIMIT = 1 << 20


@dataclass
class Rows:
    """A report: its name, its columns and its rows (flat dicts)."""

    report: Literal["leads", "installs", "payouts"]
    columns: tuple[str, ...]
    rows: list[dict[str, Any]] = field(default_factory=list)
    source: Literal["list", "export"] = "list"
    table_columns: tuple[str, ...] = ()  # the narrower set a terminal table shows

    @property
    def shown(self) -> tuple[str, ...]:
        """The columns of the table view."""
        return self.table_columns or self.columns

    def to_dict(self) -> RowsDoc:
        """The body of the JSON document (:class:`~ocmp.core.documents.RowsDoc`)."""
        return {
            "report": self.report,
            "source": self.source,
            "count": len(self.rows),
            "columns": list(self.columns),
            "rows": self.rows,
        }

    def to_csv(self) -> str:
        """CSV with a header line (RFC 4180 quoting)."""
        out = io.StringIO()
        writer = csv.DictWriter(
            out, fieldnames=list(self.columns), extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        for row in self.rows:
            writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in self.columns})
        return out.getvalue()


def parse_when(text: str, what: str) -> datetime:
    """``YYYY-MM-DD`` (midnight UTC) or an ISO-8601 time; InputError otherwise."""
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            f"{what} {text!r} is not a date",
            hint="use YYYY-MM-DD or an ISO-8601 time such as 2026-01-31T08:00:00Z",
        ) from None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _stamp(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


# -- leads -------------------------------------------------------------------------------


@dataclass
class Cursor:
    """Where the last ``ocmp leads --cursor`` run stopped: the newest time and its ids."""

    path: Path
    newest: datetime | None = None
    ids: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path) -> Cursor:
        """The cursor in ``path`` (empty when the file does not exist yet)."""
        if not os.path.lexists(path):
            return cls(path)
        # Only a regular file, and a small one (a cursor is a few ids, never megabytes).
        raw = read_bytes_bounded(path, str(path), limit=CURSOR_LIMIT, what="the cursor")
        text = raw.decode("utf-8", errors="replace")
        try:
            data = json.loads(text)
            newest = _stamp(data["newest"]) if data.get("newest") else None
            ids = {str(i) for i in data.get("ids", [])}
            if data.get("version") != CURSOR_VERSION:
                raise ValueError("version")
        except (ValueError, KeyError, TypeError, AttributeError):
            raise InputError(
                "not a leads cursor written by ocmp",
                file=str(path),
                hint="delete it to export every lead again, or pass another file",
            ) from None
        return cls(path, newest, ids)

    def seen(self, row: dict[str, Any]) -> bool:
        """Whether a lead was written by an earlier run."""
        stamp = _stamp(row["timeCreated"])
        if self.newest is None or stamp is None:
            return False
        return stamp < self.newest or (stamp == self.newest and str(row["id"]) in self.ids)

    def advance(self, rows: Iterable[dict[str, Any]]) -> None:
        """Move past ``rows``."""
        for row in rows:
            stamp = _stamp(row["timeCreated"])
            if stamp is None:
                continue
            if self.newest is None or stamp > self.newest:
                self.newest, self.ids = stamp, {str(row["id"])}
            elif stamp == self.newest:
                self.ids.add(str(row["id"]))

    def save(self) -> None:
        """Write atomically."""
        doc = {
            "version": CURSOR_VERSION,
            "newest": self.newest.isoformat() if self.newest else None,
            "ids": sorted(self.ids),
        }
        write_file_atomic(self.path, json.dumps(doc, indent=2) + "\n")


def _lead_row(lead: dict[str, Any]) -> dict[str, Any]:
    return {k: lead.get(k) for k in LEAD_COLUMNS}


def leads(
    api: ReportsApi,
    compartment_id: str,
    listing_ids: list[str] | None,
    *,
    since: datetime | None = None,
    cursor: Cursor | None = None,
) -> Rows:
    """Leads newest first: of ``listing_ids`` (None: the compartment's), since a time.

    Each listing's leads come newest first, so paging stops at the first lead older than
    ``since`` or already behind the cursor.
    """
    rows: list[dict[str, Any]] = []
    for listing_id in listing_ids if listing_ids is not None else [None]:
        for lead in api.leads(compartment_id, listing_id):
            row = _lead_row(lead)
            stamp = _stamp(row["timeCreated"])
            if since is not None and stamp is not None and stamp < since:
                break
            if cursor is not None and cursor.seen(row):
                if cursor.newest is not None and stamp is not None and stamp < cursor.newest:
                    break
                continue
            rows.append(row)
    rows.sort(key=lambda r: (str(r["timeCreated"] or ""), str(r["id"])), reverse=True)
    return Rows("leads", LEAD_COLUMNS, rows, table_columns=LEAD_COLUMNS[:6])


# -- installs ------------------------------------------------------------------------------


def _install_row(record: dict[str, Any]) -> dict[str, Any]:
    return {k: record.get(k) for k in INSTALL_COLUMNS}


def needs_export(since: datetime | None, until: datetime | None) -> bool:
    """Whether a range is large enough to go through a report export by default."""
    if since is None:
        return True
    end = until or datetime.now(UTC)
    return end - since > timedelta(days=EXPORT_AFTER_DAYS)


Progress = Callable[[str, float, float | None], None]  # what, seconds elapsed, percent


def installs(
    api: ReportsApi,
    compartment_id: str,
    listing_ids: list[str] | None,
    *,
    since: datetime | None,
    until: datetime | None,
    export: bool,
    token: str,
    poll: PollSettings,
    progress: Progress | None = None,
) -> Rows:
    """Customer instance records launched in [since, until], per listing or compartment-wide.

    With ``export`` each listing's records come from a report export (generate, wait,
    download the CSV, parse it back) instead of the paged list. ``token`` makes the
    export request idempotent (a re-run within a day resumes the same export).
    """
    rows: list[dict[str, Any]] = []
    for listing_id in listing_ids if listing_ids is not None else [None]:
        filters = {
            "listingId": listing_id,
            "timeInstanceCreationFromDate": since,
            "timeInstanceCreationToDate": until,
        }
        if export:
            rows += _exported(api, compartment_id, filters, f"{token}:{listing_id}", poll, progress)
        else:
            rows += [_install_row(r) for r in api.instance_records(compartment_id, filters)]
    rows.sort(
        key=lambda r: (str(r["timeInstanceCreation"] or ""), str(r["instanceId"])),
        reverse=True,
    )
    return Rows("installs", INSTALL_COLUMNS, rows, "export" if export else "list",
                INSTALL_COLUMNS[:7])


def _exported(
    api: ReportsApi,
    compartment_id: str,
    filters: dict[str, Any],
    token: str,
    poll: PollSettings,
    progress: Progress | None,
) -> list[dict[str, Any]]:
    import hashlib

    retry_token = hashlib.sha256(token.encode()).hexdigest()[:32]
    wr_id = api.generate_export(compartment_id, filters, retry_token)
    wr = wait_until(
        lambda: api.get_work_request(wr_id),
        lambda w: w.finished,
        timeout=poll.timeout,
        interval=poll.interval,
        max_interval=poll.max_interval,
        factor=1.5,
        what="the report export",
        on_poll=(lambda w, elapsed: progress("the report export", elapsed, w.percent))
        if progress
        else None,
        give_up=lambda elapsed: WorkflowInterrupted(
            f"gave up waiting for the report export after {elapsed:.0f} s",
            hint="run the same command again within a day: it picks up the same export",
        ),
    )
    if wr.status != "SUCCEEDED":
        errors = "; ".join(api.work_request_errors(wr.id)) or wr.status
        raise CloudError(
            f"the report export failed: {errors}",
            operation=wr.operation,
            hint="run the report again; a shorter range may help",
        )
    export_id = wr.created_id("export")
    if export_id is None:
        raise CloudError(
            "the report export succeeded but names no export", hint="report this as a bug"
        )
    text = api.export_content(export_id).decode("utf-8-sig")
    return [_install_row(r) for r in csv.DictReader(io.StringIO(text))]


# -- payouts -------------------------------------------------------------------------------


def payouts(
    api: ReportsApi, compartment_id: str, date_range: str, listing_names: list[str] | None
) -> Rows:
    """Disbursement records of a date range, of some listings (by name) or all."""
    if date_range not in DATE_RANGES:
        raise InputError(
            f"unknown range {date_range!r}",
            hint=f"use one of {', '.join(r.lower() for r in DATE_RANGES)}",
        )
    rows: list[dict[str, Any]] = []
    for name in listing_names if listing_names is not None else [None]:
        rows += [
            {k: r.get(k) for k in PAYOUT_COLUMNS}
            for r in api.disbursements(compartment_id, date_range, name)
        ]
    return Rows("payouts", PAYOUT_COLUMNS, rows, table_columns=PAYOUT_COLUMNS[:9])
