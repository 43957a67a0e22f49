"""The report as plain tables (one per section), shared by the XLSX and CSV renderers.

Cells are plain values (text, numbers, dates); lists are joined with ``"; "`` or new lines.
Neutralising formula-like text is the writers' job (:func:`clearance.cells.neutralise_cell`).
Sheet names, headers and labels are in the language in force (the ``*_HEADERS`` constants are
the English msgids; :func:`headers` translates them); dates stay dates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from clearance.i18n import current_lang
from clearance.reports.data import DeviceRow, ListingRef, ReportData, SupplierRow
from clearance.reports.record import FindingRef
from clearance.reports.wording import N_, _r, cell_label, count_label

__all__ = ["DEVICE_HEADERS", "FINDING_HEADERS", "Table", "finding_rows", "headers", "tables"]

Cell = str | int | float | date | datetime | None


@dataclass(slots=True, frozen=True)
class Table:
    """One section: a sheet name, its column headers and its rows."""

    name: str
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]


def headers(names: tuple[str, ...]) -> tuple[str, ...]:
    """Column headers (English msgids) in the language in force."""
    return tuple(_r(name) for name in names)


def _listings(listings: tuple[ListingRef, ...]) -> str:
    return "\n".join(lst.label for lst in listings)


def _urls(listings: tuple[ListingRef, ...]) -> str:
    return "\n".join(dict.fromkeys(lst.source_url for lst in listings if lst.source_url))


DEVICE_HEADERS = (
    N_("Site"),
    N_("Location"),
    N_("Asset tag"),
    N_("Custodian"),
    N_("Register status"),
    N_("Manufacturer"),
    N_("Brand"),
    N_("Model"),
    N_("Firmware"),
    N_("Serial"),
    N_("IP"),
    N_("MAC"),
    N_("Restricted party"),
    N_("Relation"),
    N_("Certainty"),
    N_("Also restricted through"),
    N_("Listings and citations"),
    N_("Source URLs"),
    N_("Evidence"),
    N_("Status"),
    N_("Owner"),
    N_("Due date"),
    N_("Finding"),
    N_("Found by"),
    N_("Overdue"),
)


def _device(d: DeviceRow) -> tuple[Cell, ...]:
    return (
        d.site,
        d.location,
        d.asset_tag,
        d.custodian,
        d.register_status,
        d.manufacturer,
        d.brand,
        d.model,
        d.firmware,
        d.serial,
        d.ip,
        d.mac,
        d.entity,
        cell_label(d.relation),
        round(d.certainty, 3),
        "\n".join(d.also),
        _listings(d.listings),
        _urls(d.listings),
        "\n".join(d.evidence),
        cell_label(d.status),
        d.owner,
        d.due_date,
        d.finding_id,
        d.source,
        _r("overdue") if d.overdue else None,
    )


SUPPLIER_HEADERS = (
    N_("Supplier"),
    N_("Result"),
    N_("Restricted party"),
    N_("Matched name"),
    N_("Score"),
    N_("Explanation"),
    N_("Listings and citations"),
    N_("Source URLs"),
    N_("Disposition"),
    N_("Disposition note"),
    N_("Finding"),
)


def _supplier(s: SupplierRow) -> tuple[Cell, ...]:
    return (
        s.supplier,
        cell_label(s.status),
        s.entity,
        s.matched_name,
        round(s.score, 3),
        "\n".join(s.explanation),
        _listings(s.listings),
        _urls(s.listings),
        cell_label(s.disposition),
        s.disposition_note,
        s.finding_id,
    )


def _split(data: ReportData, keep: Callable[[FindingRef], bool]) -> tuple[int, int, int]:
    """Device findings, supplier findings and both, of the findings ``keep`` accepts."""
    devices = sum(1 for f in data.findings if f.kind == "device" and keep(f))
    suppliers = sum(1 for f in data.findings if f.kind != "device" and keep(f))
    return devices, suppliers, devices + suppliers


def _span(start: datetime | None, end: datetime | None) -> str:
    return f"{start.isoformat() if start else ''} → {end.isoformat() if end else ''}"


def _method_rows(data: ReportData) -> list[tuple[Cell, ...]]:
    """The method sheet: registry, sources, algorithms, runs, notes, scope and sign-off."""
    method = data.method
    rows: list[tuple[Cell, ...]] = [
        (_r("registry"), _r("version"), method.registry_version, None),
        (_r("registry"), _r("content hash"), method.registry_hash, None),
    ]
    rows += [(_r("source"), s.list_id, f"{s.title} ({s.authority})", s.url) for s in method.sources]
    rows += [(_r("source retrieved"), s.list_id, s.retrieved, None) for s in method.sources]
    rows += [(_r("algorithm"), cell_label(a.name), a.version, None) for a in method.algorithms]
    for s in method.scans:
        detail = (
            _r("site {site}").format(site=s.site) if s.site else None,
            _r("{n} seen").format(n=s.seen),
            _r("by {user}").format(user=s.user) if s.user else None,
            _r("algorithm {version}").format(version=s.algorithm) if s.algorithm else None,
        )
        rows.append(
            (
                _r("{kind} run").format(kind=cell_label(s.kind)),
                s.scope,
                _span(s.started_at, s.finished_at),
                "; ".join(x for x in detail if x),
            )
        )
    rows += [(_r("note"), None, n, None) for n in method.notes]
    rows += [(_r("scope: covered"), None, line, None) for line in data.scope.covered]
    rows += [(_r("scope: not covered"), None, line, None) for line in data.scope.not_covered]
    for role, people in (
        (_r("prepared by"), data.sign_off.prepared_by),
        (_r("reviewed by"), data.sign_off.reviewed_by),
    ):
        rows += [(role, p.user, p.did, _span(p.first, p.last)) for p in people]
    return rows


def tables(data: ReportData) -> list[Table]:
    """Every section of the report as a table: summary, devices, suppliers, progress, method,
    in the language in force."""
    if not data.counts:
        data.summarise()
    total = cell_label("total")
    summary = Table(
        _r("Summary"),
        headers(
            (
                N_("Dimension"),
                N_("Key"),
                N_("Device findings"),
                N_("Supplier findings"),
                N_("Total"),
            )
        ),
        [
            (total, _r("findings"), *_split(data, lambda f: True)),
            (total, _r("open findings"), *_split(data, lambda f: f.active)),
            (total, _r("overdue"), *_split(data, lambda f: f.overdue)),
            *(
                (
                    cell_label(c.dimension),
                    _count_key(c.dimension, c.key),
                    c.devices,
                    c.suppliers,
                    c.total,
                )
                for c in data.counts
            ),
        ],
    )
    devices = Table(_r("Devices"), headers(DEVICE_HEADERS), [_device(d) for d in data.devices])
    suppliers = Table(
        _r("Suppliers"), headers(SUPPLIER_HEADERS), [_supplier(s) for s in data.suppliers]
    )
    progress = Table(
        _r("Progress"),
        headers((N_("Date"), N_("Open"), N_("Resolved"))),
        [(p.day, p.open, p.resolved) for p in data.progress],
    )
    return [
        summary,
        devices,
        suppliers,
        progress,
        Table(
            _r("Method"),
            headers((N_("Item"), N_("Name"), N_("Value"), N_("Detail"))),
            _method_rows(data),
        ),
    ]


def _count_key(dimension: str, key: str) -> str:
    """A count's key in a spreadsheet: as it is in English; labelled in French."""
    return key if current_lang() == "en" else count_label(dimension, key)


