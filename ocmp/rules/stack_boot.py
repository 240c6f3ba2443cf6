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
# Matched against one command (a logical line cut at ; && || | and $(…), quotes kept so
# that `bash -c "curl …"` is still seen), never against the text of an echo/printf/logger.
_FETCH = re.compile(r"\b(?:curl|wget|Invoke-WebRequest|iwr|Start-BitsTransfer)\b")
_URL = re.compile(r"(?:https?|oci)://[^\s\"'|;)`]+")
_VARIABLE = re.compile(r"\$\{?[A-Za-z_]\w*")
_INSTALL = re.compile(
    r"\b(pip3?|npm|gem)\s+install\b"
    r"|\b(yum|dnf|apt-get|apt|zypper)\s+(?:-\S+\s+)*install\b"
    r"|\bsnap\s+install\b|\bgit\s+clone\b|\bdocker\s+pull\b|\brpm\s+-[iU]\S*\s+https?://")
# Commands that fetch what a URL argument names: manifests, charts, chart repositories.
_URL_TAKERS = re.compile(r"\bkubectl\s+(?:apply|create|replace)\b|\bhelm\s+(?:install|upgrade|"
                         r"template|pull|repo\s+add)\b")
_SAYS = {"echo", "printf", "logger", "Write-Host", "Write-Output", "Write-Verbose", ":"}
_PREFIXES = {"sudo", "env", "nohup", "exec", "time", "command", "then", "else", "do"}
# cloud-config keys that install from package repositories at boot.
_CC_PACKAGES = re.compile(r"^packages:[ \t]*(?:\[[ \t]*[^\]\s]|\r?\n(?:[ \t]*#[^\n]*\n)*"
                          r"[ \t]*-[ \t]*\S)", re.M)
_CC_UPGRADE = re.compile(r"^package_upgrade:[ \t]*(?:true|True|yes)\b", re.M)
_MAYBE_SCRIPT = re.compile(r"curl|wget|install|clone|pull|Invoke-WebRequest|iwr|rpm|file|"
                           r"kubectl|helm|packages|package_upgrade|BitsTransfer")
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


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line, text) of every logical line: ``\\``-continued lines joined."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        first, parts = i, [lines[i]]
        while parts[-1].rstrip().endswith("\\") and i + 1 < len(lines) and \
                not parts[-1].lstrip().startswith("#"):
            parts[-1] = parts[-1].rstrip()[:-1]
            i += 1
            parts.append(lines[i])
        yield first + 1, " ".join(parts)
        i += 1


def _commands(line: str) -> list[str]:
    """A logical line cut into commands at ``;``, ``&&``, ``||``, ``|``, ``$(``, backticks,
    outside quotes; a ``#`` comment (at the start or after a blank) ends the line."""
    found, current, quote = [], [], ""
    i = 0
    while i < len(line):
        ch = line[i]
        if quote:
            current.append(ch)
            if ch == "\\" and quote == '"' and i + 1 < len(line):
                current.append(line[i + 1])
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
            current.append(ch)
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            break
        elif ch in ";|&`" or line.startswith("$(", i):
            found.append("".join(current))
            current = []
            i += 2 if line.startswith("$(", i) else 1
            continue
        else:
            current.append(ch)
        i += 1
    found.append("".join(current))
    return [c for c in found if c.strip()]


def _says(command: str) -> bool:
    """Whether a command only prints or assigns text (echo "yum install", MSG="curl …"):
    its words are no command to run."""
    import shlex

    try:
        words = shlex.split(command.strip().lstrip("-[ "))
    except ValueError:  # an unbalanced quote (a line of YAML, say): read it plainly
        words = command.strip().lstrip("-[ ").split()
    while words and (words[0] in _PREFIXES or words[0].startswith("-") or
                     re.match(r"^[A-Za-z_]\w*=", words[0])):
        words = words[1:]
    if not words:
        return True  # assignments only: the value is text until something runs it
    return words[0].strip("\"',") in _SAYS


def what_it_does(command: str, certain: bool) -> str:
    """How a finding says what a download does."""
    if certain:
        return "downloads third-party code"
    if command.startswith("package_upgrade"):
        return "updates packages from the distribution's repositories"
    return "may download code, from a URL the script does not write out"


def _third_party(url: str) -> bool:
    return not (_ORACLE_HOST.match(url) or _local_host(url) is not False)


def downloads(text: str) -> Iterator[tuple[int, str, bool]]:
    """(line, command, certain) for every third-party download in a script or cloud-config.

    Commands are read, not text: commented-out lines and what echo/printf/logger print are
    skipped, ``\\``-continued lines are joined, and URLs to Oracle, loopback, private or
    link-local addresses (a product calling its own local API, the metadata service)
    download nothing from a third party. ``certain`` is False where the URL is held in a
    variable (where it leads cannot be told) or for a cloud-config ``package_upgrade``.
    """
    for number, line in _logical_lines(text):
        if line.lstrip().startswith("#") or not _MAYBE_SCRIPT.search(line):
            continue
        for command in _commands(line):
            if _says(command):
                continue
            hit = _download(command)
            if hit is not None:
                shown = " ".join(hit[0].split())
                if shown.endswith(")") and "(" not in shown:
                    shown = shown[:-1]  # the end of a $(…) substitution
                yield number, shown[:80], hit[1]
                break
    for m in _CC_PACKAGES.finditer(text):
        yield text.count("\n", 0, m.start()) + 1, "packages: (cloud-config)", True
    for m in _CC_UPGRADE.finditer(text):
        yield text.count("\n", 0, m.start()) + 1, "package_upgrade: true (cloud-config)", False


