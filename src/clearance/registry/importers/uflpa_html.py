"""``uflpa-html``: the DHS UFLPA Entity List page.

One table per statutory sub-list (columns "Name of Entity" and "Effective Date"). The name
cell embeds more than a name: "(including one alias: …)", "(also known as …)", "(formerly
known as …)", "and subsidiaries", "and its eight Zhuhai-based subsidiaries, which include
…". Aliases and former names become names; named subsidiaries become entities of their own,
listed too, with a ``subsidiary`` relation to the parent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from clearance.errors import FormatError, InputError
from clearance.i18n import gettext as _
from clearance.model import (
    Entity,
    EntityKind,
    ListInfo,
    Listing,
    Name,
    NameKind,
    Relation,
    RelationKind,
)
from clearance.registry.importers.base import ImportFormat, Item, Limits
from clearance.registry.importers.cell_values import name_of, slug, split_multi
from clearance.registry.importers.dates import date_field
from clearance.registry.importers.html_tables import html_tables

__all__ = ["FORMAT", "parse_uflpa_name"]

URL = "https://www.dhs.gov/uflpa-entity-list"
LIST = ListInfo(
    id="us-uflpa-entity-list",
    title="UFLPA Entity List",
    authority="US Department of Homeland Security, Forced Labor Enforcement Task Force",
    jurisdiction="US",
    kind="forced-labour",
    source_url=URL,
    description="Entities whose goods are presumed made with forced labour under the Uyghur "
    "Forced Labor Prevention Act (Pub. L. 117-78, section 2(d)(2)(B)); imports are detained.",
    applies_to=("us-importers",),
)

_SUBSIDIARIES = re.compile(
    r",?\s+and\s+its\s+(?P<count>[\w-]+\s+)?(?P<where>[\w-]+(?:\s[\w-]+)?\s)?subsidiaries,?"
    r"\s*(?:which|that)\s+(?:include|includes|are)\s*:?\s*(?P<list>.+)$",
    re.IGNORECASE,
)
_AND_SUBS = re.compile(
    r",?\s+(?:and|including)\s+(?:its\s+)?(?:subordinate\s+and\s+affiliated\s+entities|"
    r"subsidiaries|affiliates)\s*\.?\s*$",
    re.IGNORECASE,
)
_ALIAS_INTRO = re.compile(
    r"^(?:including\s+(?:\w+\s+)?alias(?:es)?\s*:|also\s+known\s+as|a\.k\.a\.?|aka)\s*",
    re.IGNORECASE,
)
_FORMER_INTRO = re.compile(r"^(?:formerly\s+known\s+as|f\.k\.a\.?|fka)\s*", re.IGNORECASE)
_SEP = re.compile(r"\s*;\s*|\s*,\s+and\s+(?=[A-Z])")


def _groups(text: str) -> list[tuple[int, int]]:
    """Spans of the top-level parenthesised groups."""
    spans, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "(":
            if depth == 0:
                start = i
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def parse_uflpa_name(cell: str) -> tuple[str, list[Name], list[str], bool]:
    """Split a name cell into (primary name, other names, named subsidiaries, covers subs)."""
    text = " ".join(cell.split()).rstrip(".")
    subsidiaries: list[str] = []
    covers = False
    match = _SUBSIDIARIES.search(text)
    if match:
        subsidiaries = split_multi(match.group("list"), _SEP)
        text = text[: match.start()]
        covers = True
    match = _AND_SUBS.search(text)
    if match:
        text = text[: match.start()]
        covers = True
    names: list[Name] = []
    kept: list[str] = []
    last = 0
    for start, end in _groups(text):
        inner = text[start + 1 : end - 1].strip()
        if _ALIAS_INTRO.match(inner):
            for alias in split_multi(_ALIAS_INTRO.sub("", inner), _SEP):
                names.append(name_of(alias, NameKind.ALIAS, source_url=URL))
        elif _FORMER_INTRO.match(inner):
            for former in split_multi(_FORMER_INTRO.sub("", inner), _SEP):
                names.append(name_of(former, NameKind.FORMER, source_url=URL))
        else:
            if inner.isupper() and " " not in inner and end == len(text):
                names.append(name_of(inner, NameKind.ALIAS, source_url=URL))
            kept.append(text[last:end])
            last = end
            continue
        kept.append(text[last:start])
        last = end
    kept.append(text[last:])
    primary = " ".join("".join(kept).split()).strip(" ,;")
    return primary, names, subsidiaries, covers


def detect(path: Path, head: bytes) -> bool:
    text = head.lower()
    return (
        path.is_file()
        and b"<table" in text
        and b"name of entity" in text
        and (b"uflpa" in text or b"forced labor" in text or b"effective date" in text)
    )


def read(path: Path, limits: Limits) -> Iterator[Item]:
    yield LIST
    found = 0
    for table in html_tables(path, limits):
        header = [h.lower() for h in table.header]
        if not any("name of entity" in h for h in header):
            continue
        name_col = next(i for i, h in enumerate(header) if "name of entity" in h)
        date_col = next((i for i, h in enumerate(header) if "date" in h), None)
        for line, cells in table.rows:
            found += 1
            limits.check_count(path, found)
            if len(cells) <= name_col or not cells[name_col]:
                raise InputError(
                    _("row without an entity name"),
                    path=str(path),
                    line=line,
                    field="Name of Entity",
                )
            raw_date = cells[date_col] if date_col is not None and date_col < len(cells) else ""
            start = date_field(raw_date, path, "Effective Date", line=line)
            primary, names, subs, covers = parse_uflpa_name(cells[name_col])
            listing = Listing(
                list_id=LIST.id,
                authority=LIST.authority,
                jurisdiction="US",
                program=table.heading or "UFLPA Entity List",
                source_url=URL,
                start_date=start,
                scope="includes subsidiaries" if covers else None,
                citation="Pub. L. 117-78, section 2(d)(2)(B)",
            )
            entity_id = f"{LIST.id}-{slug(primary)[:80]}"
            yield Entity(
                id=entity_id,
                kind=EntityKind.COMPANY,
                name=primary,
                names=names,
                countries=["cn"],
                listings=[listing],
                notes=cells[name_col],
                sources=[URL],
            )
            for sub in subs:
                sub_id = f"{LIST.id}-{slug(sub)[:80]}"
                yield Entity(
                    sub_id,
                    EntityKind.COMPANY,
                    sub,
                    countries=["cn"],
                    listings=[listing],
                    sources=[URL],
                )
                yield Relation(
                    sub_id,
                    RelationKind.SUBSIDIARY,
                    entity_id,
                    URL,
                    note="named as a subsidiary on the UFLPA Entity List",
                )
    if not found:
        raise FormatError(
            _("no table with a 'Name of Entity' column"), path=str(path), field="Name of Entity"
        )


FORMAT = ImportFormat(
    name="uflpa-html",
    title="DHS UFLPA Entity List (the official HTML page)",
    list_id=LIST.id,
    url=URL,
    detect=detect,
    read=read,
)
