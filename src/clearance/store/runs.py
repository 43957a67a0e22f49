"""Runs: each saved identify, scan or screen run with its scope, what it saw, and the
history of a scope (new, gone and reappeared assets or suppliers between its runs)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from clearance.errors import UsageError
from clearance.i18n import gettext as _
from clearance.store.schema import assets, runs, sightings, sites, suppliers
from clearance.store.values import canonical_hash, utc

__all__ = [
    "Run",
    "RunChanges",
    "RunKind",
    "Scope",
    "get_run",
    "history",
    "list_runs",
    "run_changes",
    "start_run",
    "subject_labels",
]


class RunKind(StrEnum):
    """What a run did. Identify and scan runs see assets; screen runs see suppliers."""

    IDENTIFY = "identify"
    SCAN = "scan"
    SCREEN = "screen"

    @property
    def family(self) -> str:
        return "suppliers" if self is RunKind.SCREEN else "assets"


def _target(text: str) -> str:
    """A target in canonical form: a network in CIDR notation, or a file's absolute path."""
    text = text.strip()
    try:
        if "/" in text:
            return str(ipaddress.ip_network(text, strict=False))
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    path = Path(text).expanduser()
    return str(path.resolve()) if path.exists() else text


@dataclass(slots=True, frozen=True)
class Scope:
    """What a run looked at: its targets (networks or files), its site, and what it sees.

    Runs with the same scope key are compared by :func:`history` and by the findings sweep.
    ``label`` replaces the targets when given: a source name such as "HQ asset register"
    makes this month's export (under a new file name) the same scope as last month's.
    """

    family: str
    targets: tuple[str, ...]
    site: str | None = None

    @classmethod
    def of(
        cls,
        kind: RunKind | str,
        targets: Sequence[str],
        site: str | None = None,
        label: str | None = None,
    ) -> Scope:
        family = RunKind(kind).family
        if label is not None:
            name = " ".join(label.split())
            if not name:
                raise UsageError(_("a source name cannot be empty"))
            return cls(family, (f"label:{name}",), site)
        if not targets:
            raise UsageError(_("a run's scope needs at least one target or a label"))
        return cls(family, tuple(sorted({_target(t) for t in targets})), site)

    @property
    def source_name(self) -> str | None:
        """The scope's name (spaces collapsed), when it was named."""
        if len(self.targets) == 1 and self.targets[0].startswith("label:"):
            return self.targets[0][len("label:") :]
        return None

    @property
    def key(self) -> str:
        return canonical_hash(self.to_json())

    def to_json(self) -> dict[str, Any]:
        return {"family": self.family, "site": self.site, "targets": list(self.targets)}


@dataclass(slots=True, frozen=True)
class Run:
    """A saved run."""

    id: int
    kind: str
    scope_key: str
    scope: dict[str, Any]
    site: str | None
    started_at: datetime
    user: str
    registry_version: str | None
    summary: dict[str, Any]
    algorithm: str | None = None  # the matching engine's version (screen runs)
    source_name: str | None = None  # --source-name, when the scope was named

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "scope_key": self.scope_key,
            "scope": self.scope,
            "site": self.site,
            "started_at": self.started_at.isoformat(),
            "user": self.user,
            "registry_version": self.registry_version,
            "algorithm": self.algorithm,
            "source_name": self.source_name,
            "summary": self.summary,
        }


def start_run(
    conn: Connection,
    *,
    kind: RunKind,
    scope: Scope,
    site_id: int | None,
    started_at: datetime,
    user: str,
    registry_version: str | None,
    source_name: str | None = None,
) -> int:
    """Insert a run row and return its id (inside the caller's transaction)."""
    key = conn.execute(
        insert(runs).values(
            kind=str(kind),
            scope_key=scope.key,
            scope=scope.to_json(),
            site_id=site_id,
            started_at=started_at,
            user=user,
            registry_version=registry_version,
            source_name=source_name,
            summary={},
        )
    ).inserted_primary_key
    assert key is not None
    return int(key[0])


def finish_run(
    conn: Connection, run_id: int, summary: dict[str, Any], *, algorithm: str | None = None
) -> None:
    """Store the run's summary counts and the version of the engine that made its results."""
    conn.execute(
        update(runs).where(runs.c.id == run_id).values(summary=summary, algorithm=algorithm)
    )


