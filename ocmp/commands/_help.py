"""The help pages' shape: plain metavars and an Examples section for every command.

Typer 0.29 shows each option's Python type (``<bool>``, ``<list[str]>``, ``<float range>
[x>=1]``, ``{directory}``); a CLI's help shows what to type instead (``PATH``, ``OCID``,
``SECONDS``) and nothing for a flag. :func:`polish` walks the built Click tree once, when
the root group is created, so a new command or option gets the same treatment without
doing anything; an option whose value is not obvious from its type gets its word in
:data:`METAVARS`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args, get_origin

from typer.core import TyperGroup as Group

# Options whose value deserves a better word than its type's.
METAVARS = {
    "--allow-tenancy": "OCID",
    "--listing-id": "OCID",
    "--image-listing": "NAME|OCID",
    "--timeout": "SECONDS",
    "--delay": "SECONDS",
    "--latency": "SECONDS",
    "--endpoint": "URL",
    "--region": "REGION",
    "--profile": "NAME",
    "--config-file": "FILE",
    "--output": "FILE",
    "--state": "FILE",
    "--seed": "FILE",
    "--config-dir": "DIR",
    "--name": "NAME",
    "--note": "TEXT",
    "--method": "METHOD",
    "--path": "REGEX",
    "--status": "STATUS",
    "--code": "CODE",
    "--count": "N",
    "--port": "PORT",
    "--host": "ADDRESS",
    "--after-polls": "N",
    "--auth": "METHOD",
    "--since": "DATE",
    "--until": "DATE",
    "--cursor": "FILE",
    "--compartment": "OCID",
    "--package-version": "VERSION",
}

# `ocmp COMMAND --help` ends with these; the README's command reference shows the same.
EXAMPLES: dict[str, list[str]] = {
    "init": ["ocmp init my-app --kind stack", "ocmp init my-image --kind image --non-interactive"],
    "validate": [
        "ocmp validate",
        "ocmp validate apps/* --select STK,LST010 --strict",
        "ocmp validate --format sarif --output ocmp.sarif",
    ],
    "schema": ["ocmp schema --output listing.schema.json", "ocmp schema --for validate"],
    "plan": ["ocmp plan", "ocmp plan --sandbox --format json"],
    "publish": [
        "ocmp publish",
        "ocmp publish --private --allow-tenancy ocid1.tenancy.oc1..aaaa",
        "ocmp publish --public --confirm-public --format github",
    ],
    "doctor": ["ocmp doctor", "ocmp doctor --auth resource_principal --format junit"],
    "policy": ["ocmp policy --kind image", "ocmp policy --apply"],
    "status": ["ocmp status", "ocmp status --format json | jq .revisions"],
    "diff": ["ocmp diff", "ocmp diff --format json --output drift.json"],
    "import": ["ocmp import --listing-id ocid1.marketplacepublisherlisting.oc1..aaaa"],
    "package": ["ocmp package", "ocmp package stack --output dist/stack.zip"],
    "rules": ["ocmp rules", "ocmp rules --select STK", "ocmp rules explain LST001"],
    "rules explain": ["ocmp rules explain STK009"],
    "terms": ["ocmp terms list", "ocmp terms push"],
    "terms list": ["ocmp terms list --all"],
    "terms push": ["ocmp terms push --format json"],
    "sandbox": ["ocmp sandbox serve --port 8080", "ocmp sandbox docs"],
    "sandbox serve": ["ocmp sandbox serve --port 8080 --state .sandbox.sqlite"],
    "sandbox seed": ["ocmp sandbox seed tenancy.yaml"],
    "sandbox reset": ["ocmp sandbox reset --empty"],
    "sandbox review": ["ocmp sandbox review --mode reject --note 'icon too small'"],
    "sandbox faults": ["ocmp sandbox faults --status 503 --count 3", "ocmp sandbox faults --clear"],
    "sandbox stats": ["ocmp sandbox stats --format json"],
    "sandbox docs": ["ocmp sandbox docs > sandbox.md"],
    "stack": ["ocmp stack verify", "ocmp stack subscribe --check"],
    "stack verify": ["ocmp stack verify stack-listing", "ocmp stack verify --apply --format json"],
    "stack subscribe": ["ocmp stack subscribe stack-listing --yes",
                        "ocmp stack subscribe terraform/ --image-listing 'Acme App' --check"],
    "withdraw": ["ocmp withdraw --dry-run", "ocmp withdraw my-app --format json"],
    "unpublish": ["ocmp unpublish --package-version 1.0.0"],
    "delete": ["ocmp delete --dry-run", "ocmp delete my-app --confirm 'Acme App'"],
    "leads": ["ocmp leads --since 2026-01-01",
              "ocmp leads --cursor leads.cursor --output leads.csv"],
    "report": ["ocmp report installs --since 2026-01-01", "ocmp report payouts --format csv"],
    "report installs": ["ocmp report installs --since 2026-01-01 --until 2026-03-31",
                        "ocmp report installs --export --output installs.csv"],
    "report payouts": ["ocmp report payouts --range last-twelve-months --format json"],
}


def polish(group: Group) -> None:
    """Plain metavars and Examples for ``group`` and every command under it."""
    _walk(group, "")


def _walk(command: Any, path: str) -> None:
    if path:
        examples = EXAMPLES.get(path)
        if examples and not (command.epilog or "").startswith("Examples"):
            command.epilog = "Examples:\n" + "\n".join(f"  $ {e}" for e in examples)
    for param in command.params:
        _plain_metavar(param)
    _plain_help_option(command)
    if isinstance(command, Group):
        for name, sub in command.commands.items():
            _walk(sub, f"{path} {name}".strip())


def _plain_help_option(command: Any) -> None:
    """``--help`` is made when help is shown (Click's lazy help option): plain it then."""
    made = command.get_help_option

    def help_option(ctx: Any) -> Any:
        option = made(ctx)
        if option is not None:
            option.metavar = ""
        return option

    command.get_help_option = help_option


def _plain_metavar(param: Any) -> None:
    if param.param_type_name == "argument":
        # Typer prints an argument's type next to its name (<path>): the name says it.
        param.display_type_rich = lambda ctx: None
    if getattr(param, "metavar", None) is not None:
        return
    if getattr(param, "is_flag", False):
        param.metavar = ""  # a flag takes no value: show none
        return
    long = next((o for o in param.opts if o.startswith("--")), None)
    if long in METAVARS:
        param.metavar = METAVARS[long]
        return
    if param.param_type_name == "argument":
        param.metavar = (param.name or "ARG").upper().removesuffix("S")
        return
    desc = getattr(param, "type_descriptor", None)
    choices = getattr(desc, "choices", None) if desc is not None else None
    if choices:
        param.metavar = "|".join(str(getattr(c, "value", c)) for c in choices)
        return
    annotation = getattr(desc, "annotation", None)
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    param.metavar = _TYPE_WORDS.get(annotation, "TEXT") if isinstance(annotation, type) else "TEXT"


_TYPE_WORDS: dict[type, str] = {Path: "PATH", int: "N", float: "NUMBER", str: "TEXT"}
