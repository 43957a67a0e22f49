"""``clearance lists export``: the registry written out whole, or the parties on some lists.

Three formats: ``ftm`` (FollowTheMoney entities, one JSON object a line, as yente and Aleph
load them: :mod:`clearance.registry.export_ftm`), ``jsonl`` (Clearance's own entity records,
one a line, as :func:`clearance.registry.codec.entity_from_json` reads them back) and ``csv``
(one row per entity and listing; an entity on no list has one row with the listing columns
empty; formula-like cells neutralised). Entities are written in id order.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TextIO

from clearance.cells import neutralise_cell
from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.model import Entity, Listing
from clearance.registry.export_ftm import FtmExport, ftm_records
from clearance.registry.registry import Registry

__all__ = ["CSV_COLUMNS", "ExportFormat", "ExportSummary", "select_entities", "write_export"]


class ExportFormat(StrEnum):
    """The formats of ``lists export``."""

    FTM = "ftm"
    JSONL = "jsonl"
    CSV = "csv"


CSV_COLUMNS = (
    "entity_id",
    "kind",
    "name",
    "other_names",
    "countries",
    "identifiers",
    "list",
    "authority",
    "jurisdiction",
    "program",
    "start_date",
    "end_date",
    "scope",
    "citation",
    "entry_id",
    "applies_to",
    "source_url",
)


@dataclass(slots=True, frozen=True)
class ExportSummary:
    """How many entities and records (lines or rows) an export wrote, and the entities FtM
    has no schema for (categories of equipment), left out of ``ftm``."""

    entities: int
    records: int
    left_out: list[str] = field(default_factory=list)


def select_entities(registry: Registry, list_ids: Sequence[str] = ()) -> list[Entity]:
    """The registry's entities in id order; with ``list_ids``, those with a listing on one of
    them. A list the registry does not hold is a :class:`UsageError` naming it (exit 2)."""
    unknown = [x for x in dict.fromkeys(list_ids) if x not in registry.lists]
    if unknown:
        known = ", ".join(sorted(registry.lists))
        raise UsageError(
            _("--list: no list {lists} in registry {version}; its lists are: {known}").format(
                lists=", ".join(repr(x) for x in unknown),
                version=registry.version or "(unversioned)",
                known=known,
            )
        )
    wanted = set(list_ids)
    entities = sorted(registry, key=lambda e: e.id)
    if not wanted:
        return entities
    return [e for e in entities if any(x.list_id in wanted for x in e.listings)]


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"


def _csv_row(entity: Entity, listing: Listing | None) -> list[str]:
    names = [n.value for n in entity.names if n.value != entity.name]
    cells: list[str | None] = [
        entity.id,
        str(entity.kind),
        entity.name,
        "; ".join(dict.fromkeys(names)),
        "; ".join(entity.countries),
        "; ".join(f"{i.scheme}:{i.value}" for i in entity.identifiers),
    ]
    if listing is None:
        cells += [None] * (len(CSV_COLUMNS) - len(cells))
    else:
        cells += [
            listing.list_id,
            listing.authority,
            listing.jurisdiction,
            listing.program,
            listing.start_date.isoformat() if listing.start_date else None,
            listing.end_date.isoformat() if listing.end_date else None,
            listing.scope,
            listing.citation,
            listing.entry_id,
            "; ".join(listing.applies_to),
            listing.source_url,
        ]
    return [neutralise_cell(c or "") for c in cells]


def _write_csv(entities: Iterable[Entity], out: TextIO, wanted: set[str]) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    rows = 0
    for entity in entities:
        listings: list[Listing | None] = [
            x for x in entity.listings if not wanted or x.list_id in wanted
        ]
        for listing in listings or [None]:
            writer.writerow(_csv_row(entity, listing))
            rows += 1
    return rows


def write_export(
    registry: Registry,
    fmt: ExportFormat,
    out: TextIO,
    list_ids: Sequence[str] = (),
) -> ExportSummary:
    """Write the registry (or the parties on ``list_ids``) to ``out`` in ``fmt``.

    With ``list_ids``, the CSV keeps only the listings on those lists; JSON lines and FtM keep
    each entity whole (all its listings), as the registry holds it.
    """
    entities = select_entities(registry, list_ids)
    if fmt is ExportFormat.CSV:
        rows = _write_csv(entities, out, set(list_ids))
        return ExportSummary(len(entities), rows)
    if fmt is ExportFormat.JSONL:
        for entity in entities:
            out.write(_line(entity.to_json()))
        return ExportSummary(len(entities), len(entities))
    report = FtmExport()
    for record in ftm_records(registry, entities, report):
        out.write(_line(record))
    written = len(entities) - len(report.categories_left_out)
    return ExportSummary(written, report.records, list(report.categories_left_out))
