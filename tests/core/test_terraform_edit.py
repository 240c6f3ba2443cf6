"""Comment-keeping edits of Terraform text: blocks and values found past strings, heredocs
and comments that hold braces, everything outside the edited span kept byte for byte."""

from __future__ import annotations

from ocmp.core.terraform import edit

TEXT = '''# a comment with { a brace
variable "image" {
  description = "braces } in a ${var.x} string"
  default     = "ocid1.image.oc1.iad.aaaa" // trailing comment
}

locals {
  script = <<-EOT
    echo "}" { not a block
  EOT
  /* variable "image" { default = "no" } */
}

resource "oci_core_instance" "app" {
  source_details {
    source_type = "image"
    source_id   = lookup(var.images, var.region, "x")
  }
}
'''


def test_blocks_are_found_past_strings_heredocs_and_comments() -> None:
    kinds = [(k, labels) for _, k, labels in edit.top_blocks(TEXT)]
    assert kinds == [("variable", ("image",)), ("locals", ()),
                     ("resource", ("oci_core_instance", "app"))]
    span = edit.find_block(TEXT, "variable", ("image",))
    assert span is not None and TEXT[span.start:span.end].endswith("comment\n}")


def test_a_value_is_replaced_and_the_rest_kept_byte_for_byte() -> None:
    span = edit.find_block(TEXT, "variable", ("image",))
    assert span is not None
    change = edit.set_attribute(TEXT, span, "default", '"ocid1.image.oc1..bbbb"')
    assert change is not None
    after = edit.apply(TEXT, [change])
    assert '  default     = "ocid1.image.oc1..bbbb" // trailing comment\n' in after
    assert after.replace('"ocid1.image.oc1..bbbb"', '"ocid1.image.oc1.iad.aaaa"') == TEXT
    assert edit.set_attribute(after, edit.find_block(after, "variable", ("image",)),  # type: ignore[arg-type]
                              "default", '"ocid1.image.oc1..bbbb"') is None  # idempotent


def test_nested_blocks_and_multi_token_values() -> None:
    span = edit.find_block(TEXT, "resource", ("oci_core_instance", "app"))
    assert span is not None
    inner = edit.nested_blocks(TEXT, span, "source_details")[0]
    attrs = edit.attributes(TEXT, inner)
    value = attrs["source_id"]
    assert TEXT[value.value_start:value.value_end] == 'lookup(var.images, var.region, "x")'
    added = edit.set_attribute(TEXT, span, "depends_on", "[x.y]")
    assert added is not None and "depends_on = [x.y]" in edit.apply(TEXT, [added])
