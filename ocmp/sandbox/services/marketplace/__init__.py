"""The consumer Marketplace (``/20181001``): what was published, and accepted agreements.

``models`` holds state and behaviour, ``responses`` the HTTP side, ``routes`` the table.
"""
