"""`ocmp policy`: print the IAM policy Marketplace needs, or --apply it to the root compartment."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ocmp.commands._cloud import CloudOptions, cloud_options
from ocmp.commands._options import FormatOption, choice_of

DEFAULT_NAME = "marketplace"


class ListingKind(StrEnum):
    """Which statements: an image listing needs five, a stack listing all seven."""

    image = "image"
    stack = "stack"


@cloud_options
def policy(
    kind: Annotated[
        ListingKind | None,
        typer.Option(
            "--kind",
            help="image or stack (default: the kind of ./listing.yaml, else stack: all seven).",
            metavar="image|stack",
            parser=choice_of(ListingKind),
            show_default=False,
        ),
    ] = None,
    apply: Annotated[
        bool,
        typer.Option(
            "--apply",
            help="Create or update the policy in the root compartment: add only the missing "
            "statements, never remove one.",
        ),
    ] = False,
    name: Annotated[
        str, typer.Option("--name", help="The policy to create or extend with --apply.")
    ] = DEFAULT_NAME,
    output: FormatOption = None,
    *,
    cloud: CloudOptions,
) -> None:
    """Print the `ALLOW SERVICE marketplace …` statements a listing kind needs (to paste in
    the Console), or apply them with --apply (idempotent, safe with concurrent edits)."""
    from ocmp import console
    from ocmp.core.policy import requirements_for

    chosen = (kind.value if kind else None) or _kind_of_cwd_listing() or ListingKind.stack.value
    requirements = requirements_for(chosen)
    statements = [r.statement for r in requirements]
    if not apply:
        console.emit(
            {"kind": chosen, "name": name, "compartment": "root", "statements": statements},
            human=lambda: _print_statements(chosen, statements),
        )
        return

    from ocmp.commands._cloud import cloud_session
    from ocmp.core.policy_apply import apply_policy

    with cloud_session(cloud) as clients:
        result = apply_policy(clients.identity, name=name, requirements=requirements)
        tenancy = clients.tenancy_id
    console.emit(
        {
            "kind": chosen,
            "name": result.policy_name,
            "policy_id": result.policy_id,
            "compartment": tenancy,
            "result": result.outcome.value,
            "added": list(result.added),
            "statements": list(result.statements),
        },
        human=lambda: _print_applied(chosen, statements, result),
    )


def _print_statements(chosen: str, statements: list[str]) -> None:
    from ocmp import console

    console.err.print(
        f"[dim]the {len(statements)} statements a {chosen} listing needs, for a policy in "
        "the ROOT compartment (Console → Identity & Security → Policies → Create Policy; "
        "or `ocmp policy --apply`):[/]",
        highlight=False,
    )
    for statement in statements:
        console.out.print(statement, highlight=False, markup=False)


def _print_applied(chosen: str, statements: list[str], result: Any) -> None:
    from ocmp import console

    if not result.added:
        console.err.print(
            f"[green]nothing to do:[/] the root compartment already grants all "
            f"{len(statements)} statements a {chosen} listing needs",
            highlight=False,
        )
        return
    verb = "created" if result.outcome.value == "created" else "updated"
    console.err.print(
        f"[green]{verb}[/] policy {result.policy_name!r} in the root compartment; added "
        f"{len(result.added)} statement{'s' if len(result.added) != 1 else ''}:",
        highlight=False,
    )
    for statement in result.added:
        console.out.print(statement, highlight=False, markup=False)


def _kind_of_cwd_listing() -> str | None:
    """The kind of ./listing.yaml, when there is a valid one."""
    from ocmp.core.project import LISTING_FILE, open_projects

    if not (Path.cwd() / LISTING_FILE).is_file():
        return None
    project = open_projects(["."])[0]
    return str(project.listing.model.kind)
