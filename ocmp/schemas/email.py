"""``Email``: pydantic's ``EmailStr``, with email-validator imported only when it must decide.

email-validator compiles its Unicode character classes on import, about a twentieth of a
cold ``ocmp validate``, and pydantic's ``EmailStr`` imports it when a model that has an
e-mail field is built, that is whenever listing.yaml's models are. Here the models carry
``Email``, which accepts, refuses and normalises exactly as ``EmailStr`` (it calls the same
``pydantic.networks.validate_email``), with two differences in cost only: nothing is
imported until a value is checked, and a plain address (``support@acme.example``: ASCII
dot-atom, lower-case host name) is answered here, by the same rules, without email-validator.
``tests/schemas/test_email.py`` compares the two on generated addresses.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

# RFC 5322 atext (email-validator's ATEXT), dot-separated; RFC 1123 host names, lower case.
_LOCAL = re.compile(r"[a-zA-Z0-9_!#$%&'*+\-/=?^`{|}~]+(?:\.[a-zA-Z0-9_!#$%&'*+\-/=?^`{|}~]+)*")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TLD = re.compile(r"[a-z]{2,63}")
# email-validator's CASE_INSENSITIVE_MAILBOX_NAMES (RFC 2142), which it lower-cases, and
# its SPECIAL_USE_DOMAIN_NAMES (RFC 6761) with two more reserved names, which it refuses or
# may: an address in such a domain is left to it (tests/schemas/test_email.py compares
# both lists with the installed email-validator's).
MAILBOX_NAMES = frozenset({
    "info", "marketing", "sales", "support", "abuse", "noc", "security", "postmaster",
    "hostmaster", "usenet", "news", "webmaster", "www", "uucp", "ftp"})
SPECIAL_USE_DOMAINS = frozenset({
    "arpa", "invalid", "local", "localhost", "onion", "test", "internal", "alt"})


def plain_address(value: str) -> str | None:
    """email-validator's normalised form of a plain address, or None when it must decide."""
    local, at, domain = value.partition("@")
    if not at or len(value) > 254 or len(local) > 64 or len(domain) > 253:
        return None
    if not value.isascii() or not _LOCAL.fullmatch(local):
        return None
    labels = domain.split(".")
    if len(labels) < 2 or not _TLD.fullmatch(labels[-1]):
        return None
    if any(not _LABEL.fullmatch(label) or label[2:4] == "--" for label in labels):
        return None  # upper case, punycode and R-LDH labels: email-validator's to judge
    if any(".".join(labels[i:]) in SPECIAL_USE_DOMAINS for i in range(len(labels))):
        return None
    if local.lower() in MAILBOX_NAMES:
        local = local.lower()
    return f"{local}@{domain}"


def _validate(value: str) -> str:
    plain = plain_address(value)
    if plain is not None:
        return plain
    from pydantic.networks import validate_email  # imports email-validator

    return validate_email(value)[1]


class _EmailSchema:
    """``EmailStr``'s core and JSON schema, with :func:`_validate` as the check."""

    def __get_pydantic_core_schema__(self, source: type[Any],
                                     handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(_validate, handler(source))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        field_schema = handler(schema)
        field_schema.update(type="string", format="email")
        return field_schema


Email = Annotated[str, _EmailSchema()]
