"""Terraform reading for stack validation.

``hcl_reader`` is the only user of python-hcl2; ``parse_cache`` parses files through a
content-hash cache; ``model`` indexes blocks and wires local modules; ``expr`` maps
tree-sitter-hcl's syntax trees of expressions onto small nodes (``expr_nodes``) and
``evaluate`` computes what can be known offline.
"""
