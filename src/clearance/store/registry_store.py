"""Registry snapshots in the store: save a version and activate it in one transaction,
load the active or a named version, list versions.

Writers of a new version read the active one first (an import starts from it), so they run
one at a time: :func:`registry_write` takes a lock for the whole transaction before that
read (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL transaction-level advisory lock).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from clearance.errors import RegistryError, one_line
from clearance.i18n import gettext as _
from clearance.registry.registry import Registry
from clearance.registry.seed import load_seed, seed_fingerprint
from clearance.store.lock import take_exclusive
from clearance.store.registry_rows import (
    chunks,
    entity_row,
    identifier_rows,
    name_rows,
    relation_row,
)
from clearance.store.schema import (
    registry_entities,
    registry_identifiers,
    registry_lists,
    registry_names,
    registry_relations,
    registry_versions,
)

__all__ = [
    "SEED_NOTE",
    "VersionInfo",
    "active_registry",
    "ensure_registry",
    "list_versions",
    "load_version",
    "registry_write",
    "save_registry",
    "version_name",
]

SEED_NOTE = "seed"

# How long a writer waits for another one to finish (an import of a large list takes minutes).
LOCK_WAIT_S = 1800.0


@contextmanager
def registry_write(engine: Engine, *, wait: float = LOCK_WAIT_S) -> Iterator[Connection]:
    """A transaction that holds the registry writers' lock from its first statement, so
    what it reads (the active version) stays current until it commits."""
    with engine.begin() as conn:
        take_exclusive(conn, "registry", wait=wait)
        yield conn


@dataclass(slots=True, frozen=True)
class VersionInfo:
    """One stored registry snapshot."""

    id: int
    version: str
    content_hash: str
    created_at: datetime
    active: bool
    note: str | None
    sources: list[dict[str, Any]]
    entity_count: int

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "content_hash": self.content_hash,
            "created_at": self.created_at.isoformat(),
            "active": self.active,
            "note": self.note,
            "sources": self.sources,
            "entity_count": self.entity_count,
        }


def version_name(conn: Connection, created_at: datetime, digest: str) -> str:
    """A new version's name, ``YYYYmmddTHHMMSSZ-<hash8>`` (``.N`` added when taken)."""
    version = f"{created_at:%Y%m%dT%H%M%SZ}-{digest[:8]}"
    taken = conn.execute(
        select(func.count())
        .select_from(registry_versions)
        .where(registry_versions.c.version.like(f"{version}%"))
    ).scalar_one()
    return f"{version}.{taken}" if taken else version


def save_registry(
    engine: Engine,
    registry: Registry,
    *,
    note: str | None = None,
    sources: Sequence[dict[str, Any]] = (),
    activate: bool = True,
) -> str:
    """Store ``registry`` as a new version; when ``activate``, make it the active one.

    Everything happens in one transaction: on any failure the previous version stays active.
    Returns the new version id (``YYYYmmddTHHMMSSZ-<hash8>``).
    """
    try:
        with registry_write(engine) as conn:
            version = _store_version(conn, registry, note=note, sources=sources, activate=activate)
    except SQLAlchemyError as exc:
        raise RegistryError(_("cannot save the registry: {exc}").format(exc=one_line(exc))) from exc
    registry.version = version
    return version


def _store_version(
    conn: Connection,
    registry: Registry,
    *,
    note: str | None,
    sources: Sequence[dict[str, Any]],
    activate: bool,
) -> str:
    """Insert ``registry`` as a new version in ``conn``'s transaction (which holds the
    registry writers' lock); return its name."""
    digest = registry.content_hash()
    now = datetime.now(UTC)
    version = version_name(conn, now, digest)
    result = conn.execute(
        insert(registry_versions).values(
            version=version,
            content_hash=digest,
            created_at=now,
            active=False,
            note=note,
            sources=list(sources),
            entity_count=len(registry),
        )
    )
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - every supported backend returns it
        raise RegistryError(_("the database returned no id for the new version"))
    vid = int(key[0])
    _write_rows(conn, vid, registry)
    if activate:
        conn.execute(update(registry_versions).values(active=False))
        conn.execute(
            update(registry_versions).where(registry_versions.c.id == vid).values(active=True)
        )
    return version


def _write_rows(conn: Connection, vid: int, registry: Registry) -> None:
    for batch in chunks(
        {"version_id": vid, "list_id": lst.id, "data": lst.to_json()}
        for lst in registry.lists.values()
    ):
        conn.execute(insert(registry_lists), batch)
    for batch in chunks(entity_row(vid, e) for e in registry):
        conn.execute(insert(registry_entities), batch)
    for batch in chunks(row for e in registry for row in name_rows(vid, e)):
        conn.execute(insert(registry_names), batch)
    for batch in chunks(row for e in registry for row in identifier_rows(vid, e)):
        conn.execute(insert(registry_identifiers), batch)
    for batch in chunks(relation_row(vid, r) for r in registry.relations):
        conn.execute(insert(registry_relations), batch)


def _info(row: Any) -> VersionInfo:
    created = row.created_at
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return VersionInfo(
        id=row.id,
        version=row.version,
        content_hash=row.content_hash,
        created_at=created,
        active=bool(row.active),
        note=row.note,
        sources=list(row.sources or ()),
        entity_count=row.entity_count,
    )


