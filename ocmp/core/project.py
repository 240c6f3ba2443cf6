"""What ``ocmp validate`` looks at, found from the paths the user gave.

A :class:`Project` is one of: a listing project (a ``listing.yaml``, with its assets and,
for a stack listing, the Terraform folder its package points to), a bare Terraform stack
folder, or a stack zip. Rules read it through lazily computed attributes so that each
input is read and parsed once per run.

Owners: the listing side (``listing``, ``locate``) belongs to the foundation; the stack
side (``stack``) to stack validation. Each adds its facets here as cached properties.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ocmp.core.findings import Scope

LISTING_FILE = "listing.yaml"


@dataclass
class Project:
    """One unit of validation."""

    root: Path  # the project directory (or the folder holding the zip)
    listing_path: Path | None = None  # listing.yaml, when there is one
    stack_path: Path | None = None  # Terraform folder or .zip, when there is one
    cwd: Path = field(default_factory=Path.cwd)

    def display(self, path: Path) -> str:
        """A path as the user should read it: relative to where ocmp runs, if below it."""
        try:
            return os.path.relpath(path, self.cwd) if path.is_absolute() else str(path)
        except ValueError:  # another drive on Windows
            return str(path)

    def offers(self, scope: Scope) -> bool:
        """Whether rules of ``scope`` can run on this project."""
        if scope is Scope.LISTING:
            return self.listing_path is not None
        if scope is Scope.STACK:
            return self.stack_path is not None
        return False

    def ignored_rules(self) -> set[str]:
        """Rule ids the listing's ``ignore:`` section switches off."""
        return set()
