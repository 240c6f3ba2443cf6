"""Throw-away API keys and the OCI config file that points the SDK and oci-cli at them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ocmp.sandbox.core.auth import SANDBOX_USER, fingerprint

__all__ = ["SANDBOX_USER", "KeyPair", "generate_key_pair", "key_id", "process_key_pair",
           "write_config"]


@dataclass(frozen=True)
class KeyPair:
    """An RSA key pair as PEM text."""

    private_pem: str
    public_pem: str

    @property
    def fingerprint(self) -> str:
        """OCI fingerprint of the public key."""
        return fingerprint(self.public_pem.encode())


def generate_key_pair() -> KeyPair:
    """A fresh RSA-2048 key pair."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return KeyPair(private, public)


@lru_cache(maxsize=1)
def process_key_pair() -> KeyPair:
    """One key pair per process: RSA generation costs ~50 ms, and tests start many sandboxes."""
    return generate_key_pair()


def _write_private(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    tmp.replace(path)


def write_config(config_dir: Path, pair: KeyPair, tenancy_id: str, region: str,
                 profile: str = "DEFAULT", user_id: str = SANDBOX_USER) -> Path:
    """Write ``key.pem`` and ``config`` into ``config_dir``; return the config path.

    The PEM ends with the ``OCI_API_KEY`` label line so the oci-cli does not warn about it.
    """
    config_dir.mkdir(parents=True, exist_ok=True)
    key_path = config_dir / "sandbox_api_key.pem"
    _write_private(key_path, pair.private_pem + "OCI_API_KEY\n")
    config_path = config_dir / "config"
    _write_private(config_path, (
        f"[{profile}]\n"
        f"user={user_id}\n"
        f"fingerprint={pair.fingerprint}\n"
        f"tenancy={tenancy_id}\n"
        f"region={region}\n"
        f"key_file={key_path.resolve()}\n"
    ))
    return config_path


def key_id(tenancy_id: str, pair: KeyPair, user_id: str = SANDBOX_USER) -> str:
    """The ``keyId`` the SDK signs with for this key: ``tenancy/user/fingerprint``."""
    return f"{tenancy_id}/{user_id}/{pair.fingerprint}"
