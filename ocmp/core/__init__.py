"""The core of ocmp: pure logic, imports neither typer, rich nor oci."""
