"""`ocmp rules` lists the catalogue; `ocmp rules explain ID` shows one rule's docs."""

from __future__ import annotations

from typing import Annotated

import typer

from ocmp.commands._options import FormatOption, SelectOption

app = typer.Typer(help="The validation rule catalogue.", invoke_without_command=True)


@app.callback()
def list_rules(
    ctx: typer.Context,
    output: FormatOption = None,
    select: SelectOption = None,
) -> None:
    """List every rule: id, severity, scope, name and summary."""
    if ctx.invoked_subcommand is not None:
        return
    from ocmp import console
    from ocmp.rules import select_rules

    rules = select_rules(select or ())
    if console.current_format().value == "json":
        console.emit(
            {
                "rules": [
                    {
                        "id": r.id,
                        "name": r.name,
                        "severity": r.severity.value,
                        "scope": r.scope.value,
                        "summary": r.summary,
                    }
                    for r in rules
                ],
            }
        )
        return
    if not console.out.is_terminal:
        # Piped or in CI: one unwrapped, tab-separated line per rule, so grep and logs
        # keep every word (a table would wrap summaries to the guessed width).
        # Written directly: Rich would expand the tabs to spaces.
        console.out.file.write("".join(
            "\t".join((r.id, r.severity.value, r.scope.value, r.name, r.summary)) + "\n"
            for r in rules
        ))
        console.err.print(f"{len(rules)} rules; `ocmp rules explain ID` shows one in full.")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, show_edge=False)
    for column in ("id", "severity", "scope", "name", "summary"):
        table.add_column(column, overflow="fold")
    for r in rules:
        table.add_row(r.id, r.severity.value, r.scope.value, r.name, r.summary)
    console.out.print(table)
    console.err.print(f"{len(rules)} rules; `ocmp rules explain ID` shows one in full.")


@app.command("explain")
def explain(
    rule_id: Annotated[str, typer.Argument(help="A rule id (LST001) or dotted name.")],
) -> None:
    """Show a rule's documentation: what it checks, why it matters, how to fix it, examples."""
    from rich.markdown import Markdown

    from ocmp import console
    from ocmp.rules import get

    rule = get(rule_id)
    console.out.print(
        f"[bold]{rule.id}[/] {rule.name} ({rule.severity.value}, {rule.scope.value})",
        highlight=False,
    )
    if not console.out.is_terminal:
        # Not a terminal: the Markdown source as is (rendering would cut code lines).
        console.out.print(rule.doc, markup=False, highlight=False, crop=False, soft_wrap=True)
        return
    console.out.print(Markdown(rule.doc))
