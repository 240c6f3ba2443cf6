"""Resource Manager (``/20180917``): stacks from a base64 zip (ZIP_UPLOAD) and their jobs.

``models`` holds state and behaviour, ``responses`` the HTTP side, ``routes`` the table.
"""
