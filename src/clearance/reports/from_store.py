"""Build a :class:`ReportData` from the tracking store: findings with their remediation status,
the assets and supplier screenings behind them, sites, runs and the active registry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from clearance.registry.registry import Registry
from clearance.reports.data import (
    AlgorithmRef,
    DeviceRow,
    ListingRef,
    ProgressPoint,
    ReportData,
    ScanRef,
    SupplierRow,
)
from clearance.reports.rows import TITLE, UNASSIGNED, device_row, method_for, supplier_row
from clearance.store.assets import StoredAsset, list_assets
from clearance.store.findings import FindingStatus, StoredFinding, list_findings
from clearance.store.registry_store import active_version
from clearance.store.runs import Run, list_runs
from clearance.store.sites import Site, list_sites
from clearance.store.suppliers import list_suppliers

__all__ = ["progress_series", "report_from_store"]

_RESOLVED = frozenset(
    {
        FindingStatus.REMOVED,
        FindingStatus.VERIFIED,
        FindingStatus.FALSE_POSITIVE,
        FindingStatus.CLEARED,
    }
)


def _resolved_at(finding: StoredFinding) -> datetime | None:
    if finding.status not in _RESOLVED:
        return None
    return finding.removed_at or finding.verified_at or finding.updated_at


def progress_series(findings: Sequence[StoredFinding], today: date) -> list[ProgressPoint]:
    """Open and resolved findings at the end of each day on which one opened or was resolved,
    and today. A reopened finding counts as open from its first opening (the store keeps only
    its latest removal)."""
    events: set[date] = {today}
    spans: list[tuple[date, date | None]] = []
    for finding in findings:
        opened = finding.opened_at.date()
        resolved = _resolved_at(finding)
        spans.append((opened, resolved.date() if resolved else None))
        events.add(opened)
        if resolved is not None:
            events.add(resolved.date())
    points = []
    for day in sorted(d for d in events if d <= today):
        still_open = sum(1 for o, r in spans if o <= day and (r is None or r > day))
        done = sum(1 for o, r in spans if r is not None and r <= day and o <= day)
        points.append(ProgressPoint(day, still_open, done))
    if len(points) == 1:  # a single day: start the chart at zero the day before
        points.insert(0, ProgressPoint(today - timedelta(days=1), 0, 0))
    return points


# Which of a device's findings leads its work-list line: the one needing most action.
_URGENCY = {
    FindingStatus.REOPENED: 0,
    FindingStatus.OPEN: 0,
    FindingStatus.NOT_SEEN: 1,
    FindingStatus.REPLACEMENT_PLANNED: 1,
    FindingStatus.EXCEPTION_GRANTED: 2,
    FindingStatus.REMOVED: 3,
    FindingStatus.VERIFIED: 4,
    FindingStatus.CLEARED: 5,
    FindingStatus.FALSE_POSITIVE: 6,
}


def _device(stored: StoredAsset, group: list[StoredFinding], sites: dict[str, Site]) -> DeviceRow:
    """One work-list line per device, however many restricted parties it leads to."""
    asset = stored.asset()
    certainty = {a.entity_id: a.certainty for a in asset.restricted}
    lead = min(group, key=lambda f: (_URGENCY.get(f.status, 9), -certainty.get(f.entity_id, 0)))
    site_name = lead.site or stored.site or UNASSIGNED
    owner = lead.owner or (sites[site_name].owner if site_name in sites else None)
    row = device_row(
        asset,
        site_name,
        status=str(lead.status),
        owner=owner,
        due_date=lead.due_date,
        finding_id=", ".join(str(f.id) for f in group),
        entity_id=lead.entity_id,
    )
    others = [f for f in group if f is not lead]
    if not others:
        return row
    listings = dict.fromkeys(row.listings)
    for attribution in asset.restricted:
        if any(f.entity_id == attribution.entity_id for f in others):
            listings.update(dict.fromkeys(ListingRef.of(x) for x in attribution.listings))
    return replace(
        row,
        also=tuple(f"{f.entity} ({f.relation})" for f in others),
        listings=tuple(listings),
    )


def _supplier(result: dict[str, Any], group: list[StoredFinding]) -> SupplierRow | None:
    """One line per supplier: its most pressing finding, the other parties it hit as "also"."""
    lead = min(group, key=lambda f: _URGENCY.get(f.status, 9))
    status = result.get("status")
    row = supplier_row(
        # a hit since disposed of still shows, with its disposition
        {**result, "status": status if status == "match" else "review"},
        disposition=str(lead.status),
        disposition_note=lead.note,
        finding_id=", ".join(str(f.id) for f in group),
        entity_id=lead.entity_id,
    )
    others = tuple(f"{f.entity} ({f.status})" for f in group if f is not lead)
    return replace(row, also=others) if row is not None and others else row


def _scan_ref(run: Run) -> ScanRef:
    targets = run.scope.get("targets") or []
    scope = " ".join(
        str(t).rsplit("/", 1)[-1] if str(t).startswith("/") else str(t) for t in targets
    )
    summary = run.summary or {}
    seen = int(summary.get("assets_seen") or summary.get("suppliers_seen") or 0)
    return ScanRef(run.kind, scope, run.started_at, None, run.site, seen)


def report_from_store(
    engine: Engine,
    registry: Registry,
    *,
    organisation: str = "Clearance",
    site: str | None = None,
    algorithms: Sequence[AlgorithmRef] = (),
    notes: Sequence[str] = (),
    now: datetime | None = None,
) -> ReportData:
    """Every finding in the store (of one site with ``site``) as a report."""
    generated = now or datetime.now(UTC)
    site_info = {s.name: s for s in list_sites(engine)}
    findings = list_findings(engine, site=site)
    assets = {a.id: a for a in list_assets(engine, site=site)}
    suppliers = {s.id: s for s in list_suppliers(engine)} if site is None else {}
    devices: list[DeviceRow] = []
    supplier_rows: list[SupplierRow] = []
    by_asset: dict[int, list[StoredFinding]] = {}
    for finding in findings:
        if finding.kind == "device":
            by_asset.setdefault(finding.subject_id, []).append(finding)
    for asset_id, group in by_asset.items():
        stored = assets.get(asset_id)
        if stored is not None and stored.data.get("restricted"):
            devices.append(_device(stored, group, site_info))
    by_supplier: dict[int, list[StoredFinding]] = {}
    for finding in findings:
        if finding.kind == "supplier" and finding.subject_id in suppliers:
            by_supplier.setdefault(finding.subject_id, []).append(finding)
    for supplier_id, group in by_supplier.items():
        row = _supplier(suppliers[supplier_id].result, group)
        if row is not None:
            supplier_rows.append(row)
    version = active_version(engine)
    method = method_for(registry, version.sources if version else None)
    if method.registry_version is None and version is not None:
        method.registry_version = version.version
    method.algorithms = list(algorithms)
    method.scans = [_scan_ref(r) for r in list_runs(engine, site=site)]
    method.notes = list(notes)
    sites = sorted(site_info) if site is None else [site]
    data = ReportData(
        title=TITLE,
        organisation=organisation,
        generated_at=generated,
        sites=sites,
        site_filter=site,
        devices=sorted(devices, key=lambda d: (d.site, d.location or "", d.ip or "")),
        suppliers=supplier_rows,
        progress=progress_series(findings, generated.date()),
        assets_seen=len(assets),
        suppliers_screened=len(suppliers),
        method=method,
    )
    return data.summarise()
