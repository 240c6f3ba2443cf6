"""Marketplace Publisher (``/20241201``): ``models`` holds state and behaviour (a package, by
resource family), ``responses`` the HTTP side (the same families), ``routes`` the table."""
