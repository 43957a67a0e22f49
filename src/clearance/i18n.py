"""French and English: the message catalogues, the language in force, and dates and numbers
written the way each language writes them.

Messages are marked in the source with ``_("…")`` (``ngettext`` for plurals) and translated in
gettext catalogues, one per domain: ``cli`` (the command line's messages), ``reports`` (the
report templates and the texts the report code writes) and ``web`` (the web pages). The
catalogues are the ``.po`` files under ``clearance/locale/<lang>/LC_MESSAGES/``, read with Babel
and compiled in memory on first use, so there is no build step and no binary file in the
repository. English is the source language: an English run translates nothing.

The language in force is a context variable: ``with use_lang("fr"): …`` (or ``set_lang``) for
the duration of a command or a report. ``resolve_lang`` picks it: the ``--lang`` given, else the
organisation profile's, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Literal

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

__all__ = [
    "DOMAINS",
    "LANGUAGES",
    "Lang",
    "babel_locale",
    "current_lang",
    "format_date",
    "format_datetime",
    "format_number",
    "gettext",
    "ngettext",
    "resolve_lang",
    "set_lang",
    "translations",
    "use_lang",
]

Lang = Literal["en", "fr"]
LANGUAGES: tuple[Lang, ...] = ("en", "fr")
DOMAINS = ("cli", "reports", "web")
DEFAULT_DOMAIN = "cli"

_LANG: ContextVar[Lang] = ContextVar("clearance_lang", default="en")


def _as_lang(value: str | None) -> Lang | None:
    """``"fr_CA.UTF-8"`` → ``"fr"``; None for a language Clearance does not have."""
    if not value:
        return None
    code = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    if code == "fr":
        return "fr"
    if code == "en":
        return "en"
    return None


def resolve_lang(explicit: str | None = None, profile_lang: str | None = None) -> Lang:
    """The language to use: ``explicit`` (``--lang``), else the profile's, else the locale's,
    else English."""
    for candidate in (explicit, profile_lang):
        lang = _as_lang(candidate)
        if lang:
            return lang
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:  # the first one set decides, as in POSIX
            return _as_lang(value) or "en"
    return "en"


def current_lang() -> Lang:
    return _LANG.get()


def set_lang(lang: str | None) -> Lang:
    """Make ``lang`` the language in force (for the rest of this context); returns it."""
    resolved = _as_lang(lang) or "en"
    _LANG.set(resolved)
    return resolved


@contextmanager
def use_lang(lang: str | None) -> Iterator[Lang]:
    """The language in force is ``lang`` inside the block."""
    token = _LANG.set(_as_lang(lang) or "en")
    try:
        yield _LANG.get()
    finally:
        _LANG.reset(token)


@cache
def translations(lang: str, domain: str = DEFAULT_DOMAIN) -> NullTranslations:
    """The catalogue of ``domain`` in ``lang`` (``NullTranslations`` for English or a missing
    catalogue), read from its ``.po`` file and compiled in memory once."""
    if lang == "en":
        return NullTranslations()
    po = resources.files("clearance").joinpath("locale", lang, "LC_MESSAGES", f"{domain}.po")
    if not po.is_file():
        return NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=domain)


def gettext(message: str, domain: str = DEFAULT_DOMAIN) -> str:
    """``message`` in the language in force."""
    return translations(current_lang(), domain).gettext(message)


def ngettext(singular: str, plural: str, n: int, domain: str = DEFAULT_DOMAIN) -> str:
    return translations(current_lang(), domain).ngettext(singular, plural, n)


def babel_locale(lang: str | None = None) -> Locale:
    """Babel's locale for ``lang`` (default: the language in force): Canadian French or English."""
    return Locale.parse({"fr": "fr_CA", "en": "en_CA"}[lang or current_lang()])


def format_date(value: date | None, lang: str | None = None, fmt: str = "medium") -> str:
    """A date as the language writes it (``2 déc. 2026`` / ``Dec 2, 2026``); "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return str(_babel_date(value, format=fmt, locale=babel_locale(lang)))


def format_datetime(value: datetime | None, lang: str | None = None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return str(_babel_datetime(value, format=fmt, locale=babel_locale(lang)))


def format_number(value: float, lang: str | None = None) -> str:
    """``12345.5`` → ``12 345,5`` in French, ``12,345.5`` in English."""
    return str(format_decimal(value, locale=babel_locale(lang)))
