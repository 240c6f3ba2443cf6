"""Session tokens: what ``oci session authenticate`` and resource principals sign with.

The SDK's ``SecurityTokenSigner`` (and the resource principal signers built on it) sign with
``keyId="ST$<token>"`` and the session's private key. The sandbox issues the token itself: a
JWT (HS256, a per-process secret) whose claims name the tenancy (``tenant``, and
``res_tenant`` as resource principal tokens do), the user and the public key (``jwk``), with
``iat``/``exp``. Issuing registers ``ST$<token>`` in the key ring, so only tokens this
sandbox issued verify; expiry is checked on every request.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PREFIX = "ST$"
"""How the SDK marks a session token in ``keyId``."""

_SECRET = secrets.token_bytes(32)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _jwk(public_pem: str, kid: str) -> dict[str, str]:
    key = serialization.load_pem_public_key(public_pem.encode())
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("only RSA public keys are supported")
    numbers = key.public_numbers()

    def encode(value: int) -> str:
        return _b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))

    return {"kid": kid, "kty": "RSA", "alg": "RS256", "use": "sig",
            "n": encode(numbers.n), "e": encode(numbers.e)}


def issue(public_pem: str, tenancy_id: str, user_id: str, ttl_seconds: int) -> str:
    """A new session token for the holder of ``public_pem`` acting in ``tenancy_id``."""
    issued = int(time.time())
    claims: dict[str, Any] = {
        "iss": "ocmp-sandbox", "sub": user_id, "ptype": "user", "sess_exp": issued + ttl_seconds,
        "tenant": tenancy_id, "res_tenant": tenancy_id, "res_compartment": tenancy_id,
        "iat": issued, "exp": issued + ttl_seconds, "jti": secrets.token_hex(8),
        "jwk": _jwk(public_pem, secrets.token_hex(4)),
    }
    head = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64url(json.dumps(claims, separators=(",", ":")).encode())
    mac = hmac.new(_SECRET, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64url(mac)}"


def expires_at(token: str) -> int | None:
    """The token's ``exp`` claim, or None when it is not a readable JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(_unb64url(parts[1]))
    except ValueError:
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return exp if isinstance(exp, int) else None
