"""STK100–STK103: what instances do at boot — downloads, provisioners, default credentials."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.terraform.expr import Call, Lit, Node, Template, children, parse_value
from ocmp.rules.base import rule
from ocmp.rules.stack_common import stack_of
from ocmp.rules.stack_image_facts import root_default
from ocmp.rules.stack_providers import provisioners

if TYPE_CHECKING:
    from ocmp.core.project import Project

_ORACLE_HOST = re.compile(r"https?://(?:[\w.-]+\.)?(?:oraclecloud\.com|oracle\.com|"
                          r"169\.254\.169\.254)(?:[:/]|$)")
_DOWNLOAD = re.compile(
    r"\b(?:curl|wget|Invoke-WebRequest|iwr)\b[^\n]*?(https?://[^\s\"'|;)]+)"
    r"|\b(pip3?|npm|gem)\s+install\b"
    r"|\b(yum|dnf|apt-get|apt|zypper)\s+(?:-\S+\s+)*install\b"
    r"|\bgit\s+clone\b|\bdocker\s+pull\b|\brpm\s+-[iU]\S*\s+https?://")
_MAYBE_SCRIPT = re.compile(r"curl|wget|install|clone|pull|Invoke-WebRequest|iwr|rpm|file")
_SCRIPT_ATTRS = {"user_data", "content", "metadata", "extended_metadata", "inline"}


def downloads(text: str) -> Iterator[tuple[int, str]]:
    """(line, command) for every third-party download in a script."""
    for m in _DOWNLOAD.finditer(text):
        url = m.group(1)
        if url and _ORACLE_HOST.match(url):
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


def _walk_attrs(body: Any, found: list[Any]) -> None:
    if isinstance(body, dict):
        for key, value in body.items():
            if key in _SCRIPT_ATTRS:
                found.append(value)
            else:
                _walk_attrs(value, found)
    elif isinstance(body, list):
        for item in body:
            _walk_attrs(item, found)


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
            _walk_attrs(block.body, raws) if block.kind != "locals" else raws.extend(
                block.body.values())
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
            for rel in files:
                target = posixpath.normpath(rel.replace("${path.module}", inst.config.dir))
                script = stack.files.text(target) if target in stack.files.files else None
                for line, command in downloads(script or ""):
                    if (target, line) not in seen:
                        seen.add((target, line))
                        yield Problem(f"`{command}` downloads third-party code at boot",
                                      stack.where(target, line),
                                      hint="bake the software into the Marketplace image")


@rule("STK101", name="stack.remote-exec-downloads", severity=Severity.ERROR, scope=Scope.STACK,
      summary="remote-exec provisioners download nothing")
def remote_exec(project: Project) -> Iterator[Problem]:
    """STK101."""
    stack = stack_of(project)
    for block, kind, body in provisioners(project):
        if kind != "remote-exec":
            continue
        strings: list[str] = []
        files: list[str] = []
        for value in body.values():
            _strings_and_files(parse_value(value), files, strings)
        for text in strings:
            for _, command in downloads(text):
                yield Problem(f"{block.address}: remote-exec runs `{command}`",
                              stack.at(block, "provisioner"), hint="bake it into the image")


@rule("STK102", name="stack.prefer-cloud-init", severity=Severity.WARNING, scope=Scope.STACK,
      summary="Cloud-init is preferred over any provisioner")
def prefer_cloud_init(project: Project) -> Iterator[Problem]:
    """STK102."""
    stack = stack_of(project)
    for block, kind, _ in provisioners(project):
        yield Problem(f"{block.address} uses a {kind} provisioner", stack.at(block, "provisioner"),
                      hint="use cloud-init user_data instead")


_SECRET_NAME = re.compile(r"passw(or)?d|secret|token", re.I)
_WELL_KNOWN = {"admin", "password", "changeme", "change_me", "secret", "123456", "root",
               "welcome1", "oracle", "default", "passw0rd"}


@rule("STK103", name="stack.no-default-credentials", severity=Severity.WARNING,
      scope=Scope.STACK, summary="No default passwords, secrets or tokens")
def default_credentials(project: Project) -> Iterator[Problem]:
    """STK103."""
    stack = stack_of(project)
    for name, block in stack.model.root.config.variables.items():
        if not _SECRET_NAME.search(name):
            continue
        value = root_default(project, name)
        if isinstance(value, str) and value:
            known = value.lower() in _WELL_KNOWN
            yield Problem(f"variable {name!r} defaults to "
                          f"{'a well-known value' if known else 'a fixed value'}",
                          stack.at(block, "default"),
                          severity=Severity.ERROR if known else None,
                          hint="remove the default; generate it (random_password) or ask for it")
