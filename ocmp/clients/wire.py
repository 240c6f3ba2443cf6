"""The one-request plumbing of the Publisher and Resource Manager wrappers.

Both services' wrappers send bodies as camelCase dicts, exactly the JSON the APIs
document, and read each answer in its wire form (the SDK model serialized), which a parse
function of :mod:`ocmp.clients.publisher_types` turns into ocmp's own typed record: the
core never sees SDK models nor wire keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ocmp.clients import publisher_types as types
from ocmp.clients._base import ServiceWrapper
from ocmp.clients.publisher_types import WorkRequest
from ocmp.errors import InputError

T = TypeVar("T")

MAX_DOWNLOAD_BYTES = 256 * 1024 * 1024  # one download: a stack zip, an attachment, an icon


class WireWrapper(ServiceWrapper):
    """A service wrapper that reads answers in wire form and parses them into records."""

    def _wire(self, data: Any) -> Any:
        return self.sdk.base_client.sanitize_for_serialization(data)

    def _one(
        self, op: str, parse: Callable[[Any], T], *args: Any, write: bool = False, **kw: Any
    ) -> T:
        """Send ``op`` and ``parse`` the wire form of its answer."""
        resp = self._send(op, *args, write=write, **kw)
        return parse(self._wire(resp.data))

    def _content(self, op: str, *args: Any) -> bytes:
        """The bytes of a download (icons, attachments, term documents, stack zips).

        Read in chunks and stopped past :data:`MAX_DOWNLOAD_BYTES`: what a live listing
        holds is input like any other, and must not exhaust the machine.
        """
        data = self._send(op, *args).data
        declared = str(getattr(data, "headers", {}).get("Content-Length") or "")
        if declared.isdigit() and int(declared) > MAX_DOWNLOAD_BYTES:
            data.close()
            raise _too_big(op)
        chunks: list[bytes] = []
        size = 0
        for chunk in data.iter_content(1024 * 1024):
            size += len(chunk)
            if size > MAX_DOWNLOAD_BYTES:
                data.close()
                raise _too_big(op)
            chunks.append(chunk)
        return b"".join(chunks)

    def _wire_rows(self, op: str, *args: Any, **kw: Any) -> list[Any]:
        """Every row of the list call ``op`` in wire form, all pages."""
        rows: list[Any] = []
        for resp in self._pages(op, *args, **kw):
            data = self._wire(resp.data)
            rows.extend(data.get("items", []) if isinstance(data, dict) else data)
        return rows

    def _list(self, op: str, parse: Callable[[Any], T], *args: Any, **kw: Any) -> list[T]:
        """Every row of the list call ``op``, all pages, parsed."""
        return [parse(row) for row in self._wire_rows(op, *args, **kw)]

    def _wr(self, op: str, *args: Any, **kw: Any) -> str:
        """Start an asynchronous write; the id of its work request."""
        resp = self._send(op, *args, write=True, **kw)
        return str(resp.headers["opc-work-request-id"])

    # -- work requests (the same shape in every OCI service) ----------------------------

    def get_work_request(self, work_request_id: str) -> WorkRequest:
        """Where an asynchronous operation stands."""
        resp = self._send("get_work_request", work_request_id)
        return types.work_request(self._wire(resp.data), work_request_id)

    def work_request_errors(self, work_request_id: str) -> list[str]:
        """The error messages of a failed work request."""
        return self._list("list_work_request_errors", types.work_request_error, work_request_id)


def _too_big(op: str) -> InputError:
    return InputError(
        f"{op}: the download is larger than the {MAX_DOWNLOAD_BYTES >> 20} MiB ocmp reads",
        hint="the live resource is not one ocmp can import; inspect it in the console",
    )