# curl/wget options whose value is the next word (a header, a body, an output file…).
_TAKES_VALUE = {"-o", "-O", "-d", "-H", "-u", "-X", "-T", "-A", "-e", "-P", "-b", "-c", "-F",
                "-w", "-m", "--output", "--data", "--data-raw", "--data-binary", "--header",
                "--user", "--request", "--upload-file", "--user-agent", "--cookie",
                "--output-document", "--directory-prefix", "--form", "--max-time", "-OutFile",
                "-Headers", "-Method", "-Body"}


def _variable_target(args: str) -> bool:
    """Whether the address a curl/wget fetches is a shell variable (``$URL``, ``"${URL}"``)
    rather than an option's value (``-d "$BODY"``, ``-o "$OUT"``)."""
    import shlex

    try:
        words = shlex.split(args, posix=False)
    except ValueError:
        words = args.split()
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word.startswith("-"):
            skip = word in _TAKES_VALUE
            continue
        if _VARIABLE.match(word.strip("\"'")):
            return True
    return False


def _download(command: str) -> tuple[str, bool] | None:
    """(the command, certain) when one command downloads third-party code."""
    fetch = _FETCH.search(command)
    if fetch is not None:
        urls = _URL.findall(command, fetch.end())
        if any(_third_party(u) for u in urls):
            return command[fetch.start():], True
        if not urls and _variable_target(command[fetch.end():]):
            return command[fetch.start():], False
    taker = _URL_TAKERS.search(command)
    if taker is not None and any(_third_party(u) for u in _URL.findall(command, taker.end())):
        return command[taker.start():], True
    install = _INSTALL.search(command)
    if install is not None:
        return command[install.start():], True
    return None


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
                for _, command, certain in downloads(text):
                    if (block.file, block.line) not in seen:
                        seen.add((block.file, block.line))
                        tail = "" if certain else f": it {what_it_does(command, certain)}"
                        yield Problem(f"{block.address} runs `{command}` at boot{tail}",
                                      stack.at(block),
                                      severity=None if certain else Severity.WARNING,
                                      hint="bake the software into the Marketplace image")
    for read in stack.reads:
        if read.how == "file provisioner" or read.path is None:
            continue  # copied files are STK101's, when remote-exec runs them
        script = stack.files.text(read.path) if read.path in stack.files.files else None
        for line, command, certain in downloads(script or ""):
            if (read.path, line) not in seen:
                seen.add((read.path, line))
                what = what_it_does(command, certain)
                yield Problem(f"`{command}` {what} at boot ({read.how} in {read.block.address})",
                              stack.where(read.path, line),
                              severity=None if certain else Severity.WARNING,
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
        found = list(dict.fromkeys(
            (command, certain) for text in strings for _, command, certain in downloads(text)))
        if found:
            commands = list(dict.fromkeys(command for command, _ in found))
            shown = ", ".join(f"`{c}`" for c in commands[:3])
            more = f" and {len(commands) - 3} more" if len(commands) > 3 else ""
            sure = any(certain for _, certain in found)
            tail = "" if sure else f": it {what_it_does(found[0][0], sure)}"
            yield Problem(f"{block.address}: remote-exec runs {shown}{more}{tail}",
                          stack.at(block, "provisioner"),
                          severity=None if sure else Severity.WARNING,
                          hint="bake it into the image")
        # Scripts remote-exec runs, and files a `file` provisioner copied for it to run.
        for path in sorted(set(files) | set(copied.get(id(block), []))):
            lines: dict[int, tuple[str, bool]] = {}
            for line, command, certain in downloads(stack.files.text(path) or ""):
                if line not in lines or (certain and not lines[line][1]):
                    lines[line] = (command, certain)  # a certain download outranks a maybe
            for line, (command, certain) in lines.items():
                tail = "" if certain else f": it {what_it_does(command, certain)}"
                yield Problem(f"`{command}` runs on the instance through {block.address}'s "
                              f"remote-exec{tail}",
                              stack.where(path, line),
                              severity=None if certain else Severity.WARNING,
                              hint="bake it into the image")


@rule("STK102", name="stack.prefer-cloud-init", severity=Severity.WARNING, scope=Scope.STACK,
      summary="Cloud-init is preferred over any provisioner")
def prefer_cloud_init(project: Project) -> Iterator[Problem]:
    """STK102."""
    stack = stack_of(project)
    for block, kind, _ in provisioners(project):
        yield Problem(f"{block.address} uses a {kind} provisioner", stack.at(block, "provisioner"),
                      hint="use cloud-init user_data instead")
