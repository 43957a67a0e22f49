"""Cell values of official lists: multi-valued cells, names with their script, slugs,
required values and country codes from country names."""

from __future__ import annotations

import re
from pathlib import Path

from clearance.errors import InputError
from clearance.i18n import gettext as _
from clearance.model import Name, NameKind, detect_script

__all__ = ["COUNTRY_CODES", "country_code", "name_of", "require", "slug", "split_multi"]


_SPLIT = re.compile(r"\s*;\s*")


def split_multi(value: str | None, sep: re.Pattern[str] = _SPLIT) -> list[str]:
    """Split a multi-valued cell (``a; b; and c``) into clean, non-empty values."""
    if not value:
        return []
    out = []
    for part in sep.split(value):
        part = part.strip()
        if part.lower().startswith("and "):
            part = part[4:].strip()
        if part and part != "-0-":
            out.append(part)
    return out


def name_of(value: str, kind: NameKind, source_url: str | None = None) -> Name:
    """A :class:`Name` with its script; ASCII names skip the per-character script scan."""
    script = "latin" if value.isascii() else detect_script(value)
    return Name(value, kind, script, None, source_url)


def slug(value: str) -> str:
    """Lower-case ASCII-ish slug for ids."""
    return re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-")


def require(path: Path, record: str, field_name: str, value: str | None) -> str:
    """Return ``value`` or raise an InputError naming the file, record and field."""
    if value is None or not value.strip():
        raise InputError(
            _("required value is missing"), path=str(path), record=record, field=field_name
        )
    return value.strip()


# Country names as the US lists spell them, for lists that give no ISO code.
COUNTRY_CODES = {
    "china": "cn",
    "hong kong": "hk",
    "russia": "ru",
    "iran": "ir",
    "north korea": "kp",
    "korea, north": "kp",
    "syria": "sy",
    "cuba": "cu",
    "venezuela": "ve",
    "belarus": "by",
    "united states": "us",
    "united kingdom": "gb",
    "canada": "ca",
    "germany": "de",
    "france": "fr",
    "turkey": "tr",
    "united arab emirates": "ae",
    "india": "in",
    "pakistan": "pk",
    "iraq": "iq",
    "lebanon": "lb",
    "singapore": "sg",
    "malaysia": "my",
    "taiwan": "tw",
    "japan": "jp",
    "switzerland": "ch",
    "cyprus": "cy",
    "netherlands": "nl",
    "panama": "pa",
    "colombia": "co",
    "mexico": "mx",
}


def country_code(value: str) -> str | None:
    """An ISO 3166 alpha-2 code (lower case) from a code or a common country name."""
    text = value.strip()
    if len(text) == 2 and text.isalpha():
        return text.lower()
    return COUNTRY_CODES.get(text.casefold())
