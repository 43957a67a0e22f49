"""Recheck: after the registry changes, re-screen stored suppliers and re-attribute stored
assets, and report what became restricted or cleared.

The store does not screen or identify anything itself: it takes a :class:`SupplierScreener`
and an :class:`AssetAttributor` (the CLI wires the matching and discovery implementations),
so recheck works with whichever engines are installed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, func, select

from clearance.model import Asset, Attribution
from clearance.store.assets import asset_from_json, replace_attributions
from clearance.store.audit import log_change
from clearance.store.findings import FindingStatus
from clearance.store.lifecycle import clear_findings, ensure_finding
from clearance.store.lock import write_transaction
from clearance.store.schema import assets, sightings, sites, suppliers
from clearance.store.suppliers import FLAGGED, store_screening
from clearance.store.values import now

# A recheck reopens only what an earlier recheck cleared; removed devices stay removed.
_CLEARED = frozenset({FindingStatus.CLEARED})

__all__ = [
    "AssetAttributor",
    "OtherAlgorithm",
    "RecheckChange",
    "RecheckReport",
    "SupplierScreener",
    "recheck",
]


class SupplierScreener(Protocol):
    """Screens one input against the current registry (DESIGN.md screening result shape)."""

    def screen(self, query: str, record: dict[str, Any] | None) -> dict[str, Any]: ...


class AssetAttributor(Protocol):
    """Decides, from a stored asset's facts and evidence, which restricted parties it
    belongs to under the current registry."""

    def attribute(self, asset: Asset) -> list[Attribution]: ...


@dataclass(slots=True, frozen=True)
class RecheckChange:
    """One subject whose restriction changed."""

    subject: str  # asset:<id> | supplier:<id>
    label: str  # the supplier's name, or the asset's manufacturer/model/IP
    change: str  # restricted | cleared | changed
    before: list[str]  # entity ids
    after: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "label": self.label,
            "change": self.change,
            "before": self.before,
            "after": self.after,
        }


@dataclass(slots=True)
class OtherAlgorithm:
    """Stored screening results that another version of the matching engine made (before
    the recheck screened them again): how many per version, and the runs that saved them."""

    versions: dict[str, int] = field(default_factory=dict)  # "unrecorded": made before 0004
    runs: list[int] = field(default_factory=list)  # the latest run that saw each supplier

    @property
    def results(self) -> int:
        return sum(self.versions.values())

    def to_json(self) -> dict[str, Any]:
        return {"results": self.results, "versions": self.versions, "runs": self.runs}


@dataclass(slots=True)
class RecheckReport:
    """What a recheck looked at and what changed."""

    registry_version: str | None
    suppliers: int = 0
    assets: int = 0
    changes: list[RecheckChange] = field(default_factory=list)
    algorithm: str | None = None  # of the new screening results
    other_algorithm: OtherAlgorithm = field(default_factory=OtherAlgorithm)

    @property
    def became_restricted(self) -> list[RecheckChange]:
        return [c for c in self.changes if c.change == "restricted"]

    @property
    def cleared(self) -> list[RecheckChange]:
        return [c for c in self.changes if c.change == "cleared"]

    def to_json(self) -> dict[str, Any]:
        return {
            "registry_version": self.registry_version,
            "suppliers_checked": self.suppliers,
            "assets_checked": self.assets,
            "became_restricted": len(self.became_restricted),
            "cleared": len(self.cleared),
            "algorithm": self.algorithm,
            "other_algorithm": self.other_algorithm.to_json(),
            "changes": [c.to_json() for c in self.changes],
        }


def _change(subject: str, label: str, before: set[str], after: set[str]) -> RecheckChange | None:
    if before == after:
        return None
    kind = "restricted" if not before else "cleared" if not after else "changed"
    return RecheckChange(subject, label, kind, sorted(before), sorted(after))


def _flagged_entities(result: dict[str, Any]) -> set[str]:
    if result.get("status") not in FLAGGED:
        return set()
    return {
        h["entity_id"]
        for h in result.get("hits") or ()
        if (h.get("disposition") or {}).get("decision") != "false_positive"
    }


def _asset_label(data: dict[str, Any]) -> str:
    parts = [data.get("manufacturer") or data.get("brand"), data.get("model"), data.get("ip")]
    return " ".join(str(p) for p in parts if p) or str(data.get("mac") or "asset")


def _last_runs(conn: Connection, supplier_ids: list[int]) -> list[int]:
    """The latest run that saw each of the suppliers (the one that saved its result)."""
    subjects = [f"supplier:{i}" for i in supplier_ids]
    found: set[int] = set()
    for at in range(0, len(subjects), 500):  # bounded IN lists
        query = (
            select(func.max(sightings.c.run_id))
            .where(sightings.c.subject.in_(subjects[at : at + 500]))
            .group_by(sightings.c.subject)
        )
        found.update(int(run_id) for run_id in conn.execute(query).scalars())
    return sorted(found)


def recheck(
    engine: Engine,
    *,
    screener: SupplierScreener | None,
    attributor: AssetAttributor | None,
    user: str,
    registry_version: str | None = None,
) -> RecheckReport:
    """Re-screen every stored supplier (with ``screener``) and re-attribute every stored
    asset (with ``attributor``); update their findings; return what changed, and which
    stored results another version of the matching engine made. Audited."""
    report = RecheckReport(registry_version)
    with write_transaction(engine) as conn:
        at = now()
        if screener is not None:
            other: dict[int, str] = {}  # supplier id: the version of its stored result
            for row in conn.execute(select(suppliers).order_by(suppliers.c.id)).all():
                before = _flagged_entities(row.result)
                result = screener.screen(row.query, row.record)
                report.algorithm = report.algorithm or result.get("algorithm")
                made_by = row.algorithm or row.result.get("algorithm") or "unrecorded"
                if made_by != result.get("algorithm"):
                    other[row.id] = made_by
                result.setdefault("query", row.query)
                if row.record is not None:
                    result.setdefault("record", row.record)
                stored = store_screening(conn, result, at=at, user=user, reopen=_CLEARED)
                report.suppliers += 1
                change = _change(
                    f"supplier:{row.id}", row.query, before, _flagged_entities(stored.result)
                )
                if change is not None:
                    report.changes.append(change)
            for made_by in other.values():
                versions = report.other_algorithm.versions
                versions[made_by] = versions.get(made_by, 0) + 1
            report.other_algorithm.runs = _last_runs(conn, list(other))
        if attributor is not None:
            query = select(assets, sites.c.name.label("site_name")).outerjoin(
                sites, sites.c.id == assets.c.site_id
            )
            for row in conn.execute(query.order_by(assets.c.id)).all():
                attributions = attributor.attribute(asset_from_json(row.data))
                subject = f"asset:{row.id}"
                _added, dropped = replace_attributions(conn, row.id, attributions, user=user)
                report.assets += 1
                before = {a["entity_id"] for a in row.data.get("restricted") or ()}
                after = {a.entity_id for a in attributions}
                for attribution in attributions:
                    ensure_finding(
                        conn,
                        kind="device",
                        subject=subject,
                        asset_id=row.id,
                        entity_id=attribution.entity_id,
                        entity=attribution.entity,
                        relation=attribution.relation,
                        site_id=row.site_id,
                        detail={"attribution": attribution.to_json()},
                        user=user,
                        at=at,
                        reason="restricted again after a registry change",
                        reopen=_CLEARED,
                    )
                clear_findings(
                    conn,
                    subject,
                    dropped,
                    user=user,
                    at=at,
                    reason="no longer restricted after a registry change",
                )
                change = _change(subject, _asset_label(row.data), before, after)
                if change is not None:
                    report.changes.append(change)
        log_change(
            conn,
            user=user,
            action="recheck",
            object_type="registry",
            object_id=registry_version or "active",
            after=report.to_json() | {"changes": len(report.changes)},
            at=at,
        )
    return report
