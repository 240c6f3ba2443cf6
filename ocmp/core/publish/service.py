"""Entry points the commands call: plan or publish one listing project."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ocmp.clients.publisher import PublisherApi
from ocmp.core.progress import NullReporter, Reporter
from ocmp.core.publish.desired import desired_state
from ocmp.core.publish.engine import Outcome, execute, run_steps
from ocmp.core.publish.journal import Journal, journal_scope
from ocmp.core.publish.run import PollSettings, Run, Target

if TYPE_CHECKING:
    from ocmp.clients import Clients
    from ocmp.core.listing_file import LoadedListing


def load_project(path: Path) -> LoadedListing:
    """The listing of a project directory or listing.yaml (InputError when invalid)."""
    from ocmp.core.project import open_projects

    return open_projects([path])[0].listing


def prepare_run(
    clients: Clients,
    loaded: LoadedListing,
    *,
    target: Target,
    dry_run: bool = False,
    wait: bool = True,
    verify: bool = False,
    allow_tenancies: Sequence[str] = (),
    timeout: float | None = None,
    reporter: Reporter | None = None,
    resubmit: bool = False,
) -> Run:
    """Build the run for ``loaded``: desired state, journal and clients."""
    desired = desired_state(loaded.model, loaded.root, clients.tenancy_id)
    if allow_tenancies:
        merged = list(dict.fromkeys([*desired.allowed_tenancies, *allow_tenancies]))
        desired = dataclasses.replace(desired, allowed_tenancies=merged)
    api = clients.get(PublisherApi)  # every request of the run is counted in clients.stats
    resource_manager = None
    if desired.listing_kind.uses_resource_manager:
        from ocmp.clients.resource_manager import ResourceManagerApi

        resource_manager = clients.get(ResourceManagerApi)
    return Run(
        api=api,
        desired=desired,
        journal=Journal.for_listing(
            loaded.root,
            desired.name,
            journal_scope(clients.tenancy_id, clients.settings.endpoint),
        ),
        target=target,
        stats=clients.stats,
        reporter=reporter or NullReporter(),
        dry_run=dry_run,
        wait=wait,
        poll=PollSettings.from_env(timeout),
        resource_manager=resource_manager,
        verify=verify,
        resubmit=resubmit,
    )


def publish(run: Run, loaded: LoadedListing) -> Outcome:
    """Plan (a dry run) or publish; reviewer notes are located in ``loaded``'s listing.yaml.

    A publish holds the listing's lock (``lock.py``) for the whole run; a plan only reads.
    """
    locate = lambda path: loaded.line_of(*path)  # noqa: E731
    if run.dry_run:
        return execute(run, locate)
    from ocmp.core.publish.lock import listing_lock

    with listing_lock(loaded.root, run.desired.name):
        return execute(run, locate)


def retire(run: Run, action: str, *, version: str | None = None, confirm: str = "") -> Outcome:
    """Withdraw the listing, unpublish a package version, or delete the listing.

    ``run`` comes from :func:`prepare_run` (target DRAFT); when it stops part-way, the
    error carries how far it got (:attr:`~ocmp.errors.OcmpError.outcome`).
    """
    from ocmp.core.publish.retire import steps_for

    run.action = action
    return run_steps(run, steps_for(action, version=version, confirm=confirm))
