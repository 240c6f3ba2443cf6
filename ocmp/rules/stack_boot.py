"""STK100–STK102: what instances do at boot — downloads and provisioners."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.terraform.evaluate import Scope as EvalScope
from ocmp.core.terraform.evaluate import evaluate
from ocmp.core.terraform.expr import Call, Lit, Node, Template, children, parse_value
from ocmp.rules.base import rule
from ocmp.rules.stack_common import stack_of
from ocmp.rules.stack_providers import provisioners

if TYPE_CHECKING:
    from ocmp.core.project import Project
    from ocmp.core.terraform.model import Block

_ORACLE_HOST = re.compile(r"https?://(?:[\w.-]+\.)?(?:oraclecloud\.com|oracle\.com|"
                          r"169\.254\.169\.254)(?:[:/]|$)")
_DOWNLOAD = re.compile(
    r"\b(?:curl|wget|Invoke-WebRequest|iwr)\b[^\n]*?(https?://[^\s\"'|;)]+)"
    r"|\b(pip3?|npm|gem)\s+install\b"
    r"|\b(yum|dnf|apt-get|apt|zypper)\s+(?:-\S+\s+)*install\b"
    r"|\bgit\s+clone\b|\bdocker\s+pull\b|\brpm\s+-[iU]\S*\s+https?://")
_MAYBE_SCRIPT = re.compile(r"curl|wget|install|clone|pull|Invoke-WebRequest|iwr|rpm|file")
_SCRIPT_ATTRS = {"user_data", "content", "metadata", "extended_metadata", "inline"}


def _local_host(url: str) -> bool | None:
    """True for loopback, private and link-local hosts (the product's own API, the instance
    metadata service), None when the host is computed (``${…}``) and cannot be judged."""
    import ipaddress
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    if not host or "$" in host or "{" in host or "%" in host:
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private or ip.is_link_local


def commented(text: str, start: int) -> bool:
    """Whether ``start`` lies in a shell/cloud-config comment (``#`` to the end of the line)."""
    line_start = text.rfind("\n", 0, start) + 1
    prefix = text[line_start:start]
    return prefix.lstrip().startswith("#") or re.search(r"(^|\s)#", prefix) is not None


def downloads(text: str) -> Iterator[tuple[int, str]]:
    """(line, command) for every third-party download in a script.

    Commented-out lines, and URLs to loopback, private or link-local addresses (a product
    calling its own local API, the metadata service) download nothing from a third party.
    """
    for m in _DOWNLOAD.finditer(text):
        if commented(text, m.start()):
            continue
        url = m.group(1)
        if url and (_ORACLE_HOST.match(url) or _local_host(url) is not False):
            continue
        line = text.count("\n", 0, m.start()) + 1
        yield line, m.group(0).strip()[:80]


def _strings_and_files(node: Node, files: list[str], strings: list[str]) -> None:
    if isinstance(node, Call) and node.name in ("file", "templatefile", "filebase64") and \
            node.args and isinstance(node.args[0], Lit | Template):
        arg = node.args[0]
        parts = [arg.value] if isinstance(arg, Lit) else arg.parts
        files.append("".join(p if isinstance(p, str) else "" for p in parts).lstrip("/"))
    elif isinstance(node, Lit) and isinstance(node.value, str):
        strings.append(node.value)
    elif isinstance(node, Template):
        strings.append("".join(p for p in node.parts if isinstance(p, str)))
    for child in children(node):
        _strings_and_files(child, files, strings)


def script_strings(block: Block, wanted: re.Pattern[str]) -> list[str]:
    """The literal text of every script a resource, data source or locals block holds
    (user_data, metadata, cloud-init content, remote-exec inline…), interpolations left out;
    only values whose source text matches ``wanted`` are parsed (a cheap pre-filter)."""
    raws: list[Any] = []
    if block.kind == "locals":
        raws.extend(block.body.values())
    else:
        _walk_attrs(block.body, raws)
    files: list[str] = []
    strings: list[str] = []
    for raw in raws:
        if wanted.search(str(raw)):
            _strings_and_files(parse_value(raw), files, strings)
    return strings


def _walk_attrs(body: Any, found: list[Any], skip: frozenset[str] = frozenset()) -> None:
    if isinstance(body, dict):
        for key, value in body.items():
            if key in skip:
                continue
            if key in _SCRIPT_ATTRS:
                found.append(value)
            else:
                _walk_attrs(value, found, skip)
    elif isinstance(body, list):
        for item in body:
            _walk_attrs(item, found, skip)


@rule("STK100", name="stack.no-boot-downloads", severity=Severity.ERROR, scope=Scope.STACK,
      summary="No third-party code or packages downloaded at boot")
def boot_downloads(project: Project) -> Iterator[Problem]:
    """STK100."""
    stack = stack_of(project)
    seen: set[tuple[str, int]] = set()
    for inst in stack.model.instances():
        for block in inst.config.blocks:
            if block.kind not in ("resource", "data", "locals"):
                continue
            raws: list[Any] = []
            # remote-exec commands are STK101's: one cause, one finding
            _walk_attrs(block.body, raws, frozenset({"provisioner"})) if (
                block.kind != "locals") else raws.extend(block.body.values())
            files: list[str] = []
            strings: list[str] = []
            for raw in raws:
                if _MAYBE_SCRIPT.search(str(raw)):  # cheap pre-filter before parsing
                    _strings_and_files(parse_value(raw), files, strings)
            for text in strings:
                for _, command in downloads(text):
                    if (block.file, block.line) not in seen:
                        seen.add((block.file, block.line))
                        yield Problem(f"{block.address} runs `{command}` at boot", stack.at(block),
                                      hint="bake the software into the Marketplace image")
    for read in stack.reads:
        if read.how == "file provisioner" or read.path is None:
            continue  # copied files are STK101's, when remote-exec runs them
        script = stack.files.text(read.path) if read.path in stack.files.files else None
        for line, command in downloads(script or ""):
            if (read.path, line) not in seen:
                seen.add((read.path, line))
                yield Problem(f"`{command}` downloads third-party code at boot "
                              f"({read.how} in {read.block.address})",
                              stack.where(read.path, line),
                              hint="bake the software into the Marketplace image")


@rule("STK101", name="stack.remote-exec-downloads", severity=Severity.ERROR, scope=Scope.STACK,
      summary="remote-exec provisioners download nothing")
def remote_exec(project: Project) -> Iterator[Problem]:
    """STK101."""
    stack = stack_of(project)
    copied: dict[int, list[str]] = {}  # resource → files its `file` provisioners copy
    for read in stack.reads:
        if read.how == "file provisioner" and read.path in stack.files.files:
            copied.setdefault(id(read.block), []).append(read.path or "")
    for block, kind, body in provisioners(project):
        if kind != "remote-exec":
            continue
        strings: list[str] = []
        files: list[str] = []
        for key, value in body.items():
            if key in ("script", "scripts"):
                for item in value if isinstance(value, list) else [value]:
                    path = evaluate(parse_value(item), EvalScope(module_path="."))
                    if isinstance(path, str):
                        files.append(posixpath.normpath(path))
            else:
                _strings_and_files(parse_value(value), [], strings)
        # One finding per place: the inline commands of a provisioner share one line.
        commands = list(dict.fromkeys(c for text in strings for _, c in downloads(text)))
        if commands:
            shown = ", ".join(f"`{c}`" for c in commands[:3])
            more = f" and {len(commands) - 3} more" if len(commands) > 3 else ""
            yield Problem(f"{block.address}: remote-exec runs {shown}{more}",
                          stack.at(block, "provisioner"), hint="bake it into the image")
        # Scripts remote-exec runs, and files a `file` provisioner copied for it to run.
        for path in sorted(set(files) | set(copied.get(id(block), []))):
            lines: dict[int, str] = {}
            for line, command in downloads(stack.files.text(path) or ""):
                lines.setdefault(line, command)
            for line, command in lines.items():
                yield Problem(f"`{command}` runs on the instance through {block.address}'s "
                              "remote-exec", stack.where(path, line),
                              hint="bake it into the image")


@rule("STK102", name="stack.prefer-cloud-init", severity=Severity.WARNING, scope=Scope.STACK,
      summary="Cloud-init is preferred over any provisioner")
def prefer_cloud_init(project: Project) -> Iterator[Problem]:
    """STK102."""
    stack = stack_of(project)
    for block, kind, _ in provisioners(project):
        yield Problem(f"{block.address} uses a {kind} provisioner", stack.at(block, "provisioner"),
                      hint="use cloud-init user_data instead")
