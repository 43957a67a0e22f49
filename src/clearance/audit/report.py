"""The report of one audit run from its in-memory results."""

from __future__ import annotations

from datetime import UTC, datetime

from clearance.audit.result import AuditResult
from clearance.reports.binding import for_profile
from clearance.reports.data import DeviceRow, ProgressPoint, ReportData, ScanRef
from clearance.reports.history import RUN_DONE, not_scanned, scope_of, seen_text
from clearance.reports.record import ScopeStatement
from clearance.reports.rows import TITLE, UNASSIGNED, device_row, method_for, supplier_row
from clearance.reports.wording import _r, report_lang, stamp

__all__ = ["report_from_audit"]


def _scope(runs: list[ScanRef], sites: list[str]) -> ScopeStatement:
    """What this run scanned or read and when, and the sites it did not scan."""
    statement = ScopeStatement()
    for run in runs:
        done = RUN_DONE.get(run.kind)
        statement.covered.append(
            _r("{scope}: {done} on {when}, {seen}").format(
                scope=scope_of(run.scope, run.site),
                done=_r(done) if done else run.kind,
                when=stamp(run.started_at, _r("yyyy-MM-dd HH:mm 'UTC'"))
                if run.started_at
                else _r("unknown"),
                seen=seen_text(run.kind, run.seen),
            )
        )
    scanned = {r.site for r in runs if r.kind == "scan"}
    read = {r.site for r in runs if r.kind == "identify"}
    for name in sites:
        if name not in scanned:
            statement.not_covered.append(not_scanned(name, name in read))
    return statement


def report_from_audit(
    result: AuditResult, *, site: str | None = None, lang: str | None = None
) -> ReportData:
    """The report of one audit run from its in-memory results (every finding open), its
    texts in ``lang`` (default: the language in force), its listings ordered for the
    organisation's profile when it has one."""
    with report_lang(lang):
        return for_profile(_report(result, site), result.organisation.profile)


def _report(result: AuditResult, site: str | None) -> ReportData:
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
        # this run is the only record: one point, no history before it
        progress=[ProgressPoint(generated.date(), len(devices) + len(suppliers), 0)],
        assets_seen=sum(1 for a in result.assets if site is None or a.site == site),
        suppliers_screened=0 if site is not None else len(result.screening),
        method=method,
        scope=_scope(list(result.runs), [s.name for s in org.sites if site in (None, s.name)]),
    )
    return data.summarise()
