"""`ocmp terms list|push [PATH]`: the terms of use of a listing, on their own."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ocmp.commands._cloud import CloudOptions, cloud_options
from ocmp.commands._options import FormatOption, ProjectArgument

app = typer.Typer(
    help="Terms of use: list them, push a new version of the document, activate it.",
    no_args_is_help=True,
)


@app.command("push")
@cloud_options
def push(
    path: ProjectArgument = Path(),
    output: FormatOption = None,
    *,
    cloud: CloudOptions,
) -> None:
    """Create the term if needed, upload a changed document as a new version, activate it."""
    from ocmp import console
    from ocmp.commands._cloud import cloud_session
    from ocmp.core.publish.run import Target
    from ocmp.core.publish.service import load_project, prepare_run
    from ocmp.core.publish.terms import push_terms

    loaded = load_project(path)
    with cloud_session(cloud) as c:
        result = push_terms(prepare_run(c, loaded, target=Target.DRAFT))
    def human() -> None:
        for change in result["changes"]:
            console.out.print(f"  {change['action']} {change['target']}", highlight=False)
        if not result["changes"]:
            console.out.print("terms: up to date", highlight=False)
        console.out.print(
            f"term {result['term']}, active version {result['term_version']}", highlight=False
        )

    console.emit(result, human=human)


@app.command("list")
@cloud_options
def list_(
    path: ProjectArgument = Path(),
    all_terms: Annotated[
        bool, typer.Option("--all", help="Every term of the compartment, not just this listing's.")
    ] = False,
    output: FormatOption = None,
    *,
    cloud: CloudOptions,
) -> None:
    """List the listing's term (or every term) with its versions."""
    from ocmp import console
    from ocmp.clients.publisher import PublisherApi
    from ocmp.commands._cloud import cloud_session
    from ocmp.core.publish.service import load_project
    from ocmp.core.publish.terms import list_terms

    loaded = load_project(path)
    name = None if all_terms or loaded.model.terms is None else loaded.model.terms.name
    with cloud_session(cloud) as c:
        terms = list_terms(c.get(PublisherApi), loaded.model.compartment or c.tenancy_id, name)
    console.emit({"terms": terms}, human=lambda: _print_terms(terms))


def _print_terms(terms: list[dict[str, Any]]) -> None:
    from ocmp import console

    if not terms:
        console.out.print("no terms yet (ocmp terms push creates them)", highlight=False)
    for term in terms:
        console.out.print(f"[bold]{term['name']}[/] {term['id']}", highlight=False)
        for v in term["versions"]:
            mark = "[green]active[/]" if v["lifecycle_state"] == "ACTIVE" else "[dim]inactive[/]"
            console.out.print(f"  {mark} {v['name']} {v['id']}", highlight=False)
