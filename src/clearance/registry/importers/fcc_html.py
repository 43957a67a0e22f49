"""``fcc-html``: the FCC Covered List page (47 CFR 1.50002).

A table of covered equipment or services and their dates of inclusion. Rows that name a
producer or provider ("… produced by Hangzhou Hikvision Digital Technology Company, to the
extent …") become company entities; rows that cover a class of equipment ("Routers produced
in a foreign country …") become categories. Entries include subsidiaries and affiliates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from clearance.errors import FormatError, InputError
from clearance.i18n import gettext as _
from clearance.model import Entity, EntityKind, ListInfo, Listing, NameKind
from clearance.registry.importers.base import ImportFormat, Item, Limits
from clearance.registry.importers.cell_values import name_of, slug
from clearance.registry.importers.dates import date_field
from clearance.registry.importers.html_tables import html_tables

__all__ = ["FORMAT", "covered_parties"]

URL = "https://www.fcc.gov/supplychain/coveredlist"
LIST = ListInfo(
    id="us-fcc-covered-list",
    title="FCC Covered List (official page)",
    authority="Federal Communications Commission",
    jurisdiction="US",
    kind="telecom-security",
    source_url=URL,
    description="Communications equipment and services deemed an unacceptable national-"
    "security risk (47 CFR 1.50002); entries include subsidiaries and affiliates.",
    applies_to=("us-telecom-providers",),
)

_BY = re.compile(
    r"\b(?:produced|provided|supplied)(?: or provided)?(?:,? directly or indirectly,)? by\s+"
    r"(?P<who>.+?)(?=,\s+(?:to the extent|including|subject to)|\s+(?:or any of its|subject to"
    r"|or any of|including)\b|\.\s*$|$)",
    re.IGNORECASE,
)
_WHOLLY = re.compile(r"\s+and its wholly-owned subsidiary\s+", re.IGNORECASE)
_ABBREV = re.compile(r"\b(?:Inc|Ltd|Co|Corp|Corps|S\.A|L\.L\.C)\.$")
_MARKS = re.compile(r"\s*[\^†£³#*]+")
_DATE = re.compile(r"([A-Z][a-z]+ \d{1,2}, \d{4})")


def covered_parties(text: str) -> list[str]:
    """The producers or providers a Covered List entry names (none for categories)."""
    match = _BY.search(text)
    if not match:
        return []
    who = match.group("who").strip().rstrip(",")
    if who.endswith(".") and not _ABBREV.search(who):
        who = who[:-1]
    if who.lower().startswith(("such entity", "a foreign")):
        return []
    return [p.strip() for p in _WHOLLY.split(who) if p.strip()]


def detect(path: Path, head: bytes) -> bool:
    text = head.lower()
    return (
        path.is_file()
        and b"<table" in text
        and b"covered" in text
        and (b"date of inclusion" in text or b"coveredlist" in text)
    )


def read(path: Path, limits: Limits) -> Iterator[Item]:
    yield LIST
    found = 0
    for table in html_tables(path, limits):
        header = [h.lower() for h in table.header]
        if not any("covered" in h for h in header):
            continue
        what = next(i for i, h in enumerate(header) if "covered" in h)
        when = next((i for i, h in enumerate(header) if "date" in h), None)
        for line, cells in table.rows:
            found += 1
            if len(cells) <= what or not cells[what]:
                raise InputError(
                    _("row without covered equipment or services"),
                    path=str(path),
                    line=line,
                    field=table.header[what],
                )
            text = cells[what]
            raw = cells[when] if when is not None and when < len(cells) else ""
            first = _DATE.search(raw)
            start = date_field(
                first.group(1) if first else raw, path, "Date of Inclusion", line=line
            )
            listing = Listing(
                list_id=LIST.id,
                authority=LIST.authority,
                jurisdiction="US",
                program="Covered List",
                source_url=URL,
                start_date=start,
                scope=text,
                citation="47 CFR 1.50002",
            )
            parties = covered_parties(text)
            if not parties:
                label = _MARKS.sub("", text.split(",")[0].split(" —")[0]).strip()[:120]
                yield Entity(
                    f"{LIST.id}-{slug(label)[:60]}",
                    EntityKind.CATEGORY,
                    label,
                    listings=[listing],
                    notes=text,
                    sources=[URL],
                )
                continue
            for party in parties:
                names = []
                if party.endswith(" Company"):
                    names.append(
                        name_of(party[: -len(" Company")] + " Co.", NameKind.ALIAS, source_url=URL)
                    )
                yield Entity(
                    f"{LIST.id}-{slug(party)[:80]}",
                    EntityKind.COMPANY,
                    party,
                    names=names,
                    listings=[listing],
                    notes=text,
                    sources=[URL],
                )
    if not found:
        raise FormatError(_("no Covered List table"), path=str(path), field="table")


FORMAT = ImportFormat(
    name="fcc-html",
    title="FCC Covered List (the official HTML page)",
    list_id=LIST.id,
    url=URL,
    detect=detect,
    read=read,
)
