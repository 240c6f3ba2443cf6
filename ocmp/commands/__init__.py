"""Thin command modules: parse options, call the core, hand the result to the console."""
