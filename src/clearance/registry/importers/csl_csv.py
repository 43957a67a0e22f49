"""``csl-csv``: the US Consolidated Screening List as CSV (the 29-column header with ``_id``
and the older one without it; columns are read by name, multi-values split on ``;``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from clearance.registry.importers.base import ImportFormat, Item, Limits
from clearance.registry.importers.csl_common import CSL_LIST, CSL_URL, csl_items
from clearance.registry.importers.csv_reading import csv_dicts

__all__ = ["FORMAT"]

_REQUIRED = {"source", "name", "alt_names", "addresses"}


def _header(head: bytes) -> set[str]:
    first = head.split(b"\n", 1)[0].decode("utf-8-sig", "replace")
    return {c.strip().strip('"').lower() for c in first.split(",")}


def detect(path: Path, head: bytes) -> bool:
    return path.is_file() and _header(head) >= _REQUIRED


def read(path: Path, limits: Limits) -> Iterator[Item]:
    rows = csv_dicts(
        path, limits, required=tuple(sorted(_REQUIRED)), what="a Consolidated Screening List CSV"
    )
    yield CSL_LIST
    for line, row in rows:
        yield from csl_items(row, path, line, row.get("_id") or row.get("entity_number") or "")


FORMAT = ImportFormat(
    name="csl-csv",
    title="US Consolidated Screening List, CSV (trade.gov)",
    list_id=CSL_LIST.id,
    url=CSL_URL,
    detect=detect,
    read=read,
)
