"""The only package that imports the oci SDK; it returns ocmp's own typed objects."""
