"""LST018: the listing's languages are given by code (``en``, ``pt-BR``), not by name."""

from __future__ import annotations

import locale
import re
from collections.abc import Iterator

from ocmp.core.findings import Problem, Scope, Severity
from ocmp.core.project import Project
from ocmp.rules.base import rule
from ocmp.schemas.listing import Language

# A BCP 47 tag as listings use it: a 2-3 letter ISO 639 language, then optional subtags
# (script `Hant`, region `BR` or `419`, variants). Registered 5-8 letter languages exist in
# BCP 47 but no listing uses them, and "english" must not pass as one.
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
# Names the C library's locale table (stdlib ``locale.locale_alias``) lacks.
_MORE_NAMES = {"chinese": "zh", "brazilian": "pt-BR", "brazilian_portuguese": "pt-BR",
               "mandarin": "zh", "castilian": "es", "persian": "fa", "farsi": "fa",
               "simplified_chinese": "zh-Hans", "traditional_chinese": "zh-Hant"}


def code_for(text: str) -> str | None:
    """The BCP 47 tag a language name or a near-code stands for (``English`` → ``en``,
    ``Portuguese (Brazil)`` → ``pt-BR``, ``en_US`` → ``en-US``), if it is recognisable."""
    key = re.sub(r"[^a-z]+", "_", text.strip().lower()).strip("_")
    if key in _MORE_NAMES:
        return _MORE_NAMES[key]
    if re.fullmatch(r"[a-z]{2,3}_[a-z]{2}", key):  # en_US: a POSIX locale name
        return f"{key[:-3]}-{key[-2:].upper()}" if LANGUAGE_TAG.match(key[:-3]) else None
    alias = locale.locale_alias.get(key)
    if alias is None or len(key) <= 3:
        return None
    language, _, region = alias.split(".")[0].partition("_")
    if not re.fullmatch(r"[a-z]{2,3}", language):
        return None  # C, POSIX
    # The table spells a plain language with its home region (english → en_EN, french →
    # fr_FR); a name that says the region (portuguese_brazil → pt_BR) keeps it.
    plain = not region or region.lower() == language or "_" not in key
    return language if plain else f"{language}-{region}"


@rule(
    "LST018",
    name="listing.language-codes",
    severity=Severity.ERROR,
    scope=Scope.LISTING,
    summary="Languages are given by code (en, fr, pt-BR), not by name",
)
def language_codes(project: Project) -> Iterator[Problem]:
    """``contentLanguage`` and ``supportedlanguages`` take an ISO 639-1 / BCP 47 code."""
    languages = project.listing.model.listing.languages
    entries: list[tuple[tuple[str | int, ...], Language]] = [
        (("listing", "languages", "content", "code"), languages.content)]
    entries += [(("listing", "languages", "supported", i, "code"), lang)
                for i, lang in enumerate(languages.supported)]
    for path, language in entries:
        code = language.code.strip()
        if LANGUAGE_TAG.match(code):
            continue
        guess = code_for(code) or code_for(language.name)
        hint = (f"write `code: {guess}` (the language's name goes in `name:`)" if guess else
                "use an ISO 639-1 code, e.g. en, fr, de, ja, or a BCP 47 tag such as pt-BR")
        yield Problem(f"{code!r} is not a language code (e.g. en, fr, pt-BR)",
                      project.locate(*path), hint=hint)
