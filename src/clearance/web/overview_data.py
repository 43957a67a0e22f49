"""What the overview shows, read from the store: findings per site and status, the trend
from the recorded runs, overdue work, each list's freshness and what the last list update
changed. Plain data, so the page and its tests share it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select

from clearance.errors import RegistryError
from clearance.model import ListInfo
from clearance.registry.codec import list_from_json
from clearance.store.findings import ACTIVE, FindingStatus, StoredFinding, list_findings
from clearance.store.registry_diff import diff_versions, resolve_span
from clearance.store.registry_store import VersionInfo, active_version
from clearance.store.runs import list_runs
from clearance.store.schema import registry_lists

__all__ = ["Overview", "SiteCounts", "TrendPoint", "overview"]

#: The statuses counted on the overview, in the order of the work.
STATUSES: tuple[FindingStatus, ...] = (
    FindingStatus.OPEN,
    FindingStatus.REOPENED,
    FindingStatus.REPLACEMENT_PLANNED,
    FindingStatus.EXCEPTION_GRANTED,
    FindingStatus.NOT_SEEN,
)
# What ends a finding's time as restricted (for the trend): removed, verified gone, cleared.
_CLOSED = frozenset(FindingStatus) - ACTIVE
#: At most this many changed entities are listed (the count says how many there are).
CHANGES_SHOWN = 20


@dataclass(slots=True)
class SiteCounts:
    """One site's (``None``: no site) active findings: devices and supplier hits by status."""

    site: str | None
    devices: Counter[str] = field(default_factory=Counter)
    suppliers: Counter[str] = field(default_factory=Counter)


@dataclass(slots=True, frozen=True)
class TrendPoint:
    """Restricted devices and supplier hits still active at one moment (a run, or now)."""

    at: datetime
    devices: int
    suppliers: int


@dataclass(slots=True)
class Overview:
    sites: list[SiteCounts]
    trend: list[TrendPoint]
    overdue: list[StoredFinding]
    version: VersionInfo | None
    lists: list[ListInfo]
    changes: list[dict[str, Any]]
    change_counts: Counter[str]
    previous_version: VersionInfo | None = None

    @property
    def devices(self) -> int:
        return sum(s.devices.total() for s in self.sites)

    @property
    def suppliers(self) -> int:
        return sum(s.suppliers.total() for s in self.sites)


def _ended(finding: StoredFinding) -> datetime | None:
    if finding.status not in _CLOSED:
        return None
    return finding.removed_at or finding.verified_at or finding.updated_at


def _active_at(findings: list[StoredFinding], at: datetime, kind: str) -> int:
    count = 0
    for f in findings:
        ended = _ended(f)
        if f.kind == kind and f.opened_at <= at and (ended is None or ended > at):
            count += 1
    return count


def _lists(engine: Engine, version: VersionInfo | None) -> list[ListInfo]:
    if version is None:
        return []
    with engine.connect() as conn:
        rows = conn.execute(
            select(registry_lists.c.data).where(registry_lists.c.version_id == version.id)
        ).scalars()
        found = [list_from_json(dict(r)) for r in rows]
    return sorted(found, key=lambda x: (x.as_of or date.min, x.id), reverse=True)


def overview(engine: Engine, *, today: date, at: datetime) -> Overview:
    """The overview of the store as it is at ``at`` (``today`` decides what is overdue)."""
    every = list_findings(engine)
    active = [f for f in every if f.status in ACTIVE]
    by_site: dict[str | None, SiteCounts] = {}
    for f in active:
        site = by_site.setdefault(f.site, SiteCounts(f.site))
        (site.devices if f.kind == "device" else site.suppliers)[str(f.status)] += 1
    sites = sorted(by_site.values(), key=lambda s: (s.site is None, s.site or ""))
    # runs of one audit (a run per site and kind, seconds apart) make one point: the last
    # run of each minute
    minutes = {
        r.started_at.replace(second=0, microsecond=0): r.started_at for r in list_runs(engine)
    }
    moments = sorted(minutes.values())
    trend = [
        TrendPoint(m, _active_at(every, m, "device"), _active_at(every, m, "supplier"))
        for m in [*moments, at]
    ]
    overdue = sorted(
        (f for f in active if f.due_date is not None and f.due_date < today),
        key=lambda f: (f.due_date or today, f.id),
    )
    version = active_version(engine)
    changes: list[dict[str, Any]] = []
    counts: Counter[str] = Counter()
    previous = None
    if version is not None:
        try:
            span = resolve_span(engine, None, None)
        except RegistryError:  # one version only: nothing changed yet
            span = None
        if span is not None:
            previous = span.old
            for record in diff_versions(engine, span):
                counts[record["change"]] += 1
                if len(changes) < CHANGES_SHOWN:
                    changes.append(record)
    return Overview(
        sites=sites,
        trend=trend,
        overdue=overdue,
        version=version,
        lists=_lists(engine, version),
        changes=changes,
        change_counts=counts,
        previous_version=previous,
    )
