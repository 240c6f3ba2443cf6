"""Wire conventions shared by every service: ids, timestamps, etags, If-Match, paging.

Documents keep internal bookkeeping under keys that start with ``_`` (etag, poll counters,
tenancy-private links); :func:`public` strips them before anything goes on the wire.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from ocmp.sandbox.core.errors import ApiError, invalid, not_found
from ocmp.sandbox.core.routing import Call, Reply
from ocmp.sandbox.core.store import Doc

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def now() -> str:
    """Current UTC time, RFC 3339 with milliseconds, as OCI prints it."""
    stamp = datetime.now(UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"


def new_id(kind: str, region: str = "iad") -> str:
    """A fresh OCID-shaped id, e.g. ``ocid1.mktpublisting.oc1.iad.amaaaaaa…``."""
    # One random read, not forty: base32 of 25 bytes is 40 characters of [a-z2-7].
    tail = base64.b32encode(secrets.token_bytes(25)).decode().lower()
    return f"ocid1.{kind}.oc1.{region}.amaaaaaa{tail}"


def stable_id(kind: str, *parts: str) -> str:
    """The same OCID for the same inputs (a tenancy's publisher account, seeded resources,
    what a publication generates), so doing a thing twice makes nothing twice."""
    digest = hashlib.sha256("/".join(parts).encode()).hexdigest()[:24]
    return f"ocid1.{kind}.oc1..aaaaaaaa{digest}"


def new_etag() -> str:
    """A fresh opaque entity tag."""
    return secrets.token_hex(16)


def public(doc: Doc) -> Doc:
    """The wire view of a document: internal ``_`` keys removed."""
    return {k: v for k, v in doc.items() if not k.startswith("_")}


def public_without(*keys: str) -> Callable[[Doc], Doc]:
    """A wire view that also drops ``keys`` (fields the service's model does not have, such
    as the ``timeUpdated`` every stored document carries)."""
    dropped = frozenset(keys)
    return lambda doc: {k: v for k, v in public(doc).items() if k not in dropped}


def touch(doc: Doc, *, created: bool = False) -> Doc:
    """Stamp a document as changed: new etag, ``timeUpdated`` (and ``timeCreated``)."""
    stamp = now()
    if created or "timeCreated" not in doc:
        doc["timeCreated"] = stamp
    doc["timeUpdated"] = stamp
    doc["_etag"] = new_etag()
    return doc


def resource(doc: Doc, status: int = 200, view: Callable[[Doc], Doc] = public) -> Reply:
    """A single-resource reply with its ``etag`` header."""
    return Reply(status, view(doc), {"etag": str(doc.get("_etag", ""))})


def tagged(body: Doc, status: int = 200) -> Reply:
    """A single-resource reply whose ``etag`` derives from its content (documents the
    sandbox builds on the fly, or keeps without an etag of their own)."""
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode())
    return Reply(status, body, {"etag": digest.hexdigest()[:32]})


def get_or_404(call: Call, kind: str, ident: str, label: str | None = None) -> Doc:
    """A document of the caller's tenancy, or 404 ``NotAuthorizedOrNotFound``."""
    doc = call.store.get(call.tenancy, kind, ident)
    if doc is None:
        raise not_found(label or kind, ident)
    return doc


def copy_given(doc: Doc, body: Doc, keys: Iterable[str]) -> Doc:
    """Copy the fields of ``body`` that are given (not null) into ``doc``: an update."""
    doc.update({k: body[k] for k in keys if body.get(k) is not None})
    return doc


def save(call: Call, kind: str, doc: Doc, status: int = 200,
         view: Callable[[Doc], Doc] = public) -> Reply:
    """Store a changed document (new etag, ``timeUpdated``) and answer it."""
    call.store.put(call.tenancy, kind, touch(doc))
    return resource(doc, status, view)


def soft_delete(call: Call, kind: str, doc: Doc, **state: str) -> Reply:
    """Mark a document deleted (``lifecycleState`` DELETED unless ``state`` says) and answer 204."""
    doc.update(state or {"lifecycleState": "DELETED"})
    call.store.put(call.tenancy, kind, touch(doc))
    return Reply(204)


def check_if_match(call: Call, doc: Doc) -> None:
    """412 ``NoEtagMatch`` when the caller's If-Match differs from the current etag."""
    wanted = call.header("if-match")
    if wanted and wanted != "*" and wanted != doc.get("_etag"):
        raise ApiError(412, "NoEtagMatch", "The resource's etag does not match the If-Match value")


