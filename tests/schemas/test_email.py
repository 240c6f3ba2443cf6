"""ocmp.schemas.email against pydantic's EmailStr (email-validator): a plain address it
answers itself is one EmailStr accepts, normalised the same; everything else is EmailStr's."""

from __future__ import annotations

import email_validator
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, EmailStr, ValidationError
from pydantic.networks import validate_email

from ocmp.schemas.email import MAILBOX_NAMES, SPECIAL_USE_DOMAINS, Email, plain_address


class Theirs(BaseModel):
    email: EmailStr


class Ours(BaseModel):
    email: Email


ATEXT = "abcXYZ019_!#$%&'*+-/=?^`{|}~"
locals_ = st.one_of(
    st.text(st.sampled_from(ATEXT + "."), min_size=0, max_size=8),
    st.sampled_from(sorted(MAILBOX_NAMES)).map(str.upper),
    st.sampled_from(sorted(MAILBOX_NAMES)),
    st.text(min_size=1, max_size=3),  # anything: spaces, quotes, non-ASCII
    st.just("a" * 65),
)
labels = st.one_of(
    st.text(st.sampled_from("abz09-"), min_size=1, max_size=6),
    st.sampled_from(["xn--bcher-kva", "ab--cd", "EXAMPLE", "a" * 63, "a" * 64, "1", "ä"]),
)
tlds = st.one_of(st.sampled_from(sorted(SPECIAL_USE_DOMAINS | {"example", "com", "io", "c0m"})),
                 labels)
addresses = st.builds(lambda local, names, tld, at: f"{local}{at}{'.'.join([*names, tld])}",
                      locals_, st.lists(labels, max_size=3), tlds,
                      st.sampled_from(["@", "@", "@@", " @", "@."]))
# Near plain addresses, most of which the fast path answers.
atoms = st.text(st.sampled_from(ATEXT), min_size=1, max_size=5)
plausible = st.builds(
    lambda atoms_, names, tld: f"{'.'.join(atoms_)}@{'.'.join([*names, tld])}",
    st.lists(atoms, min_size=1, max_size=3),
    st.lists(st.text(st.sampled_from("abz09-"), min_size=1, max_size=5), min_size=1,
             max_size=3),
    st.one_of(st.text(st.sampled_from("abcz"), min_size=1, max_size=4), tlds),
)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(addresses, plausible))
@example("support@acme.example")
@example("Support@acme.example")
@example("jane.doe+ocmp@mail.acme.io")
@example("a@b.test")
@example("a@home.arpa")
def test_a_plain_address_is_one_emailstr_accepts_normalised_the_same(value: str) -> None:
    plain = plain_address(value)
    try:
        theirs: str | None = validate_email(value)[1]
    except Exception:  # PydanticCustomError: refused
        theirs = None
    if plain is not None:
        assert plain == theirs, value
    try:
        ours: str | None = Ours(email=value).email
    except ValidationError as exc:
        ours = None
        with pytest.raises(ValidationError) as refused:
            Theirs(email=value)
        assert exc.errors()[0]["msg"] == refused.value.errors()[0]["msg"]
    assert ours == theirs, value


def test_the_lists_are_email_validators() -> None:
    assert frozenset(email_validator.SPECIAL_USE_DOMAIN_NAMES) <= SPECIAL_USE_DOMAINS
    assert frozenset(email_validator.rfc_constants.CASE_INSENSITIVE_MAILBOX_NAMES) == MAILBOX_NAMES


def test_the_json_schema_is_emailstrs() -> None:
    assert Ours.model_json_schema()["properties"] == Theirs.model_json_schema()["properties"]


def test_the_init_template_address_needs_no_email_validator() -> None:
    assert plain_address("support@acme.example") == "support@acme.example"
    assert plain_address("Info@Acme.example") is None  # upper case host: email-validator's
