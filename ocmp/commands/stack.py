"""`ocmp stack ...`: the stack side of Oracle's stack flow.

``verify`` (step 5): the package zip in a Resource Manager stack, a PLAN job (with
``--apply``: APPLY and DESTROY too), the job log streamed. The core is
:mod:`ocmp.core.stack_verify`, shared with ``ocmp publish --verify``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ocmp.commands._cloud import CloudOptions, cloud_options
from ocmp.commands._options import FormatOption, at_least

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
        typer.Option("--timeout", help="Give up waiting for a job after this many seconds "
                     "(at least 1).", callback=at_least(1)),
    ] = 3600.0,
    output: FormatOption = None,
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
    reporter: Reporter = RichReporter(console.err) if console.shows_progress() else NullReporter()
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
    body = {**result.to_dict(), "calls": {"requests": stats.requests, "writes": stats.writes,
                                          "retries": stats.retries}}
    error = failure(result.jobs, "fix the Terraform configuration, then re-run "
                    "`ocmp stack verify`")
    if error is not None:
        if console.current_format().value == "human":
            print_verify(console.out, result)
        console.partial(body)  # the document, with the error, comes from the root group
        raise error
    console.emit(body, human=lambda: print_verify(console.out, result))