def sort_docs(call: Call, docs: list[Doc], keys: dict[str, str], default: str) -> list[Doc]:
    """Sort by the ``sortBy`` query parameter (mapped to a field) and ``sortOrder``."""
    by = call.query("sortBy") or default
    order = call.query("sortOrder") or "ASC"
    if order.upper() not in ("ASC", "DESC"):
        raise invalid("sortOrder must be ASC or DESC")
    if by not in keys:
        raise invalid(f"sortBy must be one of {', '.join(sorted(keys))}")
    field = keys[by]
    return sorted(docs, key=lambda d: str(d.get(field) or "").lower(),
                  reverse=order.upper() == "DESC")


# OCI's documented default orders: times newest first, names A to Z.
_NEWEST_FIRST = frozenset({"timeCreated", "timeAccepted", "timestamp", "TIMECREATED"})
BY_TIME_OR_NAME = {"timeCreated": "timeCreated", "displayName": "displayName"}
BY_TIMESTAMP = {"timestamp": "timestamp"}


def by_time_or(name_field: str) -> dict[str, str]:
    """``sortBy`` keys timeCreated/displayName, displayName being ``name_field``."""
    return {"timeCreated": "timeCreated", "displayName": name_field}


def sort_listed(call: Call, docs: list[Doc], keys: dict[str, str],
                default: str = "timeCreated") -> list[Doc]:
    """Honour ``sortBy`` (one of ``keys``, mapped to a field) and ``sortOrder`` (ASC|DESC).

    Invalid values answer 400. Without either the documents keep their creation order;
    ``sortBy`` alone takes the documented default order (times descending, names
    ascending), ``sortOrder`` alone sorts by ``default``. Ties keep creation order.
    """
    by, order = call.query("sortBy"), call.query("sortOrder")
    if order is not None and order not in ("ASC", "DESC"):
        raise invalid(f"sortOrder must be ASC or DESC, not {order!r}")
    if by is not None and by not in keys:
        raise invalid(f"sortBy must be one of {', '.join(keys)}, not {by!r}")
    if by is None and order is None:
        return docs
    by = by or default
    descending = order == "DESC" if order else by in _NEWEST_FIRST
    field = keys[by]
    return sorted(docs, key=lambda d: str(d.get(field) or "").lower(), reverse=descending)


def paginate(call: Call, docs: list[Any]) -> tuple[list[Any], dict[str, str]]:
    """Cut one page out of ``docs`` by ``limit``/``page``; headers carry ``opc-next-page``."""
    raw_limit = call.query("limit")
    try:
        limit = int(raw_limit) if raw_limit else DEFAULT_LIMIT
    except ValueError as exc:
        raise invalid("limit must be an integer") from exc
    if not 1 <= limit <= MAX_LIMIT:
        raise invalid(f"limit must be between 1 and {MAX_LIMIT}")
    token = call.query("page")
    start = 0
    if token:
        if not token.startswith("p") or not token[1:].isdigit():
            raise invalid("page is not a token this service issued")
        start = int(token[1:])
    chunk = docs[start : start + limit]
    headers = {"opc-next-page": f"p{start + limit}"} if start + limit < len(docs) else {}
    return chunk, headers


def collection(call: Call, docs: Iterable[Doc], view: Callable[[Doc], Doc] = public,
               *, wrap: bool = True, sort: dict[str, str] | None = None) -> Reply:
    """A paged list reply: ``{"items": [...]}`` (Publisher) or a bare array (elsewhere),
    sorted first as :func:`sort_listed` says when the operation documents ``sort`` keys."""
    rows = list(docs)
    if sort is not None:
        rows = sort_listed(call, rows, sort)
    page, headers = paginate(call, rows)
    items = [view(d) for d in page]
    return Reply(200, {"items": items} if wrap else items, headers)


def listed(call: Call, kind: str, *, parent: str | None = None, **where: str | None
           ) -> list[Doc]:
    """What a list operation shows: documents whose fields equal ``where``'s given values,
    in the ``lifecycleState`` the query asks for (by default every state but DELETED)."""
    state = call.query("lifecycleState")
    docs = call.store.list(call.tenancy, kind, parent=parent, where=where)
    if state:
        return [d for d in docs if d.get("lifecycleState") == state]
    return [d for d in docs if d.get("lifecycleState") != "DELETED"]


def summary(fields: Iterable[str]) -> Callable[[Doc], Doc]:
    """A list view that keeps ``fields`` (the service's ``…Summary`` model)."""
    keep = tuple(fields)
    return lambda d: {k: d.get(k) for k in keep}


def matches(doc: Doc, **wanted: str | None) -> bool:
    """True when every non-None filter equals the document's field."""
    return all(value is None or doc.get(key) == value for key, value in wanted.items())
