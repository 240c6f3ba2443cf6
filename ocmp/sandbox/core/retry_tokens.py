"""``opc-retry-token`` idempotency: the same token replays the first answer for 24 hours;
the same token on a different request is a 409."""

from __future__ import annotations

import base64
import hashlib
import time
from typing import Any

from ocmp.sandbox.core.errors import ApiError
from ocmp.sandbox.core.routing import Reply
from ocmp.sandbox.core.store import Store

TOKEN_LIFETIME_SECONDS = 24 * 3600
_KIND = "retryToken"


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    """What makes two requests 'the same' for a retry token."""
    digest = hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()
    return digest


def replay(store: Store, tenancy: str, token: str, fingerprint: str) -> Reply | None:
    """The stored answer for a token, ``None`` if unseen; 409 if used for another request."""
    doc = store.get(tenancy, _KIND, token)
    if doc is None or time.time() - float(doc["at"]) > TOKEN_LIFETIME_SECONDS:
        return None
    if doc["fingerprint"] != fingerprint:
        raise ApiError(409, "InvalidatedRetryToken",
                       "The opc-retry-token was already used for a different request")
    body: Any = doc["body"]
    if doc.get("binary"):
        body = base64.b64decode(str(body))
    return Reply(int(doc["status"]), body, dict(doc["headers"]), str(doc["contentType"]))


def remember(store: Store, tenancy: str, token: str, fingerprint: str, reply: Reply) -> None:
    """Keep a successful answer for replay."""
    binary = isinstance(reply.body, bytes)
    body = base64.b64encode(reply.body).decode() if binary else reply.body
    store.put(tenancy, _KIND, {"fingerprint": fingerprint, "status": reply.status, "body": body,
                               "binary": binary, "headers": reply.headers,
                               "contentType": reply.content_type, "at": time.time()},
              ident=token)
