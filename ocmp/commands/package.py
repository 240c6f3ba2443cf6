"""`ocmp package [PATH] [-o FILE]`: build the stack zip Resource Manager and Marketplace expect."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ocmp.commands._options import FormatOption


def package(
    path: Annotated[
        str,
        typer.Argument(help="A stack listing project (listing.yaml or its folder) or a stack "
                       "folder.", show_default=False),
    ] = ".",
    out: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The zip to write (default: dist/stack-VERSION.zip "
                     "in a listing project, else <folder>.zip).", show_default=False),
    ] = None,
    output: FormatOption = None,
) -> None:
    """Build a deterministic stack zip; nothing is written when the stack has errors."""
    from collections.abc import Sequence

    from ocmp import console
    from ocmp.core.findings import Finding
    from ocmp.core.package import build_package
    from ocmp.core.project import Project, open_projects
    from ocmp.rules import run

    project = open_projects([path])[0]
    if project.stack_path is None:
        from ocmp.errors import InputError

        raise InputError("this listing has no stack to package", file=path,
                         hint="`ocmp package` is for kind: stack listings and stack folders")
    stack_dir = project.stack_path
    if not stack_dir.is_dir():
        from ocmp.errors import InputError

        raise InputError("not a stack folder", file=project.display(stack_dir),
                         hint="give the folder with the .tf files (a zip is already packaged)")
    # A path the user named may be a device or pipe (-o /dev/stdout); the default one is
    # placed inside the project and must stay there.
    project_root: Path | None = None
    if out is None:
        if project.listing_path is not None:
            version = project.listing.model.package.version
            out = project.root / "dist" / f"stack-{version}.zip"
            project_root = project.root
        else:
            out = Path.cwd() / f"{stack_dir.resolve().name}.zip"
            project_root = Path.cwd()
    target = out if out.is_absolute() else Path.cwd() / out

    # The listing's `ignore:` entries apply to the archive rules too, except the secrets
    # rules: a private key, credentials or state are never packaged, whatever it says.
    from ocmp.rules import all_rules

    rules = all_rules()
    ignored = sorted(r for r in project.ignored_rules()
                     if r.startswith("STK") and (r not in rules or rules[r].ignorable))

    def run_rules(checked: Project, select: Sequence[str]) -> list[Finding]:
        return run(checked, select=select, ignore=ignored)

    result = build_package(stack_dir, target, project.display, run_rules,
                           project_root=project_root)

    def human() -> None:
        if result.report.findings:
            console.print_report(result.report, title="packaged" if result.written else "checked")
        if result.unread:
            console.err.print(
                f"left out {len(result.unread)} file{'s' if len(result.unread) != 1 else ''} "
                "the stack never reads: " + ", ".join(result.unread[:10])
                + (" …" if len(result.unread) > 10 else "")
                + " (list them in .ocmpinclude to ship them)", highlight=False, markup=False)
        if result.written:
            console.out.print(f"{project.display(target)}  {len(result.entries)} files  "
                              f"{result.size} bytes  sha256 {result.sha256}", highlight=False,
                              markup=False)
        else:
            console.err.print(f"nothing written: fix the errors above, then re-run "
                              f"(would have written {project.display(target)})",
                              highlight=False, markup=False)

    report = result.report.to_dict()
    console.emit(
        {
            "written": result.written,
            "path": project.display(target),
            "size": result.size if result.written else None,
            "sha256": result.sha256 if result.written else None,
            "entries": result.entries,
            "left_out": result.left_out,
            "unread": result.unread,
            "findings": report["findings"],
            "summary": report["summary"],
        },
        exit_code=0 if result.written else 1,
        human=human,
    )
