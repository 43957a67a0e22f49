"""Record a whole identify, scan or screen run: what it saw, merged into the stored assets or
suppliers, with findings opened, reopened, removed and verified. One transaction per run."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine

from clearance.model import Asset
from clearance.store.assets import TRACKED_FIELDS, IdentityIndex, merge_asset
from clearance.store.audit import log_change
from clearance.store.disposals import remove_disposed
from clearance.store.lifecycle import ensure_finding, sweep_missing
from clearance.store.lock import write_transaction
from clearance.store.runs import (
    RunKind,
    Scope,
    finish_run,
    record_sightings,
    start_run,
    subjects_of_scope,
)
from clearance.store.sites import site_id_for
from clearance.store.suppliers import store_screening
from clearance.store.values import now

__all__ = ["RunReport", "record_assets", "save_assets", "save_screening"]


@dataclass(slots=True)
class RunReport:
    """What saving one run changed: counts by event, and the run's id and scope."""

    run_id: int
    kind: str
    scope_key: str
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "kind": self.kind,
            "scope_key": self.scope_key,
            "counts": dict(sorted(self.counts.items())),
        }


@dataclass(slots=True)
class _Recording:
    """One run being recorded, inside its write transaction."""

    conn: Connection
    run_id: int
    started: datetime
    site_id: int | None
    report: RunReport
    seen: set[str] = field(default_factory=set)
    algorithms: set[str] = field(default_factory=set)  # of the results recorded
    matched: set[int] = field(default_factory=set)  # asset ids, for record matching
    sightings: list[dict[str, Any]] = field(default_factory=list)  # written at the end

    def saw(self, subject: str, merged_by: str, note: str | None = None) -> bool:
        """Record a sighting once per subject; False when the run already saw it."""
        if subject in self.seen:
            return False
        self.seen.add(subject)
        self.sightings.append(
            {
                "run_id": self.run_id,
                "subject": subject,
                "merged_by": merged_by,
                "note": note,
                "seen_at": self.started,
            }
        )
        return True


@contextmanager
def _recording(
    conn: Connection,
    kind: RunKind,
    scope: Scope,
    *,
    site: str | None,
    user: str,
    registry_version: str | None,
    source_name: str | None = None,
) -> Iterator[_Recording]:
    """Open a run, let the caller record what it saw, then sweep what the scope no longer
    has, store the run's counts and audit it, all in the caller's write transaction
    (:func:`~clearance.store.lock.write_transaction`)."""
    started = now()  # taken under the lock, so runs of a scope are in time order
    site_id = site_id_for(conn, site, user=user) if site else None
    run_id = start_run(
        conn,
        kind=kind,
        scope=scope,
        site_id=site_id,
        started_at=started,
        user=user,
        registry_version=registry_version,
        source_name=source_name,
    )
    rec = _Recording(conn, run_id, started, site_id, RunReport(run_id, str(kind), scope.key))
    yield rec
    record_sightings(conn, rec.sightings)
    report = rec.report
    report.add(f"{kind.family}_seen", len(rec.seen))
    missing = subjects_of_scope(conn, scope.key, before_run=run_id) - rec.seen
    report.add(f"{kind.family}_missing", len(missing))
    swept = sweep_missing(conn, missing, run_id=run_id, run_started=started, user=user)
    for name, n in swept.items():
        report.add(f"findings_{name}", n)
    counts = report.to_json()["counts"]
    algorithm = ", ".join(sorted(rec.algorithms))[:80] or None  # one, unless mixed
    finish_run(conn, run_id, counts, algorithm=algorithm)
    log_change(
        conn,
        user=user,
        action=f"run.{kind}",
        object_type="run",
        object_id=run_id,
        # when the run's recording finished: the report's method section shows it
        after={"scope": scope.to_json(), "counts": counts, "finished_at": now()},
        run_id=run_id,
        at=started,
    )


def save_assets(
    engine: Engine,
    found: Iterable[Asset],
    *,
    kind: RunKind | str,
    targets: Sequence[str],
    user: str,
    site: str | None = None,
    label: str | None = None,
    registry_version: str | None = None,
) -> RunReport:
    """Save an identify or scan run in one write transaction (see :func:`record_assets`)."""
    with write_transaction(engine) as conn:
        return record_assets(
            conn,
            found,
            kind=kind,
            targets=targets,
            user=user,
            site=site,
            label=label,
            registry_version=registry_version,
        )


