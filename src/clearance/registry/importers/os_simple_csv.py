"""``os-simple-csv``: OpenSanctions targets.simple.csv (columns read by header name:
id, schema, name, aliases, countries, identifiers, sanctions, dataset, first_seen …).
OpenSanctions data is CC BY-NC 4.0 (non-commercial use)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from clearance.errors import InputError
from clearance.i18n import gettext as _
from clearance.model import Entity, EntityKind, Identifier, Listing, NameKind
from clearance.registry.importers.base import ImportFormat, Item, Limits
from clearance.registry.importers.cell_values import country_code, name_of, split_multi
from clearance.registry.importers.csv_reading import csv_dicts
from clearance.registry.importers.dates import parse_date
from clearance.registry.importers.opensanctions import LICENCE, LIST, SCHEMA_KINDS

__all__ = ["FORMAT"]

URL = "https://data.opensanctions.org/datasets/latest/default/targets.simple.csv"
_REQUIRED = ("id", "schema", "name")


def detect(path: Path, head: bytes) -> bool:
    first = head.split(b"\n", 1)[0].decode("utf-8-sig", "replace").lower()
    cols = {c.strip().strip('"') for c in first.split(",")}
    return path.is_file() and {"id", "schema", "name", "aliases", "dataset"} <= cols


def read(path: Path, limits: Limits) -> Iterator[Item]:
    rows = csv_dicts(path, limits, required=_REQUIRED, what="an OpenSanctions targets.simple.csv")
    yield LIST
    for line, row in rows:
        ident, name = row["id"].strip(), row["name"].strip()
        kind = SCHEMA_KINDS.get(row["schema"].strip())
        if not ident or not name:
            raise InputError(
                _("a target needs id and name"),
                path=str(path),
                line=line,
                field="id" if not ident else "name",
            )
        if kind is None:
            continue
        aliases = [
            name_of(a, NameKind.ALIAS, source_url=LIST.source_url)
            for a in split_multi(row.get("aliases"))
        ]
        countries = [c for v in split_multi(row.get("countries")) if (c := country_code(v))]
        yield Entity(
            id=f"{LIST.id}-{ident}",
            kind=EntityKind(kind),
            name=name,
            names=[a for a in dict.fromkeys(aliases) if a.value != name],
            countries=list(dict.fromkeys(countries)),
            identifiers=[Identifier("opensanctions", ident)],
            listings=[
                Listing(
                    list_id=LIST.id,
                    authority=LIST.authority,
                    jurisdiction="INT",
                    program=row.get("dataset", "").strip() or "default",
                    source_url=f"https://www.opensanctions.org/entities/{ident}/",
                    start_date=parse_date(row.get("first_seen")),
                    scope=row.get("sanctions", "").strip()[:500] or None,
                    entry_id=ident,
                )
            ],
            sources=[LIST.source_url],
        )


FORMAT = ImportFormat(
    name="os-simple-csv",
    title="OpenSanctions targets.simple.csv",
    list_id=LIST.id,
    url=URL,
    detect=detect,
    read=read,
    licence=LICENCE,
)
