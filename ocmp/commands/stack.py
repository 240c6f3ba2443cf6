"""`ocmp stack ...`: the stack side of Oracle's stack flow.

``verify`` (step 5): the package zip in a Resource Manager stack, a PLAN job (with
``--apply``: APPLY and DESTROY too), the job log streamed. The core is
:mod:`ocmp.core.stack_verify`, shared with ``ocmp publish --verify``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ocmp.commands._cloud import CloudOptions, cloud_options
from ocmp.commands._options import FormatOption, OutputFormat

app = typer.Typer(
    help="Subscribe a stack to published Marketplace images; verify it in Resource Manager.",
    no_args_is_help=True,
)


@app.command("verify")
@cloud_options
def verify(
    path: Annotated[
        str,
        typer.Argument(help="A stack listing project (listing.yaml or its folder), a stack "
                       "folder or a stack zip.", show_default=False),
    ] = ".",
    apply: Annotated[
        bool,
        typer.Option("--apply", help="After the PLAN, APPLY it and DESTROY what it made "
                     "(auto-approved; provisions real resources for a while)."),
    ] = False,
    var: Annotated[
        list[str] | None,
        typer.Option("--var", help="NAME=VALUE: a Terraform variable of the stack "
                     "(repeatable; e.g. the variables without a default).",
                     show_default=False),
    ] = None,
    compartment: Annotated[
        str | None,
        typer.Option("--compartment", help="Compartment OCID of the stack (default: the "
                     "listing's compartment, else the tenancy).", show_default=False),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option("--timeout", help="Give up waiting for a job after this many seconds.",
                     min=1),
    ] = 3600.0,
    output: FormatOption = OutputFormat.human,
    *,
    cloud: CloudOptions,
) -> None:
    """Upload the stack's zip to Resource Manager and run a PLAN job (exit 1 when it fails)."""
    from ocmp import console
    from ocmp.clients.resource_manager import ResourceManagerApi
    from ocmp.commands._cloud import cloud_session
    from ocmp.console_progress import RichReporter, print_verify
    from ocmp.core.progress import NullReporter, Reporter
    from ocmp.core.project import open_projects
    from ocmp.core.publish.run import PollSettings, WriteHook
    from ocmp.core.stack_verify import failure, parse_variables, stack_source, verify_stack

    variables = parse_variables(var or [])
    project = open_projects([path])[0]
    source = stack_source(project)
    reporter: Reporter = (
        NullReporter() if output is OutputFormat.json else RichReporter(console.err)
    )
    with cloud_session(cloud) as clients:
        result = verify_stack(
            clients.get(ResourceManagerApi),
            source,
            compartment_id=compartment or source.compartment_id or clients.tenancy_id,
            variables=variables,
            apply=apply,
            poll=PollSettings.from_env(timeout),
            reporter=reporter,
            after_write=WriteHook(clients.stats),
        )
        stats = clients.stats
    if output is OutputFormat.json:
        console.print_json({"version": 1, **result.to_dict(),
                            "calls": {"requests": stats.requests, "writes": stats.writes,
                                      "retries": stats.retries}})
    else:
        print_verify(console.out, result)
    error = failure(result.jobs, "fix the Terraform configuration, then re-run "
                    "`ocmp stack verify`")
    if error is not None:
        raise error


@app.command("subscribe")
@cloud_options
def subscribe(
    path: Annotated[
        str,
        typer.Argument(help="A stack listing project (listing.yaml or its folder), or a stack "
                       "folder with --image-listing.", show_default=False, metavar="PATH"),
    ] = ".",
    image_listing: Annotated[
        list[str] | None,
        typer.Option("--image-listing", help="Image listing to subscribe to: its name or "
                     "listing OCID (repeatable or comma-separated; default: "
                     "package.stack.image_listings).", metavar="NAME|OCID",
                     show_default=False),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Change nothing: exit 1 with the diff when the stack is "
                     "not subscribed to the published images (for CI)."),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Write the changes without asking.")
    ] = False,
    output: FormatOption = OutputFormat.human,
    *,
    cloud: CloudOptions,
) -> None:
    """Point the stack at the Marketplace images its image listings published.

    Reads each image listing's published package (App Catalog listing, image, package
    version, shapes, pricing) and rewrites the stack: mp_listing_* variables,
    marketplace_source_images, image_subscription.tf, and instances launching the
    subscribed image. The diff is shown first. A second run changes nothing.

    Examples:
      ocmp stack subscribe stack-listing --yes
      ocmp stack subscribe terraform/ --image-listing "Acme App" --check
    """
    import sys

    from ocmp import console
    from ocmp.clients.publisher import PublisherApi
    from ocmp.commands._cloud import cloud_session
    from ocmp.console_progress import print_subscription
    from ocmp.core.project import open_projects
    from ocmp.core.subscribe import apply_subscription, plan_subscription, published_images
    from ocmp.errors import InputError

    project = open_projects([path])[0]
    refs = [r.strip() for item in image_listing or [] for r in item.split(",") if r.strip()]
    compartment = None
    if project.listing_path is not None:
        model = project.listing.model
        compartment = model.compartment
        if not refs:
            refs = list(getattr(getattr(model.package, "stack", None), "image_listings", []))
    if project.stack_path is None:
        raise InputError("this listing has no Terraform stack to subscribe",
                         file=str(path), hint="give a stack listing project or a stack folder")
    if not refs:
        raise InputError(
            "no image listing to subscribe to", file=str(path),
            hint="list them in package.stack.image_listings, or give --image-listing",
        )
    refs = _repository_names(project, refs)
    human = output is not OutputFormat.json
    with cloud_session(cloud) as clients:
        images = published_images(
            clients.get(PublisherApi), compartment or clients.tenancy_id, refs)
    plan = plan_subscription(project.stack_path, images)
    shown = project.display(project.stack_path)
    if human:
        print_subscription(console.err if check else console.out, plan, shown)
    stale = not plan.up_to_date or bool(plan.reports)
    applied = False
    if not check and plan.changes:
        if not yes:
            if not sys.stdin.isatty():
                raise typer.BadParameter("add --yes to write the changes (stdin is not a "
                                         "terminal)", param_hint="--yes")
            if not typer.confirm(f"write {len(plan.changes)} file(s)?", default=False):
                raise typer.Exit(1)
        written = apply_subscription(plan)
        applied = True
        if human:
            console.err.print(f"wrote {len(written)} file(s) in {shown}", highlight=False)
    if not human:
        console.print_json({"version": 1, "command": "stack subscribe", **plan.to_dict(),
                            "applied": applied})
    if check and stale:
        raise typer.Exit(1)


def _repository_names(project: object, refs: list[str]) -> list[str]:
    """Names a repository gives its listings (folder names too) → the listings' own names."""
    from ocmp.core.project import Project
    from ocmp.core.repository import answering, open_repository
    from ocmp.errors import InputError
    from ocmp.schemas.common import is_ocid

    assert isinstance(project, Project)
    if all(is_ocid(r) for r in refs):
        return refs
    try:
        repo = open_repository(project.root.parent, cwd=project.cwd)
    except InputError:
        return refs
    named = []
    for ref in refs:
        hits = [] if is_ocid(ref) else [
            m for m in answering(repo.members, ref) if m.project.root != project.root]
        named.append(hits[0].name if len(hits) == 1 else ref)
    return named
