"""Find private keys and OCI credentials in stack files, whatever the files are called.

Used by STK009 and by ``ocmp package``, which refuses to write a zip holding any of them.
"""

from __future__ import annotations

import re

KEY_SUFFIXES = (".pem", ".key", ".p12", ".pfx")
_PRIVATE_KEY = re.compile(rb"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")
_OCI_FINGERPRINT = re.compile(rb"(?m)^\s*fingerprint\s*=\s*\S")
_OCI_KEY_OR_TENANCY = re.compile(rb"(?m)^\s*(?:key_file|tenancy|pass_phrase)\s*=\s*\S")
# A literal (not an expression) credential value in Terraform.
_TF_LITERAL = re.compile(
    rb"(?m)^\s*(private_key|private_key_path|private_key_password|fingerprint|user_ocid)"
    rb"\s*=\s*\"(?!\$\{)([^\"]+)\""
)


def _line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def find_secrets(path: str, data: bytes) -> list[tuple[int, str]]:
    """(line, what) for every secret found in one file; empty when clean."""
    found: list[tuple[int, str]] = []
    name = path.rsplit("/", 1)[-1].lower()
    if name.endswith(KEY_SUFFIXES):
        found.append((1, f"a key or certificate store file ({name})"))
    m = _PRIVATE_KEY.search(data)
    if m:
        found.append((_line(data, m.start()), "a private key"))
    fp = _OCI_FINGERPRINT.search(data)
    other = _OCI_KEY_OR_TENANCY.search(data)
    if fp and other:
        found.append((_line(data, fp.start()), "OCI API credentials (fingerprint with "
                      "key_file/tenancy, as in an OCI CLI config)"))
    if path.endswith((".tf", ".tf.json")) or name.endswith(".tf.cli"):
        for lit in _TF_LITERAL.finditer(data):
            found.append((_line(data, lit.start()),
                          f"a literal {lit.group(1).decode()} value"))
    return found
