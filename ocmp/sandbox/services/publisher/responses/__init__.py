"""Marketplace Publisher over HTTP, by resource family: each handler reads its request into
the typed inputs of :mod:`..models`, calls them, and answers in the wire shape."""
