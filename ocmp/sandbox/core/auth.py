"""OCI HTTP signature verification ("Signature version 1", RSA-SHA256).

The signer lists the headers it signed; we rebuild the signing string from the request as
received, check that the list covers what OCI requires for the method, check the body hash
and length, the clock-skew window, and the RSA signature against the registered key.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from werkzeug.wrappers import Request

from ocmp.sandbox.core import session_tokens
from ocmp.sandbox.core.errors import ApiError, not_authenticated
from ocmp.sandbox.core.store import GLOBAL, Store

SANDBOX_USER = "ocid1.user.oc1..aaaaaaaaocmpsandboxuser"
"""The user every sandbox-issued key and session token belongs to."""

MAX_SKEW_SECONDS = 300
"""OCI rejects requests whose date is more than five minutes off."""

_BASE_HEADERS = ("date", "(request-target)", "host")
_BODY_HEADERS = ("content-length", "content-type", "x-content-sha256")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_PARAM = re.compile(r'(\w+)="([^"]*)"')


def fingerprint(public_pem: bytes) -> str:
    """OCI's key fingerprint: MD5 of the DER SubjectPublicKeyInfo, colon-separated hex."""
    key = serialization.load_pem_public_key(public_pem)
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest = hashlib.md5(der, usedforsecurity=False).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


class KeyRing:
    """Registered public keys, by ``keyId``, each tied to the tenancy it signs for.

    Keys live in the store (so processes sharing a state file share them) and are cached
    here once loaded.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._cache: dict[str, tuple[rsa.RSAPublicKey, str]] = {}
        self._lock = threading.Lock()

    def register(self, key_id: str, public_pem: str, tenancy_id: str) -> None:
        """Accept signatures by ``key_id`` as coming from ``tenancy_id``."""
        self._load(public_pem)  # reject a bad PEM now, not at the first request
        with self._store.transaction():
            self._store.put(GLOBAL, "key", {"keyId": key_id, "pem": public_pem,
                                            "tenancyId": tenancy_id}, ident=key_id)
        with self._lock:
            self._cache.pop(key_id, None)

    def lookup(self, key_id: str) -> tuple[rsa.RSAPublicKey, str] | None:
        """The public key and tenancy for a ``keyId``, or ``None``."""
        with self._lock:
            hit = self._cache.get(key_id)
        if hit is not None:
            return hit
        doc = self._store.get(GLOBAL, "key", key_id)
        if doc is None:
            return None
        entry = (self._load(str(doc["pem"])), str(doc["tenancyId"]))
        with self._lock:
            self._cache[key_id] = entry
        return entry

    @staticmethod
    def _load(public_pem: str) -> rsa.RSAPublicKey:
        key = serialization.load_pem_public_key(public_pem.encode())
        if not isinstance(key, rsa.RSAPublicKey):
            raise ValueError("only RSA public keys are supported")
        return key


def _parse_authorization(value: str) -> dict[str, str]:
    scheme, _, rest = value.partition(" ")
    if scheme != "Signature":
        raise not_authenticated("The Authorization header must use the Signature scheme")
    params = dict(_PARAM.findall(rest))
    for needed in ("headers", "keyId", "signature", "algorithm"):
        if needed not in params:
            raise not_authenticated(f"The Authorization header lacks '{needed}'")
    if params["algorithm"] != "rsa-sha256":
        raise not_authenticated("Only rsa-sha256 signatures are supported")
    if params.get("version", "1") != "1":
        raise not_authenticated("Only signature version 1 is supported")
    return params


def _check_date(request: Request, signed: list[str], now: datetime) -> None:
    # The header that was signed, never another one: an unsigned x-date added to a
    # request signed long ago would otherwise reopen the replay window.
    name = "x-date" if "x-date" in signed else "date"
    raw = request.headers.get(name)
    if not raw:
        raise not_authenticated(f"The request has no {name} header")
    try:
        sent = parsedate_to_datetime(raw)
    except (TypeError, ValueError) as exc:
        raise not_authenticated(f"Unparseable date header: {raw!r}") from exc
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=UTC)
    if abs((now - sent).total_seconds()) > MAX_SKEW_SECONDS:
        raise not_authenticated("The date header is outside the allowed clock skew (5 minutes)")


def _check_body(request: Request) -> None:
    body = request.get_data(cache=True)
    declared = request.headers.get("x-content-sha256", "")
    actual = base64.b64encode(hashlib.sha256(body).digest()).decode()
    if declared != actual:
        raise not_authenticated("x-content-sha256 does not match the body")
    length = request.headers.get("content-length")
    if length is None or not length.strip().isdigit() or int(length) != len(body):
        raise not_authenticated("content-length does not match the body")


def _signing_string(request: Request, names: list[str]) -> str:
    lines = []
    for name in names:
        if name == "(request-target)":
            target = request.environ.get("RAW_URI") or request.full_path.rstrip("?")
            lines.append(f"(request-target): {request.method.lower()} {target}")
        else:
            value = request.headers.get(name)
            if value is None:
                raise not_authenticated(f"Signed header '{name}' is missing from the request")
            lines.append(f"{name}: {value}")
    return "\n".join(lines)


def verify_request(request: Request, keys: KeyRing, now: datetime | None = None) -> str:
    """Check a request's signature and return the tenancy it acts for.

    Raises:
        ApiError: 401 ``NotAuthenticated`` for any problem.
    """
    header = request.headers.get("authorization")
    if not header:
        raise not_authenticated("The required information to complete authentication was not "
                                "provided")
    params = _parse_authorization(header)
    names = params["headers"].lower().split()
    required = _BASE_HEADERS + (_BODY_HEADERS if request.method in _BODY_METHODS else ())
    lacking = [n for n in required if n not in names and not (n == "date" and "x-date" in names)]
    if lacking:
        raise not_authenticated(f"The signature does not cover: {', '.join(lacking)}")
    entry = keys.lookup(params["keyId"])
    if entry is None:
        raise not_authenticated("Unknown keyId; register the public key with the sandbox")
    public_key, tenancy = entry
    if params["keyId"].startswith(session_tokens.PREFIX):
        expiry = session_tokens.expires_at(params["keyId"][len(session_tokens.PREFIX):])
        if expiry is None or expiry < (now or datetime.now(UTC)).timestamp():
            raise not_authenticated("The session token has expired; authenticate again")
    try:
        signature = base64.b64decode(params["signature"], validate=True)
        public_key.verify(signature, _signing_string(request, names).encode(),
                          padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError) as exc:
        raise not_authenticated("The signature does not verify") from exc
    _check_date(request, names, now or datetime.now(UTC))
    if request.method in _BODY_METHODS:
        _check_body(request)
    return tenancy


__all__ = ["MAX_SKEW_SECONDS", "ApiError", "KeyRing", "fingerprint", "verify_request"]
