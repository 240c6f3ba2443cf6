"""The rule groups of the catalogue. Importing this module registers every rule.

Add one line per group module; nothing else discovers rules.
"""
