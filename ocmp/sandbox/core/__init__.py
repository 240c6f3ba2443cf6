"""Pieces every emulated service shares: errors, store, auth, routing, wire helpers."""
