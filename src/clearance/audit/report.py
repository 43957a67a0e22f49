"""Turn an audit's results (or a store's findings) into a :class:`ReportData`."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from clearance.audit.result import AuditResult
from clearance.model import Asset, Attribution
from clearance.registry.registry import Registry
from clearance.reports.data import (
    DeviceRow,
    ListingRef,
    MethodInfo,
    ProgressPoint,
    ReportData,
    SourceRef,
    SupplierRow,
)

__all__ = [
    "UNASSIGNED",
    "device_row",
    "location_of",
    "method_for",
    "report_from_audit",
    "supplier_row",
]

UNASSIGNED = "(no site)"
TITLE = "Restricted-vendor exposure report"

# Inventory columns that say where in a building a device is (English and French).
_LOCATION = re.compile(
    r"^(location|emplacement|room|local|lieu|placement|position|area|zone|salle)$", re.I
)


def location_of(asset: Asset) -> str | None:
    """Where the device is, from its inventory row's location column, if it has one."""
    if not asset.record:
        return None
    for key, value in asset.record.items():
        if _LOCATION.match(str(key).strip()) and value not in (None, ""):
            return str(value)
    return None


def _evidence(asset: Asset) -> tuple[str, ...]:
    lines = []
    for ev in asset.evidence:
        line = f"{ev.kind}: {ev.value}"
        lines.append(f"{line} (rule {ev.rule})" if ev.rule else line)
    return tuple(dict.fromkeys(lines))


def _primary(asset: Asset) -> Attribution:
    return max(asset.restricted, key=lambda a: a.certainty)


def device_row(
    asset: Asset,
    site: str,
    *,
    status: str = "open",
    owner: str | None = None,
    due_date: date | None = None,
    finding_id: str | None = None,
) -> DeviceRow:
    """A work-list line for a restricted asset (its most certain attribution)."""
    attribution = _primary(asset)
    return DeviceRow(
        site=site,
        location=location_of(asset),
        ip=asset.ip,
        mac=asset.mac,
        manufacturer=asset.manufacturer,
        brand=asset.brand,
        model=asset.model,
        firmware=asset.firmware,
        serial=asset.serial,
        entity=attribution.entity,
        entity_id=attribution.entity_id,
        relation=attribution.relation,
        certainty=attribution.certainty,
        evidence=_evidence(asset),
        listings=tuple(ListingRef.of(lst) for lst in attribution.listings),
        status=status,
        owner=owner,
        due_date=due_date,
        source=asset.source,
        finding_id=finding_id,
    )


def _listing_ref(data: dict[str, Any]) -> ListingRef:
    start = data.get("start_date")
    return ListingRef(
        list_id=str(data.get("list") or data.get("list_id") or ""),
        authority=str(data.get("authority") or ""),
        program=str(data.get("program") or ""),
        citation=data.get("citation"),
        source_url=data.get("source_url"),
        start_date=date.fromisoformat(start) if isinstance(start, str) and start else None,
    )


def supplier_row(
    result: dict[str, Any],
    *,
    disposition: str = "open",
    disposition_note: str | None = None,
    finding_id: str | None = None,
) -> SupplierRow | None:
    """A supplier line for a screening result that alerted (its best hit), else ``None``."""
    hits = result.get("hits") or []
    if result.get("status") not in {"match", "review"} or not hits:
        return None
    hit = max(hits, key=lambda h: float(h.get("score") or 0.0))
    return SupplierRow(
        supplier=str(result.get("query") or ""),
        status=str(result["status"]),
        entity=str(hit.get("entity") or hit.get("entity_id") or ""),
        entity_id=str(hit.get("entity_id") or ""),
        matched_name=str(hit.get("matched_name") or ""),
        score=float(hit.get("score") or 0.0),
        explanation=tuple(str(x) for x in hit.get("explanation") or ()),
        listings=tuple(_listing_ref(lst) for lst in hit.get("listings") or ()),
        disposition=disposition,
        disposition_note=disposition_note,
        record=result.get("record"),
        finding_id=finding_id,
    )


def method_for(registry: Registry, sources: list[dict[str, Any]] | None = None) -> MethodInfo:
    """The registry part of the method section: version, hash, and each list's source.

    ``sources`` are the stored version's download records (``list``, ``url``, ``retrieved_at``);
    where a list has none, its ``as_of`` date from the registry stands in.
    """
    retrieved = {str(s.get("list")): s.get("retrieved_at") for s in sources or () if s.get("list")}
    refs = [
        SourceRef(
            list_id=lst.id,
            title=lst.title,
            authority=lst.authority,
            url=lst.source_url,
            retrieved=str(retrieved.get(lst.id) or (lst.as_of.isoformat() if lst.as_of else ""))
            or None,
        )
        for lst in sorted(registry.lists.values(), key=lambda x: (x.jurisdiction, x.id))
    ]
    return MethodInfo(
        registry_version=registry.version, registry_hash=registry.content_hash(), sources=refs
    )


def report_from_audit(result: AuditResult, *, site: str | None = None) -> ReportData:
    """The report of one audit run from its in-memory results (every finding open)."""
    org = result.organisation
    devices: list[DeviceRow] = []
    for asset in result.restricted_assets:
        site_spec = org.site(asset.site) if asset.site else org.site_of_address(asset.ip)
        site_name = asset.site or (site_spec.name if site_spec else UNASSIGNED)
        if site is not None and site_name != site:
            continue
        devices.append(device_row(asset, site_name, owner=site_spec.owner if site_spec else None))
    suppliers = [row for row in (supplier_row(r) for r in result.screening) if row is not None]
    if site is not None:
        suppliers = []  # supplier screening is organisation-wide
    method = method_for(result.registry)
    method.algorithms = list(result.algorithms)
    method.scans = list(result.runs)
    method.notes = list(result.notes)
    generated = result.finished_at or datetime.now(UTC)
    data = ReportData(
        title=TITLE,
        organisation=org.name,
        generated_at=generated,
        sites=[s.name for s in org.sites],
        site_filter=site,
        devices=sorted(devices, key=lambda d: (d.site, d.location or "", d.ip or "")),
        suppliers=suppliers,
        progress=[ProgressPoint(generated.date(), len(devices) + len(suppliers), 0)],
        assets_seen=sum(1 for a in result.assets if site is None or a.site == site),
        suppliers_screened=0 if site is not None else len(result.screening),
        method=method,
    )
    return data.summarise()
