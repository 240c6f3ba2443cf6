"""The emulated OCI services; :mod:`.index` lists their route tables."""