def record_assets(
    conn: Connection,
    found: Iterable[Asset],
    *,
    kind: RunKind | str,
    targets: Sequence[str],
    user: str,
    site: str | None = None,
    label: str | None = None,
    registry_version: str | None = None,
) -> RunReport:
    """Record an identify or scan run inside the caller's write transaction: merge each
    asset, open or reopen a finding per restricted attribution, and sweep the findings of
    assets this scope no longer sees.

    An asset its register marks disposed is stored with its status (the evidence of the
    disposal) and seen by the run, but opens no finding, and its unresolved findings become
    removed (:mod:`clearance.store.disposals`); one in storage or out of service is still
    held and opens findings like one in service.

    ``site`` applies to assets that name no site of their own. ``label`` (a source name)
    names the scope instead of the targets, so runs over differently named files of the same
    source are compared with each other.
    """
    kind = RunKind(kind)
    scope = Scope.of(kind, targets, site, label)
    with _recording(
        conn,
        kind,
        scope,
        site=site,
        user=user,
        registry_version=registry_version,
        source_name=scope.source_name,
    ) as rec:
        site_ids: dict[str, int] = {site: rec.site_id} if site and rec.site_id else {}
        index = IdentityIndex.load(rec.conn)
        for asset in found:
            own_site = asset.site or site
            if own_site and own_site not in site_ids:
                site_ids[own_site] = site_id_for(rec.conn, own_site, user=user, run_id=rec.run_id)
            if own_site != asset.site:
                asset = replace(asset, site=own_site)
            target_site = site_ids.get(own_site) if own_site else None
            merge = merge_asset(
                rec.conn,
                asset,
                site_id=target_site,
                seen_at=rec.started,
                user=user,
                run_id=rec.run_id,
                exclude=rec.matched,
                index=index,
            )
            rec.matched.add(merge.asset_id)
            subject = f"asset:{merge.asset_id}"
            rec.report.add(f"merged_by_{merge.merged_by}")
            if not rec.saw(subject, merge.merged_by, merge.note):
                continue
            if asset.disposed:  # the register says it is no longer held: no finding
                rec.report.add("assets_disposed")
                removed = remove_disposed(
                    rec.conn,
                    subject,
                    register_status=asset.register_status or "disposed",
                    user=user,
                    at=rec.started,
                    run_id=rec.run_id,
                )
                rec.report.add("findings_removed", removed)
                continue
            for attribution in merge.data.get("restricted") or ():
                outcome = ensure_finding(
                    rec.conn,
                    kind="device",
                    subject=subject,
                    asset_id=merge.asset_id,
                    entity_id=attribution["entity_id"],
                    entity=attribution.get("entity") or attribution["entity_id"],
                    relation=attribution.get("relation") or "manufacturer",
                    site_id=target_site,
                    detail={"attribution": attribution, "asset": _summary(merge.data)},
                    user=user,
                    at=rec.started,
                    run_id=rec.run_id,
                )
                rec.report.add(f"findings_{outcome}")
    return rec.report


# What a finding's detail keeps of its asset: the tracked fields but the firmware, which
# changes with updates and says nothing about where the device is or who holds it.
_SUMMARY_FIELDS = tuple(key for key in TRACKED_FIELDS if key != "firmware")


def _summary(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data.get(k) for k in _SUMMARY_FIELDS}


def save_screening(
    engine: Engine,
    results: Iterable[dict[str, Any]],
    *,
    targets: Sequence[str],
    user: str,
    site: str | None = None,
    label: str | None = None,
    registry_version: str | None = None,
) -> RunReport:
    """Save a screen run: store each result with its supplier, findings and dispositions,
    and sweep the findings of suppliers this scope (the same input files) no longer has."""
    scope = Scope.of(RunKind.SCREEN, targets, site, label)
    with (
        write_transaction(engine) as conn,
        _recording(
            conn,
            RunKind.SCREEN,
            scope,
            site=site,
            user=user,
            registry_version=registry_version,
            source_name=scope.source_name,
        ) as rec,
    ):
        for result in results:
            stored = store_screening(rec.conn, result, at=rec.started, user=user, run_id=rec.run_id)
            rec.report.add(f"status_{stored.status}")
            rec.report.add("findings_opened", stored.opened)
            rec.report.add("findings_reopened", stored.reopened)
            rec.report.add("findings_cleared", stored.cleared)
            rec.saw(f"supplier:{stored.supplier_id}", "new" if stored.created else "key")
            if result.get("algorithm"):
                rec.algorithms.add(str(result["algorithm"]))
    return rec.report
