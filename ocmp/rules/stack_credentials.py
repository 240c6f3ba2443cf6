"""STK103, STK104: credentials the stack fixes for every customer — default values of secret
variables, and passwords, tokens or keys written into the scripts and cloud-init templates
an instance runs.

Findings never repeat the secret: they say what kind of credential is where.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.rules.base import rule
from ocmp.rules.stack_boot import commented, script_strings
from ocmp.rules.stack_common import stack_of
from ocmp.rules.stack_image_facts import root_default

if TYPE_CHECKING:
    from ocmp.core.project import Project

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


# A key that names a credential, then `=` or `:` and a value (cloud-init, .repo, .ini, shell).
_KEY = r"[\w.-]*?(?:passw(?:or)?d|passwd|secret|token|api[_-]?key)[\w.-]*"
_ASSIGN = re.compile(
    rf"(?i)(?<![\w$.-])({_KEY})[\"']?[ \t]*[=:][ \t]*(\"[^\"\n]*\"|'[^'\n]*'|[^\s,;#}}\]\)]+)")
_FLAG = re.compile(r"(?i)--[\w-]*(?:password|passwd|secret|token)(?:=|[ \t]+)"
                   r"(\"[^\"\n]*\"|'[^'\n]*'|[^\s;|&)]+)")
_URL_USERINFO = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s:/@\"']+:([^\s@/\"']+)@")
_PIPED = re.compile(r"(?i)\becho\s+(?:-\w+\s+)?(\"[^\"\n]*\"|'[^'\n]*'|\S+)\s*\|\s*(?:sudo\s+)?"
                    r"(chpasswd|passwd\s+--stdin)")
_CHPASSWD_ENTRY = re.compile(r"^\s*-?\s*([\w.-]+):(\S+)\s*$")
_HASH = re.compile(r"^\$(?:1|2[aby]|5|6|y)\$")
# Keys that name where a credential is, or how it is made, not the credential itself.
_NOT_A_VALUE = re.compile(r"(?i)(_file|_path|_dir|_length|_len|_policy|_name|_id|_ocid|_url|"
                          r"_uri|_env|_var|_type|_auth|_expiry|_ttl|_hash_type)$|^lock_passwd$")
_MAYBE_CREDENTIAL = re.compile(r"(?i)passw|secret|token|api.?key|://[^\s/]+@")
_WORDS = {"true", "false", "null", "none", "yes", "no", "required", "optional", "prompt"}


def _literal(value: str) -> str | None:
    """What the finding calls a literal credential value, or None for a reference, a
    placeholder filled at run time, a flag or a path."""
    text = value.strip().strip("\"'")
    if _HASH.match(text):
        return "password hash"
    if len(text) < 4 or text.lower() in _WORDS or text.startswith(("/", "./", "~", "-")):
        return None
    if any(c in text for c in "${}%<>`") or re.match(r"^(var|local|data|module)\.", text):
        return None
    return "value"


def _kind(key: str) -> str:
    low = key.lower()
    if "token" in low:
        return "token"
    if "secret" in low:
        return "secret"
    if "key" in low:
        return "API key"
    return "password"


def credentials(text: str) -> Iterator[tuple[int, str]]:
    """(line, what) for every credential written as a literal in a script or template."""
    found: dict[int, str] = {}

    def note(start: int, what: str) -> None:
        if not commented(text, start):
            found.setdefault(text.count("\n", 0, start) + 1, what)

    for m in _ASSIGN.finditer(text):
        literal = _literal(m.group(2))
        if literal is not None and not _NOT_A_VALUE.search(m.group(1)):
            note(m.start(), "password hash" if literal == "password hash" else _kind(m.group(1)))
    for m in _FLAG.finditer(text):
        if _literal(m.group(1)) is not None:
            note(m.start(), "password")
    for m in _URL_USERINFO.finditer(text):
        if _literal(m.group(1)) is not None:
            note(m.start(), "password in a URL")
    for m in _PIPED.finditer(text):
        if _literal(m.group(1).split(":")[-1]) is not None:
            note(m.start(), "password")
    yield from sorted(found.items())
    yield from _chpasswd_list(text, set(found))


def _chpasswd_list(text: str, seen: set[int]) -> Iterator[tuple[int, str]]:
    """``user:password`` entries of a cloud-init ``chpasswd:`` list."""
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if not re.match(r"^\s*chpasswd:\s*$", line):
            continue
        indent = len(line) - len(line.lstrip())
        for offset, entry in enumerate(lines[number:], number + 1):
            if entry.strip() and len(entry) - len(entry.lstrip()) <= indent:
                break
            m = _CHPASSWD_ENTRY.match(entry)
            if m and m.group(1) not in ("list", "users", "expire", "name", "password", "type") \
                    and offset not in seen and _literal(m.group(2)) is not None:
                yield offset, "password"


@rule("STK104", name="stack.no-committed-credentials", severity=Severity.ERROR,
      scope=Scope.STACK,
      summary="No password, token or key written into the scripts and templates instances run",
      ignorable=False)
def committed_credentials(project: Project) -> Iterator[Problem]:
    """STK104."""
    stack = stack_of(project)
    hint = ("ask for it in a `sensitive` variable (type: password in the schema) or generate it "
            "(random_password), and pass it to the template")
    seen: set[tuple[str, int]] = set()
    for read in stack.reads:  # scripts, templates and files a provisioner copies
        if read.path is None or read.path not in stack.files.files:
            continue
        for line, what in credentials(stack.files.text(read.path) or ""):
            if (read.path, line) not in seen:
                seen.add((read.path, line))
                yield Problem(f"a {what} is written in {read.path} ({read.how} in "
                              f"{read.block.address}): every customer gets the same one",
                              stack.where(read.path, line), hint=hint)
    for inst in stack.model.instances():
        for block in inst.config.blocks:
            if block.kind not in ("resource", "data", "locals"):
                continue
            for text in script_strings(block, _MAYBE_CREDENTIAL):
                for _, what in credentials(text):
                    if (block.file, block.line) not in seen:
                        seen.add((block.file, block.line))
                        yield Problem(f"a {what} is written in the script of {block.address}: "
                                      "every customer gets the same one", stack.at(block),
                                      hint=hint)
