"""Identity (``/20160918``): tenancy, region subscriptions, compartments, policies.

``models`` holds state and behaviour, ``responses`` the HTTP side, ``routes`` the table.
"""
