"""``ca-sema-xml``: Canada's Consolidated Special Economic Measures Act list
(``data-set/record``: Country (the regime), LastName, GivenName, EntityOrShip, Aliases,
Schedule, Item, DateOfListing; an entry's key is Country + Schedule + Item)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from clearance.errors import InputError
from clearance.i18n import gettext as _
from clearance.model import Entity, EntityKind, ListInfo, Listing, NameKind
from clearance.registry.importers.base import ImportFormat, Item, Limits
from clearance.registry.importers.cell_values import name_of, slug, split_multi
from clearance.registry.importers.dates import date_field
from clearance.registry.importers.xml_reading import text_of, xml_records

__all__ = ["FORMAT"]

URL = (
    "https://www.international.gc.ca/world-monde/assets/office_docs/"
    "international_relations-relations_internationales/sanctions/sema-lmes.xml"
)
LIST = ListInfo(
    id="ca-sema",
    title="Consolidated Canadian Autonomous Sanctions List (SEMA)",
    authority="Global Affairs Canada",
    jurisdiction="CA",
    kind="sanctions",
    source_url=URL,
    description="Persons and entities listed in regulations under the Special Economic "
    "Measures Act and the Justice for Victims of Corrupt Foreign Officials Act.",
    applies_to=("ca-persons",),
)
_ALIASES = re.compile(r"\s*[;]\s*|\s*,\s+(?=[A-Z])")


def detect(path: Path, head: bytes) -> bool:
    return (
        path.is_file()
        and b"<data-set" in head
        and b"<record" in head
        and (b"EntityOrShip" in head or b"DateOfListing" in head or b"Schedule" in head)
    )


def read(path: Path, limits: Limits) -> Iterator[Item]:
    yield LIST
    for number, rec in xml_records(path, {"record"}, limits):
        country = text_of(rec, "Country")
        schedule = text_of(rec, "Schedule")
        item = text_of(rec, "Item")
        record = f"{country}/{schedule}/{item}" if country else str(number)
        entity_name = text_of(rec, "EntityOrShip")
        person = " ".join(x for x in (text_of(rec, "GivenName"), text_of(rec, "LastName")) if x)
        name = entity_name or person
        if not name:
            raise InputError(
                _("no EntityOrShip, GivenName or LastName"),
                path=str(path),
                record=record,
                field="EntityOrShip",
            )
        if not country or not item:
            raise InputError(
                _("an entry needs Country and Item"),
                path=str(path),
                record=record,
                field="Country" if not country else "Item",
            )
        raw_date = text_of(rec, "DateOfListing")
        listed = date_field(raw_date, path, "DateOfListing", record=record)
        aliases = [
            name_of(a, NameKind.ALIAS, source_url=URL)
            for a in split_multi(text_of(rec, "Aliases"), _ALIASES)
            if a != name
        ]
        yield Entity(
            id=f"{LIST.id}-{slug(country)}-{slug(schedule) or 'x'}-{slug(item)}",
            kind=EntityKind.COMPANY if entity_name else EntityKind.PERSON,
            name=name,
            names=aliases,
            listings=[
                Listing(
                    list_id=LIST.id,
                    authority=LIST.authority,
                    jurisdiction="CA",
                    program=f"SEMA: {country}",
                    source_url=URL,
                    start_date=listed,
                    citation=f"Schedule {schedule}, item {item}" if schedule else None,
                    entry_id=record,
                )
            ],
            sources=[URL],
        )


FORMAT = ImportFormat(
    name="ca-sema-xml",
    title="Canada's consolidated SEMA sanctions list (XML)",
    list_id=LIST.id,
    url=URL,
    detect=detect,
    read=read,
)