FINDING_HEADERS = (
    N_("Kind"),
    N_("Site"),
    N_("Location"),
    N_("Asset tag"),
    N_("Subject"),
    N_("Manufacturer"),
    N_("Model"),
    N_("Firmware"),
    N_("Serial"),
    N_("IP"),
    N_("MAC"),
    N_("Restricted party"),
    N_("Relation or result"),
    N_("Score or certainty"),
    N_("Listings and citations"),
    N_("Evidence or explanation"),
    N_("Status"),
    N_("Owner"),
    N_("Due date"),
    N_("Finding"),
)


def finding_rows(data: ReportData) -> list[tuple[Any, ...]]:
    """Devices and supplier hits in one flat table (the CSV report), labels in the language
    in force."""
    rows: list[tuple[Any, ...]] = []
    for d in data.devices:
        rows.append(
            (
                cell_label("device"),
                d.site,
                d.location,
                d.asset_tag,
                " ".join(x for x in (d.manufacturer, d.model) if x),
                d.manufacturer,
                d.model,
                d.firmware,
                d.serial,
                d.ip,
                d.mac,
                d.entity,
                cell_label(d.relation),
                round(d.certainty, 3),
                _listings(d.listings),
                "\n".join(d.evidence),
                cell_label(d.status),
                d.owner,
                d.due_date,
                d.finding_id,
            )
        )
    for s in data.suppliers:
        rows.append(
            (
                cell_label("supplier"),
                s.site,
                None,
                None,
                s.supplier,
                None,
                None,
                None,
                None,
                None,
                None,
                s.entity,
                cell_label(s.status),
                round(s.score, 3),
                _listings(s.listings),
                "\n".join(s.explanation),
                cell_label(s.disposition),
                None,
                None,
                s.finding_id,
            )
        )
    return rows
