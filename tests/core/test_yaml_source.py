"""The YAML reader behind listing.yaml: line map, dotted paths, interpolation."""

from __future__ import annotations

from pathlib import Path

import pytest

from ocmp.core.yaml_source import dotted, interpolate, load_yaml
from ocmp.errors import InputError

TEXT = """kind: image
listing:
  name: ${NAME}
  support_contacts:
    - name: A
      email: a@example.com
    - name: B
  price: $$5
"""


def test_dotted_paths_read_like_python() -> None:
    assert dotted(("listing", "support_contacts", 0, "email")) == (
        "listing.support_contacts[0].email"
    )
    assert dotted(()) == ""


def test_every_value_has_its_line(tmp_path: Path) -> None:
    (tmp_path / "l.yaml").write_text(TEXT)
    doc = load_yaml(tmp_path / "l.yaml", "l.yaml")
    assert doc.line_of(("listing", "name")) == 3
    assert doc.line_of(("listing", "support_contacts", 1)) == 7
    assert doc.line_of(("listing", "support_contacts", 0, "email")) == 6
    # an absent key falls back to its nearest ancestor
    assert doc.line_of(("listing", "support_contacts", 1, "email")) == 7


def test_interpolation_and_dollar_escape(tmp_path: Path) -> None:
    (tmp_path / "l.yaml").write_text(TEXT)
    doc = load_yaml(tmp_path / "l.yaml", "l.yaml")
    data = interpolate(doc, {"NAME": "Acme"})
    assert data["listing"]["name"] == "Acme"
    assert data["listing"]["price"] == "$5"
    with pytest.raises(InputError) as caught:
        interpolate(doc, {})
    assert str(caught.value) == "l.yaml:3: listing.name: environment variable NAME is not set"


@pytest.mark.parametrize(("text", "line", "words"), [
    ("kind: image\nlisting:\n\tname: x\n", 3, "a tab character: YAML indents with spaces only"),
    ("kind: image\nlisting:\n  name x\n  tagline: y\n", 4, "line 3 has no colon after its key"),
    ("kind: image\nlisting:\n  name: a\n    tagline: y\n", 4, "a colon where no key can start"),
    ("kind: image\nlisting:\n  - a\n b: 1\n", 4, "bad indentation"),
    # what is left open is shown where it opens, not where the file ends
    ("kind: image\nlisting:\n  name: [a, b\n  tagline: y\n", 3, "this list is never closed"),
    ("kind: image\nlisting:\n  name: {a: b\n\n", 3, "this mapping is never closed"),
    ('kind: image\nlisting:\n  name: "abc\n  tagline: y\n', 3,
     "this quoted value is never closed"),
    ("kind: image\nlisting:\n  name: 'abc\n", 3, "this quoted value is never closed"),
    ("kind: image\nlisting:\n  name: @me\n", 3,
     "a plain value cannot start with '@': put the value in quotes"),
    ("kind: image\nlisting:\n  name: `me`\n", 3, "a plain value cannot start with '`'"),
    # a quote left open runs on to the next quote, lines later: the message says where it opened
    ('kind: image\nlisting:\n  name: "Log in on port 443.\n  tagline: y\n  # say "hi"\n', 5,
     "the quoted value that opens on line 3 does not close on its line"),
])
def test_yaml_syntax_errors_in_plain_words_with_a_caret(tmp_path: Path, text: str, line: int,
                                                        words: str) -> None:
    path = tmp_path / "listing.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_yaml(path, "listing.yaml")
    assert caught.value.line == line
    message = str(caught.value)
    assert words in message
    assert "<block" not in message and "expected <" not in message
    assert "<stream end>" not in message and "token" not in message
    assert message.splitlines()[-1].strip() == "^"


def test_a_pattern_error_words_the_input_even_when_it_holds_braces() -> None:
    from ocmp.core.listing_file import _message
    from ocmp.schemas.common import OCID_PATTERN

    ocid = {"type": "string_pattern_mismatch", "input": "{x}", "ctx": {"pattern": OCID_PATTERN}}
    assert _message(ocid, ("source_image",)) == \
        "'{x}' is not an OCID (they read ocid1.<type>.oc1.<region>.<id>)"
    other = {"type": "string_pattern_mismatch", "input": "{0}{name}", "ctx": {"pattern": "^a$"}}
    assert _message(other, ("k",)) == "'{0}{name}' does not have the form this key takes"
