"""Streaming import of one official list into a new registry version.

The new version is the active one with the imported list's previous contribution replaced
(:mod:`clearance.store.registry_carry_over`); the incoming records are then merged in chunks
while the file is read (:mod:`clearance.store.registry_merging`), so memory stays flat on a
1 GB file and the work grows linearly with it; relations, the content hash and the version
row come last (:mod:`clearance.store.registry_finish`). Every merge decision is stored in
``registry_merges``. The whole import is one transaction holding the registry writers' lock
from before it reads the active version: two imports at once run one after the other, and
if anything fails the previous version stays active and nothing is left behind.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import SQLAlchemyError

from clearance.errors import RegistryError
from clearance.i18n import gettext as _
from clearance.model import Entity, ListInfo, Relation
from clearance.store.registry_carry_over import carry_over
from clearance.store.registry_finish import finish_version
from clearance.store.registry_merging import ChunkMerger
from clearance.store.registry_store import (
    active_info,
    active_version,
    ensure_registry,
    registry_write,
)
from clearance.store.schema import registry_merges, registry_versions

__all__ = [
    "ImportResult",
    "Item",
    "ListBatch",
    "import_into",
    "import_items",
    "import_lists",
    "merge_decisions",
]

Item = ListInfo | Entity | Relation


@dataclass(slots=True)
class ImportResult:
    """What an import did."""

    version: str
    previous: str
    list_ids: list[str]
    records: int = 0
    created: int = 0
    merged: int = 0
    added: int = 0  # entities in the new version and not in the previous one
    removed: int = 0  # entities in the previous version and not in the new one
    relations: int = 0
    entity_count: int = 0
    merges: list[dict[str, str]] = field(default_factory=list)  # first few, for display

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "previous": self.previous,
            "lists": self.list_ids,
            "records": self.records,
            "created": self.created,
            "merged": self.merged,
            "added": self.added,
            "removed": self.removed,
            "relations": self.relations,
            "entity_count": self.entity_count,
            "merges": self.merges,
        }


def _pending_version(conn: Connection, now: datetime) -> int:
    """Insert the new version's row (inactive, named once its content is known)."""
    result = conn.execute(
        insert(registry_versions).values(
            version=f"pending-{uuid.uuid4().hex}",
            content_hash="",
            created_at=now,
            active=False,
            note=None,
            sources=[],
            entity_count=0,
        )
    )
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - every supported backend returns it
        raise RegistryError(_("the database returned no id for the new version"))
    return int(key[0])


def _leading_lists(items: Iterator[Item]) -> tuple[list[ListInfo], Entity | Relation | None]:
    """The lists an importer yields first, and the first record after them."""
    lists: list[ListInfo] = []
    for item in items:
        if isinstance(item, ListInfo):
            lists.append(item)
            continue
        return lists, item
    return lists, None


@dataclass(slots=True)
class ListBatch:
    """One list to import: its items (ListInfo first, then Entity and Relation), the note
    and sources its version records, and a callback told how many records were read."""

    items: Iterable[Item]
    note: str | None = None
    sources: Sequence[dict[str, Any]] = ()
    on_progress: Callable[[int], None] | None = None


def import_into(conn: Connection, batch: ListBatch, chunk: int = 2000) -> ImportResult:
    """Import one list as a new active version on ``conn`` (inside :func:`registry_write`)."""
    info = active_info(conn)
    if info is None:  # pragma: no cover - ensure_registry stored one before
        raise RegistryError(_("no active registry version"))
    now = datetime.now(UTC)
    vid = _pending_version(conn, now)
    iterator = iter(batch.items)
    lists, first = _leading_lists(iterator)
    if not lists:
        raise RegistryError(_("the importer named no list"))
    list_ids = carry_over(conn, info.id, vid, lists, page=chunk)
    result = ImportResult(version="", previous=info.version, list_ids=list_ids)
    merger = ChunkMerger(conn, vid, list_ids[0], cache_size=2 * chunk)
    relations: list[Relation] = []
    pending: list[Entity] = []
    for item in _chain(first, iterator):
        if isinstance(item, Entity):
            pending.append(item)
            result.records += 1
            if len(pending) >= chunk:
                merger.flush(pending)
                pending = []
                if batch.on_progress is not None:
                    batch.on_progress(result.records)
        elif isinstance(item, Relation):
            relations.append(item)
    merger.flush(pending)
    merger.close()
    if batch.on_progress is not None:
        batch.on_progress(result.records)
    done = finish_version(
        conn, vid, info.id, relations, created_at=now, note=batch.note, sources=batch.sources
    )
    result.version = done.version
    result.entity_count = done.entity_count
    result.added, result.removed, result.relations = done.added, done.removed, done.relations
    result.created, result.merged, result.merges = merger.created, merger.merged, merger.decisions
    return result


def import_lists(
    engine: Engine, batches: Sequence[ListBatch], *, chunk: int = 2000
) -> list[ImportResult]:
    """Import several lists, each as a new version built on the one before, in one
    transaction under the registry writers' lock: all are swapped in, or (on any error)
    none is and the previous version stays active. An import that starts while another
    runs waits for it and builds on its result.
    """
    if active_version(engine) is None:
        ensure_registry(engine)
    try:
        with registry_write(engine) as conn:
            return [import_into(conn, batch, chunk) for batch in batches]
    except SQLAlchemyError as exc:
        raise RegistryError(_("cannot save the imported registry: {exc}").format(exc=exc)) from exc


def import_items(
    engine: Engine,
    items: Iterable[Item],
    *,
    note: str | None = None,
    sources: Sequence[dict[str, Any]] = (),
    chunk: int = 2000,
    on_progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import ``items`` (ListInfo first, then Entity and Relation) as a new active version,
    in one transaction (see :func:`import_lists`)."""
    (result,) = import_lists(engine, [ListBatch(items, note, sources, on_progress)], chunk=chunk)
    return result


def _chain(first: Item | None, rest: Iterator[Item]) -> Iterator[Item]:
    if first is not None:
        yield first
    yield from rest


def merge_decisions(engine: Engine, version: str) -> list[dict[str, str]]:
    """The merge decisions recorded for a version (which record joined which entity, why)."""
    with engine.connect() as conn:
        vid = conn.execute(
            select(registry_versions.c.id).where(registry_versions.c.version == version)
        ).scalar_one_or_none()
        if vid is None:
            raise RegistryError(_("no registry version {version!r}").format(version=version))
        rows = conn.execute(
            select(registry_merges)
            .where(registry_merges.c.version_id == vid)
            .order_by(registry_merges.c.id)
        ).all()
    return [
        {
            "list": r.list_id,
            "record": r.record,
            "entity_id": r.entity_id,
            "rule": r.rule,
            "key": r.key,
        }
        for r in rows
    ]
