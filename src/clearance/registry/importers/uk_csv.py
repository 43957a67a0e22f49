"""``uk-csv``: the UK Sanctions List as CSV (FCDO; the sole UK source from 2026-01-28).

A title row ("Report Date: …") may precede the header, and each name of a designation is a
row of its own, sharing the designation's Unique ID (older OFSI files: Group ID). Columns are
read by name; consecutive rows of one designation become one entity.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from clearance.errors import InputError
from clearance.i18n import gettext as _
from clearance.model import Entity, EntityKind, ListInfo, Listing, NameKind
from clearance.registry.importers.base import ImportFormat, Item, Limits
from clearance.registry.importers.cell_values import country_code, name_of, slug
from clearance.registry.importers.csv_reading import csv_dicts
from clearance.registry.importers.dates import date_field

__all__ = ["FORMAT"]

URL = "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv"
LIST = ListInfo(
    id="uk-sanctions-list",
    title="UK Sanctions List",
    authority="UK Foreign, Commonwealth and Development Office",
    jurisdiction="GB",
    kind="sanctions",
    source_url=URL,
    description="Designations under UK sanctions regulations (Sanctions and Anti-Money "
    "Laundering Act 2018).",
)

_ID = ("unique id", "group id")
_NAME_PARTS = ("name 1", "name 2", "name 3", "name 4", "name 5")
_TYPE = ("individual, entity, ship", "designation type", "group type", "type of entity")
_NAME_TYPE = ("name type", "alias type")
_REGIME = ("regime name", "regime")
_DATE = ("date designated", "uk sanctions list date designated", "listed on")
_COUNTRY = ("address country", "country")


def _get(row: dict[str, str], keys: tuple[str, ...]) -> str:
    for key in keys:
        if row.get(key):
            return row[key].strip()
    return ""


def detect(path: Path, head: bytes) -> bool:
    text = head[:8192].decode("utf-8-sig", "replace").lower()
    return path.is_file() and "name 6" in text and ("unique id" in text or "group id" in text)


def _entity(rows: list[tuple[int, dict[str, str]]], path: Path) -> Entity:
    line, first = rows[0]
    uid = _get(first, _ID)
    names: list[tuple[bool, str]] = []
    for _unused, row in rows:
        parts = [row.get(k, "").strip() for k in _NAME_PARTS]
        last = row.get("name 6", "").strip()
        full = " ".join(p for p in [*parts, last] if p)
        if full:
            is_primary = _get(row, _NAME_TYPE).lower().startswith("primary")
            names.append((is_primary, full))
    if not names:
        raise InputError(
            _("no name in Name 1-6"), path=str(path), line=line, record=uid, field="Name 6"
        )
    main = next((n for p, n in names if p), names[0][1])
    listed = date_field(_get(first, _DATE), path, "Date Designated", line=line, record=uid)
    kind_text = _get(first, _TYPE).lower()
    countries = [c for _, r in rows if (c := country_code(_get(r, _COUNTRY)))]
    return Entity(
        id=f"{LIST.id}-{slug(uid)}",
        kind=EntityKind.PERSON if kind_text.startswith("individual") else EntityKind.COMPANY,
        name=main,
        names=[
            name_of(n, NameKind.ALIAS, source_url=URL)
            for n in dict.fromkeys(n for _, n in names)
            if n != main
        ],
        countries=list(dict.fromkeys(countries)),
        listings=[
            Listing(
                list_id=LIST.id,
                authority=LIST.authority,
                jurisdiction="GB",
                program=_get(first, _REGIME) or "UK sanctions",
                source_url=URL,
                start_date=listed,
                entry_id=uid,
            )
        ],
        sources=[URL],
    )


def read(path: Path, limits: Limits) -> Iterator[Item]:
    group: list[tuple[int, dict[str, str]]] = []
    yield LIST
    rows = csv_dicts(path, limits, required=("name 6",), what="a UK Sanctions List CSV", preamble=5)
    for line, row in rows:
        uid = _get(row, _ID)
        if not uid:
            raise InputError(_("no designation id"), path=str(path), line=line, field="Unique ID")
        if group and _get(group[0][1], _ID) != uid:
            yield _entity(group, path)
            group = []
        group.append((line, row))
    if group:
        yield _entity(group, path)


FORMAT = ImportFormat(
    name="uk-csv",
    title="UK Sanctions List (FCDO), CSV",
    list_id=LIST.id,
    url=URL,
    detect=detect,
    read=read,
)