def list_versions(engine: Engine) -> list[VersionInfo]:
    """All stored versions, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(registry_versions).order_by(registry_versions.c.id)).all()
    return [_info(r) for r in rows]


def _active_info(conn: Connection) -> VersionInfo | None:
    row = conn.execute(
        select(registry_versions).where(registry_versions.c.active.is_(True))
    ).first()
    return _info(row) if row is not None else None


def load_version(engine: Engine, version: str | None = None) -> Registry:
    """Load the named version, or the active one when ``version`` is None."""
    with engine.connect() as conn:
        if version is None:
            info = _active_info(conn)
            if info is None:
                raise RegistryError(_("the store holds no active registry version"))
        else:
            row = conn.execute(
                select(registry_versions).where(registry_versions.c.version == version)
            ).first()
            if row is None:
                raise RegistryError(_("no registry version {version!r}").format(version=version))
            info = _info(row)
        lists = conn.execute(
            select(registry_lists.c.data).where(registry_lists.c.version_id == info.id)
        ).scalars()
        entities = conn.execute(
            select(registry_entities.c.data).where(registry_entities.c.version_id == info.id)
        ).scalars()
        relations = conn.execute(
            select(registry_relations.c.data).where(registry_relations.c.version_id == info.id)
        ).scalars()
        data = {"lists": list(lists), "entities": list(entities), "relations": list(relations)}
    return Registry.from_json(data, version=info.version)


def active_registry(engine: Engine) -> Registry | None:
    """The active registry, or None when the store holds none yet."""
    with engine.connect() as conn:
        if _active_info(conn) is None:
            return None
    return load_version(engine)


def active_version(engine: Engine) -> VersionInfo | None:
    """Metadata of the active version, without loading it."""
    with engine.connect() as conn:
        return _active_info(conn)


def active_info(conn: Connection) -> VersionInfo | None:
    """Metadata of the active version as ``conn``'s transaction sees it."""
    return _active_info(conn)


def _refresh_imported(engine: Engine, fingerprint: str) -> None:
    """Merge newer seed files into an imported active version (see
    :mod:`clearance.store.registry_seed_refresh`); a no-op when they are the ones it holds."""
    from clearance.store.registry_seed_refresh import refresh_seed, seed_basis

    def stale(conn: Connection) -> VersionInfo | None:
        info = _active_info(conn)
        if info is None or info.note == SEED_NOTE:
            return None
        basis = seed_basis(conn, info)
        # no basis: a registry saved whole (not grown from the seed), which the seed never joins
        return info if basis is not None and basis != fingerprint else None

    with engine.connect() as conn:
        if stale(conn) is None:
            return
    seed = load_seed()
    try:
        with registry_write(engine) as conn:
            info = stale(conn)  # again, under the lock: another process may have done it
            if info is not None:
                refresh_seed(conn, info, seed, fingerprint)
    except SQLAlchemyError as exc:
        raise RegistryError(
            _("cannot store the seed registry: {exc}").format(exc=one_line(exc))
        ) from exc


def _seed_current(info: VersionInfo | None, fingerprint: str) -> bool:
    """Whether the active version needs no seeding: an imported registry, or the seed
    stored from these very seed files."""
    if info is None:
        return False
    if info.note != SEED_NOTE:
        return True
    return bool(info.sources) and info.sources[0].get("sha256") == fingerprint


def ensure_registry(engine: Engine) -> Registry:
    """The active registry; the shipped seed is stored first when there is none, and
    replaces an older seed-only version when the package's seed files have changed. Over
    imported lists, changed seed files are merged in as a new version that keeps every
    imported list (:mod:`clearance.store.registry_seed_refresh`).

    The seed files' fingerprint is kept in the version's sources, so an unchanged seed is
    loaded from the store without parsing the YAML again. Storing the seed happens under the
    registry writers' lock and looks again once inside: when several commands start at once
    on a new database, one stores the seed and the others load it.
    """
    info = active_version(engine)
    fingerprint = seed_fingerprint()
    if info is not None and info.note != SEED_NOTE:  # imported lists: bring a newer seed in
        _refresh_imported(engine, fingerprint)
        return load_version(engine)
    if _seed_current(info, fingerprint):
        return load_version(engine)
    seed = load_seed()
    sources = [{"list": "seed", "url": "package:clearance/data/registry", "sha256": fingerprint}]
    try:
        with registry_write(engine) as conn:
            info = _active_info(conn)
            if _seed_current(info, fingerprint):
                pass  # another process stored it while this one waited
            elif info is None or info.content_hash != seed.content_hash():
                seed.version = _store_version(
                    conn, seed, note=SEED_NOTE, sources=sources, activate=True
                )
                return seed
            else:  # same content, new file bytes: remember them
                conn.execute(
                    update(registry_versions)
                    .where(registry_versions.c.id == info.id)
                    .values(sources=sources)
                )
    except SQLAlchemyError as exc:
        raise RegistryError(
            _("cannot store the seed registry: {exc}").format(exc=one_line(exc))
        ) from exc
    return load_version(engine)
