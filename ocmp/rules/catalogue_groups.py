"""The rule groups of the catalogue. Importing this module registers every rule.

Add one line per group module; nothing else discovers rules.
"""
from ocmp.rules import assets, listing, listing_text, pricing  # noqa: F401  (LST, PRC)
