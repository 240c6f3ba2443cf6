"""Terraform reading for stack validation.

``hcl_reader`` is the only user of python-hcl2; ``parse_cache`` parses files through a
content-hash cache; ``model`` indexes blocks and wires local modules; ``expr*`` parse
expressions into small trees and ``evaluate`` computes what can be known offline.
"""