def record_sightings(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Record what a run saw: rows of ``run_id``, ``subject``, ``merged_by``, ``note``,
    ``seen_at`` (one statement for all)."""
    if rows:
        conn.execute(insert(sightings), list(rows))


def subjects_of_scope(conn: Connection, scope_key: str, *, before_run: int) -> set[str]:
    """Everything that any earlier run of the scope saw."""
    rows = conn.execute(
        select(sightings.c.subject)
        .join(runs, runs.c.id == sightings.c.run_id)
        .where(runs.c.scope_key == scope_key, runs.c.id < before_run)
        .distinct()
    ).scalars()
    return set(rows)


def _run(row: Any) -> Run:
    return Run(
        id=row.id,
        kind=row.kind,
        scope_key=row.scope_key,
        scope=dict(row.scope),
        site=row.site_name,
        started_at=utc(row.started_at),
        user=row.user,
        registry_version=row.registry_version,
        summary=dict(row.summary or {}),
        algorithm=row.algorithm,
        source_name=row.source_name,
    )


def _runs_query() -> Any:
    return select(runs, sites.c.name.label("site_name")).outerjoin(
        sites, sites.c.id == runs.c.site_id
    )


def list_runs(
    engine: Engine,
    *,
    scope_key: str | None = None,
    site: str | None = None,
    kind: RunKind | str | None = None,
    since: datetime | None = None,
    after: int | None = None,
    limit: int | None = None,
) -> list[Run]:
    """Saved runs, oldest first; ``scope_key`` may be a unique prefix of the key. ``kind``:
    only runs of that kind; ``since``: only runs started then or later (UTC when naive);
    ``after`` and ``limit``: at most ``limit`` runs whose id is greater than ``after``."""
    query = _runs_query()
    if scope_key is not None:
        query = query.where(runs.c.scope_key.startswith(scope_key, autoescape=True))
    if site is not None:
        query = query.where(sites.c.name == site)
    if kind is not None:
        query = query.where(runs.c.kind == str(RunKind(kind)))
    if since is not None:  # in UTC, as stored (SQLite would compare the local time's digits)
        query = query.where(runs.c.started_at >= utc(since))
    if after is not None:
        query = query.where(runs.c.id > after)
    query = query.order_by(runs.c.id)
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [_run(r) for r in rows]


def get_run(engine: Engine, run_id: int) -> Run | None:
    """The saved run ``run_id``, or ``None``."""
    with engine.connect() as conn:
        row = conn.execute(_runs_query().where(runs.c.id == run_id)).first()
    return _run(row) if row is not None else None


@dataclass(slots=True)
class RunChanges:
    """What changed at one run compared with the previous run of the same scope.

    ``new``: never seen in this scope before; ``gone``: seen by the previous run, not by this
    one; ``reappeared``: seen by an earlier run, missed by the previous one, back now.
    Subjects are ``asset:<id>`` or ``supplier:<id>``.
    """

    run: Run
    previous_run: int | None
    seen: int
    new: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    reappeared: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "run": self.run.to_json(),
            "previous_run": self.previous_run,
            "seen": self.seen,
            "new": self.new,
            "gone": self.gone,
            "reappeared": self.reappeared,
        }


def _order(subjects: set[str]) -> list[str]:
    return sorted(subjects, key=lambda s: (s.split(":", 1)[0], int(s.split(":", 1)[1])))


def subject_labels(engine: Engine, subjects: Iterable[str]) -> dict[str, str]:
    """A short description of each ``asset:<id>`` or ``supplier:<id>``: maker, model and
    address of an asset, the name of a supplier."""
    ids: dict[str, list[int]] = {"asset": [], "supplier": []}
    for subject in subjects:
        kind, _unused, number = subject.partition(":")
        if kind in ids and number.isdigit():
            ids[kind].append(int(number))
    labels: dict[str, str] = {}
    with engine.connect() as conn:
        if ids["asset"]:
            for row in conn.execute(
                select(assets.c.id, assets.c.data).where(assets.c.id.in_(ids["asset"]))
            ):
                data = row.data
                parts = [
                    data.get("manufacturer") or data.get("brand"),
                    data.get("model"),
                    data.get("ip") or data.get("mac") or data.get("serial"),
                ]
                labels[f"asset:{row.id}"] = " ".join(str(p) for p in parts if p) or "device"
        if ids["supplier"]:
            for row in conn.execute(
                select(suppliers.c.id, suppliers.c.query).where(suppliers.c.id.in_(ids["supplier"]))
            ):
                labels[f"supplier:{row.id}"] = row.query
    return labels


def history(
    engine: Engine, *, scope_key: str | None = None, site: str | None = None
) -> list[RunChanges]:
    """For every saved run (of one scope, or one site's scopes), what changed since the
    previous run of the same scope. Oldest first."""
    return _changes(engine, list_runs(engine, scope_key=scope_key, site=site))


def run_changes(engine: Engine, run_id: int) -> RunChanges | None:
    """What changed at run ``run_id`` since the previous run of its scope; ``None`` for no
    such run."""
    run = get_run(engine, run_id)
    if run is None:
        return None
    return _changes(engine, [run], upto=run_id)[0]


def _changes(engine: Engine, chosen: list[Run], *, upto: int | None = None) -> list[RunChanges]:
    """The changes at each of ``chosen``, from the sightings of every run of their scopes
    (up to run ``upto``, when given)."""
    if not chosen:
        return []
    keys = {r.scope_key for r in chosen}
    query = (
        select(runs.c.id, runs.c.scope_key, sightings.c.subject)
        .join(sightings, sightings.c.run_id == runs.c.id, isouter=True)
        .where(runs.c.scope_key.in_(keys))
    )
    if upto is not None:
        query = query.where(runs.c.id <= upto)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(runs.c.id)).all()
    seen_by: dict[int, set[str]] = {}
    scope_of: dict[int, str] = {}
    for run_id, key, subject in rows:
        scope_of[run_id] = key
        bucket = seen_by.setdefault(run_id, set())
        if subject is not None:
            bucket.add(subject)
    wanted = {r.id: r for r in chosen}
    result: list[RunChanges] = []
    ever: dict[str, set[str]] = {}
    previous: dict[str, tuple[int, set[str]]] = {}
    for run_id in sorted(seen_by):
        key = scope_of[run_id]
        current = seen_by[run_id]
        before = ever.setdefault(key, set())
        prev_id, prev_seen = previous.get(key, (None, set()))
        if run_id in wanted:
            result.append(
                RunChanges(
                    run=wanted[run_id],
                    previous_run=prev_id,
                    seen=len(current),
                    new=_order(current - before),
                    gone=_order(prev_seen - current),
                    reappeared=_order((current & before) - prev_seen),
                )
            )
        before |= current
        previous[key] = (run_id, current)
    return result
