"""Build a :class:`ReportData` from the tracking store: findings with their remediation status,
the assets and supplier screenings behind them, sites, runs and the active registry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine

from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.profile import OrganisationProfile
from clearance.registry.registry import Registry
from clearance.reports.binding import for_profile
from clearance.reports.data import AlgorithmRef, DeviceRow, ListingRef, ReportData, SupplierRow
from clearance.reports.history import progress_series, run_refs, scope_statement, sign_off
from clearance.reports.record import FindingRef
from clearance.reports.rows import TITLE, UNASSIGNED, device_row, method_for, supplier_row
from clearance.reports.wording import cell_label, report_lang
from clearance.store.assets import StoredAsset, list_assets
from clearance.store.audit import list_audit
from clearance.store.findings import ACTIVE, FindingStatus, StoredFinding, list_findings
from clearance.store.registry_store import active_version
from clearance.store.runs import list_runs
from clearance.store.sites import Site, get_site, list_sites
from clearance.store.suppliers import list_suppliers

__all__ = ["progress_series", "report_from_store", "site_report"]

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


def _device(
    stored: StoredAsset, group: list[StoredFinding], sites: dict[str, Site], today: date
) -> DeviceRow:
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
    row = replace(row, active=lead.status in ACTIVE, overdue=any(f.overdue(today) for f in group))
    others = [f for f in group if f is not lead]
    if not others:
        return row
    listings = dict.fromkeys(row.listings)
    for attribution in asset.restricted:
        if any(f.entity_id == attribution.entity_id for f in others):
            listings.update(dict.fromkeys(ListingRef.of(x) for x in attribution.listings))
    return replace(
        row,
        also=tuple(f"{f.entity} ({cell_label(f.relation)})" for f in others),
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
    others = tuple(f"{f.entity} ({cell_label(str(f.status))})" for f in group if f is not lead)
    if row is None:
        return None
    return replace(row, also=others, active=lead.status in ACTIVE)


def _finding_ref(
    finding: StoredFinding, lists: dict[tuple[int, str], tuple[str, ...]], today: date
) -> FindingRef:
    """One finding as counted, with the lists its row cites for its party."""
    return FindingRef(
        id=str(finding.id),
        kind=finding.kind,
        status=str(finding.status),
        active=finding.status in ACTIVE,
        site=finding.site or (UNASSIGNED if finding.kind == "device" else None),
        entity=finding.entity,
        lists=lists.get((finding.id, finding.entity_id), ()),
        due_date=finding.due_date,
        overdue=finding.overdue(today),
    )


def report_from_store(
    engine: Engine,
    registry: Registry,
    *,
    organisation: str = "Clearance",
    site: str | None = None,
    algorithms: Sequence[AlgorithmRef] = (),
    notes: Sequence[str] = (),
    now: datetime | None = None,
    profile: OrganisationProfile | None = None,
    lang: str | None = None,
) -> ReportData:
    """Every finding in the store (of one site with ``site``) as a report, its texts (scope,
    sign-off, registry texts) in ``lang`` (default: the language in force); with ``profile``,
    each line's listings binding first (:func:`clearance.reports.binding.for_profile`)."""
    with report_lang(lang):
        return for_profile(
            _report(engine, registry, organisation, site, algorithms, notes, now), profile
        )


def _report(
    engine: Engine,
    registry: Registry,
    organisation: str,
    site: str | None,
    algorithms: Sequence[AlgorithmRef],
    notes: Sequence[str],
    now: datetime | None,
) -> ReportData:
    generated = now or datetime.now(UTC)
    today = generated.date()
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
            devices.append(_device(stored, group, site_info, today))
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
    runs = list_runs(engine, site=site)
    entries = [*list_audit(engine, object_type="finding"), *list_audit(engine, action="run.")]
    entries += list_audit(engine, action="disposition.record") if site is None else []
    method.scans = run_refs(runs, entries)
    method.notes = list(notes)
    counted = [
        f
        for f in findings
        if (f.kind == "device" and f.subject_id in assets)
        or (f.kind == "supplier" and f.subject_id in suppliers)
    ]
    lists = {(f.id, f.entity_id): f.listed_in() for f in counted}
    sites = sorted(site_info) if site is None else [site]
    data = ReportData(
        title=TITLE,
        organisation=organisation,
        generated_at=generated,
        sites=sites,
        site_filter=site,
        devices=sorted(devices, key=lambda d: (d.site, d.location or "", d.ip or "")),
        suppliers=supplier_rows,
        progress=progress_series(counted, entries, runs, until=today),
        assets_seen=len(assets),
        suppliers_screened=len(suppliers),
        method=method,
        findings=[_finding_ref(f, lists, today) for f in counted],
        scope=scope_statement(runs, [s for s in site_info.values() if site in (None, s.name)]),
        sign_off=sign_off(runs, entries, [f.id for f in counted]),
    )
    return data.summarise()


def site_report(
    engine: Engine,
    registry: Registry,
    *,
    organisation: str | None = None,
    site: str | None = None,
    profile: OrganisationProfile | None = None,
) -> ReportData:
    """:func:`report_from_store` for ``clearance report``, ``POST /api/v1/reports`` and the
    reports page: a ``site`` that the store does not know is refused (:class:`UsageError`)
    rather than reported empty. Without ``organisation``, the report names the one of the
    ``profile`` (else "My organisation"). Texts are in the language in force."""
    if site is not None and get_site(engine, site) is None:
        raise UsageError(_("no site named {site!r} (see: clearance sites)").format(site=site))
    named = organisation or (profile.name if profile is not None else None)
    return report_from_store(
        engine, registry, organisation=named or _("My organisation"), site=site, profile=profile
    )
