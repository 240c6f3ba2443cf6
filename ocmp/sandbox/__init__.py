"""A local emulator of the OCI APIs ocmp uses. Imports nothing else from ocmp."""
