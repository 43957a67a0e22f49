"""The report as plain tables (one per section), shared by the XLSX and CSV renderers.

Cells are plain values (text, numbers, dates); lists are joined with ``"; "`` or new lines.
Neutralising formula-like text is the writers' job (:func:`clearance.cells.neutralise_cell`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from clearance.reports.data import DeviceRow, ListingRef, ReportData, SupplierRow
from clearance.reports.record import FindingRef

__all__ = ["DEVICE_HEADERS", "FINDING_HEADERS", "Table", "finding_rows", "tables"]

Cell = str | int | float | date | datetime | None


@dataclass(slots=True, frozen=True)
class Table:
    """One section: a sheet name, its column headers and its rows."""

    name: str
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]


def _listings(listings: tuple[ListingRef, ...]) -> str:
    return "\n".join(lst.label for lst in listings)


def _urls(listings: tuple[ListingRef, ...]) -> str:
    return "\n".join(dict.fromkeys(lst.source_url for lst in listings if lst.source_url))


DEVICE_HEADERS = (
    "Site",
    "Location",
    "Asset tag",
    "Custodian",
    "Register status",
    "Manufacturer",
    "Brand",
    "Model",
    "Firmware",
    "Serial",
    "IP",
    "MAC",
    "Restricted party",
    "Relation",
    "Certainty",
    "Also restricted through",
    "Listings and citations",
    "Source URLs",
    "Evidence",
    "Status",
    "Owner",
    "Due date",
    "Finding",
    "Found by",
    "Overdue",
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
        d.relation,
        round(d.certainty, 3),
        "\n".join(d.also),
        _listings(d.listings),
        _urls(d.listings),
        "\n".join(d.evidence),
        d.status,
        d.owner,
        d.due_date,
        d.finding_id,
        d.source,
        "overdue" if d.overdue else None,
    )


SUPPLIER_HEADERS = (
    "Supplier",
    "Result",
    "Restricted party",
    "Matched name",
    "Score",
    "Explanation",
    "Listings and citations",
    "Source URLs",
    "Disposition",
    "Disposition note",
    "Finding",
)


def _supplier(s: SupplierRow) -> tuple[Cell, ...]:
    return (
        s.supplier,
        s.status,
        s.entity,
        s.matched_name,
        round(s.score, 3),
        "\n".join(s.explanation),
        _listings(s.listings),
        _urls(s.listings),
        s.disposition,
        s.disposition_note,
        s.finding_id,
    )


def _split(data: ReportData, keep: Callable[[FindingRef], bool]) -> tuple[int, int, int]:
    """Device findings, supplier findings and both, of the findings ``keep`` accepts."""
    devices = sum(1 for f in data.findings if f.kind == "device" and keep(f))
    suppliers = sum(1 for f in data.findings if f.kind != "device" and keep(f))
    return devices, suppliers, devices + suppliers


def tables(data: ReportData) -> list[Table]:
    """Every section of the report as a table: summary, devices, suppliers, progress, method."""
    if not data.counts:
        data.summarise()
    summary = Table(
        "Summary",
        ("Dimension", "Key", "Device findings", "Supplier findings", "Total"),
        [
            ("total", "findings", *_split(data, lambda f: True)),
            ("total", "open findings", *_split(data, lambda f: f.active)),
            ("total", "overdue", *_split(data, lambda f: f.overdue)),
            *((c.dimension, c.key, c.devices, c.suppliers, c.total) for c in data.counts),
        ],
    )
    devices = Table("Devices", DEVICE_HEADERS, [_device(d) for d in data.devices])
    suppliers = Table("Suppliers", SUPPLIER_HEADERS, [_supplier(s) for s in data.suppliers])
    progress = Table(
        "Progress",
        ("Date", "Open", "Resolved"),
        [(p.day, p.open, p.resolved) for p in data.progress],
    )
    method = data.method
    method_rows: list[tuple[Cell, ...]] = [
        ("registry", "version", method.registry_version, None),
        ("registry", "content hash", method.registry_hash, None),
    ]
    method_rows += [
        ("source", s.list_id, f"{s.title} ({s.authority})", s.url) for s in method.sources
    ]
    method_rows += [("source retrieved", s.list_id, s.retrieved, None) for s in method.sources]
    method_rows += [("algorithm", a.name, a.version, None) for a in method.algorithms]
    method_rows += [
        (
            f"{s.kind} run",
            s.scope,
            f"{s.started_at.isoformat() if s.started_at else ''} → "
            f"{s.finished_at.isoformat() if s.finished_at else ''}",
            "; ".join(
                x
                for x in (
                    f"site {s.site}" if s.site else None,
                    f"{s.seen} seen",
                    f"by {s.user}" if s.user else None,
                    f"algorithm {s.algorithm}" if s.algorithm else None,
                )
                if x
            ),
        )
        for s in method.scans
    ]
    method_rows += [("note", None, n, None) for n in method.notes]
    method_rows += [("scope: covered", None, line, None) for line in data.scope.covered]
    method_rows += [("scope: not covered", None, line, None) for line in data.scope.not_covered]
    for role, people in (
        ("prepared by", data.sign_off.prepared_by),
        ("reviewed by", data.sign_off.reviewed_by),
    ):
        method_rows += [
            (role, p.user, p.did, f"{p.first.isoformat()} → {p.last.isoformat()}") for p in people
        ]
    return [
        summary,
        devices,
        suppliers,
        progress,
        Table("Method", ("Item", "Name", "Value", "Detail"), method_rows),
    ]


FINDING_HEADERS = (
    "Kind",
    "Site",
    "Location",
    "Asset tag",
    "Subject",
    "Manufacturer",
    "Model",
    "Firmware",
    "Serial",
    "IP",
    "MAC",
    "Restricted party",
    "Relation or result",
    "Score or certainty",
    "Listings and citations",
    "Evidence or explanation",
    "Status",
    "Owner",
    "Due date",
    "Finding",
)


def finding_rows(data: ReportData) -> list[tuple[Any, ...]]:
    """Devices and supplier hits in one flat table (the CSV report)."""
    rows: list[tuple[Any, ...]] = []
    for d in data.devices:
        rows.append(
            (
                "device",
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
                d.relation,
                round(d.certainty, 3),
                _listings(d.listings),
                "\n".join(d.evidence),
                d.status,
                d.owner,
                d.due_date,
                d.finding_id,
            )
        )
    for s in data.suppliers:
        rows.append(
            (
                "supplier",
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
                s.status,
                round(s.score, 3),
                _listings(s.listings),
                "\n".join(s.explanation),
                s.disposition,
                None,
                None,
                s.finding_id,
            )
        )
    return rows
