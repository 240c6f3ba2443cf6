"""SCH011–SCH013: what the Resource Manager page shows — locale and source, the logo,
the Application Information tab."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.rules.base import rule
from ocmp.rules.stack_common import schema_of

if TYPE_CHECKING:
    from ocmp.core.project import Project


@rule("SCH011", name="schema.locale-and-source", severity=Severity.WARNING, scope=Scope.STACK,
      summary="locale is en and source names a Marketplace listing")
def locale_source(project: Project) -> Iterator[Problem]:
    """SCH011."""
    pair = schema_of(project)
    if pair is None:
        return
    stack, doc = pair
    if "locale" in doc.data and doc.data["locale"] != "en":
        yield Problem(f"locale is {doc.data['locale']!r}", stack.where(doc.file, doc.line_of(
            "locale")), hint="Resource Manager supports locale: en only")
    source = doc.data.get("source")
    if isinstance(source, dict):
        if source.get("type") not in ("marketplace", "quickstart", "web"):
            yield Problem(f"source.type is {source.get('type')!r}", stack.where(
                doc.file, doc.line_of("source", "type")), hint="use type: marketplace")
        elif source.get("type") != "marketplace":
            yield Problem(f"source.type is {source['type']!r} in a Marketplace stack",
                          stack.where(doc.file, doc.line_of("source", "type")),
                          hint="type: marketplace with the listing id as reference")


_URL = re.compile(r"^(https?://[^\s]+|data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+)$")


@rule("SCH012", name="schema.logo-url", severity=Severity.WARNING, scope=Scope.STACK,
      summary="logoUrl is an http(s) or data:image URL")
def logo_url(project: Project) -> Iterator[Problem]:
    """SCH012."""
    pair = schema_of(project)
    if pair and "logoUrl" in pair[1].data:
        stack, doc = pair
        if not _URL.match(str(doc.data["logoUrl"])):
            yield Problem(f"logoUrl {doc.data['logoUrl']!r} is not an absolute URL", stack.where(
                doc.file, doc.line_of("logoUrl")), hint="an https:// URL of a 130×130 PNG")


@rule("SCH013", name="schema.application-information", severity=Severity.WARNING,
      scope=Scope.STACK, summary="title, description and outputs fill the Application "
      "Information tab")
def app_information(project: Project) -> Iterator[Problem]:
    """SCH013."""
    pair = schema_of(project)
    if pair is None:
        return
    stack, doc = pair
    missing = [k for k in ("title", "description") if not doc.data.get(k)]
    if not doc.outputs:
        missing.append("outputs")
    if missing:
        yield Problem(f"no {', '.join(missing)}: the Application Information tab stays empty",
                      stack.where(doc.file, 1), hint="add " + ", ".join(missing))
