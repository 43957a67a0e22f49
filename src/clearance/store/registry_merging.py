"""Merging incoming records, a chunk at a time, into the registry version being built.

Each chunk is matched against what the version already holds with indexed look-ups (the
record's own id, then strong identifiers, then exact normalised names, see
:mod:`clearance.registry.merge`); new entities are inserted at once. Entities that records
join are kept in memory as :class:`~clearance.registry.merge.MergedEntity` in a bounded
write-back cache: their new name and identifier rows are written with each chunk (so later
look-ups find them), their JSON only when they leave the cache or at :meth:`close`. A party
that thousands of records join is therefore written once, not once per chunk, and every
record costs the same whatever the file's size: the import is linear in the number of
records.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, insert, select, update

from clearance.model import Entity
from clearance.registry.codec import entity_from_json
from clearance.registry.merge import (
    MergeDecision,
    MergedEntity,
    identifier_keys,
    name_key,
    name_keys,
)
from clearance.store.registry_rows import (
    IDENTIFIER_COLUMNS,
    NAME_COLUMNS,
    bulk_insert,
    entity_row,
    in_batches,
    insert_entities,
)
from clearance.store.schema import (
    registry_entities,
    registry_identifiers,
    registry_merges,
    registry_names,
)

__all__ = ["ChunkMerger"]

SHOWN_DECISIONS = 20  # merge decisions kept for display


@dataclass(slots=True)
class _Joined:
    """A stored entity that records joined, with the name and identifier rows it has."""

    merged: MergedEntity
    names: set[str]
    keys: set[str]


@dataclass(slots=True)
class _Matches:
    """What the version holds for one chunk: ids among the chunk's record ids, and the
    entity ids under each identifier (``i:…``) and name (``n:…``) key."""

    existing: set[str]
    by_key: dict[str, list[str]] = field(default_factory=dict)


class ChunkMerger:
    """Merges chunks of incoming entities into version ``vid`` on ``conn``.

    Attributes:
        created: records that became new entities.
        merged: records that joined an entity.
        decisions: the first :data:`SHOWN_DECISIONS` merge decisions, as JSON.
    """

    def __init__(self, conn: Connection, vid: int, list_id: str, cache_size: int) -> None:
        self.conn = conn
        self.vid = vid
        self.list_id = list_id
        self.cache_size = max(cache_size, 1)
        self.cache: OrderedDict[str, _Joined] = OrderedDict()
        self.created = 0
        self.merged = 0
        self.decisions: list[dict[str, str]] = []

    # -- reading what the version holds ---------------------------------------------------

    def _matches(self, pending: list[Entity], keys: list[tuple[list[str], list[str]]]) -> _Matches:
        conn, vid = self.conn, self.vid
        ents, idents, names = registry_entities, registry_identifiers, registry_names
        found = _Matches(set())
        for batch in in_batches(e.id for e in pending):
            found.existing.update(
                conn.execute(
                    select(ents.c.entity_id).where(
                        ents.c.version_id == vid, ents.c.entity_id.in_(batch)
                    )
                ).scalars()
            )
        for batch in in_batches(k for ids, _ in keys for k in ids):
            for key, eid in conn.execute(
                select(idents.c.key, idents.c.entity_id)
                .where(idents.c.version_id == vid, idents.c.key.in_(batch))
                .order_by(idents.c.entity_id)
            ):
                found.by_key.setdefault("i:" + key, []).append(eid)
        for batch in in_batches(k for _, ns in keys for k in ns):
            for key, eid in conn.execute(
                select(names.c.key, names.c.entity_id)
                .where(names.c.version_id == vid, names.c.key.in_(batch))
                .order_by(names.c.entity_id)
            ):
                found.by_key.setdefault("n:" + key, []).append(eid)
        return found

    def _load(self, ids: list[str]) -> dict[str, Entity]:
        out: dict[str, Entity] = {}
        for batch in in_batches(i for i in ids if i not in self.cache):
            for eid, data in self.conn.execute(
                select(registry_entities.c.entity_id, registry_entities.c.data).where(
                    registry_entities.c.version_id == self.vid,
                    registry_entities.c.entity_id.in_(batch),
                )
            ):
                out[eid] = entity_from_json(data)
        return out

    def _stored_rows(self, ids: list[str]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """The name and identifier-key rows the version holds for ``ids``."""
        names: dict[str, set[str]] = {i: set() for i in ids}
        keys: dict[str, set[str]] = {i: set() for i in ids}
        ns, idents = registry_names, registry_identifiers
        for batch in in_batches(ids):
            for eid, name in self.conn.execute(
                select(ns.c.entity_id, ns.c.name).where(
                    ns.c.version_id == self.vid, ns.c.entity_id.in_(batch)
                )
            ):
                names[eid].add(name)
            for eid, key in self.conn.execute(
                select(idents.c.entity_id, idents.c.key).where(
                    idents.c.version_id == self.vid, idents.c.entity_id.in_(batch)
                )
            ):
                keys[eid].add(key)
        return names, keys

    # -- merging a chunk --------------------------------------------------------------------

    def flush(self, pending: list[Entity]) -> None:
        """Merge ``pending`` into the version (records of one chunk, in file order)."""
        if not pending:
            return
        keys = [(identifier_keys(e), name_keys(e)) for e in pending]
        found = self._matches(pending, keys)
        stored = self._load([*found.existing, *(e for ids in found.by_key.values() for e in ids)])
        seen: dict[str, MergedEntity] = {}  # entities of this chunk, as merged so far
        new: dict[str, None] = {}  # records that became entities, in order
        joined: dict[str, None] = {}  # stored entities records joined, in order
        index: dict[str, str] = {}  # keys of entities handled in this chunk -> entity id
        decisions: list[MergeDecision] = []

        def current(eid: str) -> MergedEntity | None:
            if eid in seen:
                return seen[eid]
            if eid in self.cache:
                seen[eid] = self.cache[eid].merged
            elif eid in stored:
                seen[eid] = MergedEntity(stored[eid])
            else:
                return None
            return seen[eid]

        def candidates(key: str) -> list[str]:
            return [index[key]] if key in index else found.by_key.get(key, [])

        for entity, (ident_keys, entity_names) in zip(pending, keys, strict=True):
            target: str | None = None
            rule = key = ""
            if entity.id in seen or entity.id in found.existing:
                target, rule, key = entity.id, "id", entity.id
            if target is None:
                for k in ident_keys:
                    cands = candidates(f"i:{k}")
                    if cands:
                        target, rule, key = cands[0], "identifier", k
                        break
            if target is None:
                for k in entity_names:
                    for cand in candidates(f"n:{k}"):
                        other = current(cand)
                        if other is not None and not other.blocks(entity):
                            target, rule, key = cand, "name", k
                            break
                    if target is not None:
                        break
            base = current(target) if target is not None else None
            if target is None or base is None:
                seen[entity.id] = MergedEntity(entity)
                new[entity.id] = None
                self.created += 1
                target = entity.id
            else:
                base.add(entity)
                if target not in new:
                    joined[target] = None
                listing_list = entity.listings[0].list_id if entity.listings else self.list_id
                decisions.append(MergeDecision(listing_list, entity.id, target, rule, key))
                self.merged += 1
            for k in ident_keys:
                index.setdefault(f"i:{k}", target)
            for k in entity_names:
                index.setdefault(f"n:{k}", target)
        insert_entities(self.conn, self.vid, [seen[eid].entity() for eid in new])
        self._joined(list(joined), seen)
        self._record(decisions)

    def _joined(self, ids: list[str], seen: dict[str, MergedEntity]) -> None:
        """Write the new name and identifier rows of the stored entities records joined,
        and keep them in the cache (writing back those it pushes out)."""
        fresh = [i for i in ids if i not in self.cache]
        names, keys = self._stored_rows(fresh)
        for eid in fresh:
            self.cache[eid] = _Joined(seen[eid], names[eid], keys[eid])
        name_rows: list[tuple[Any, ...]] = []
        ident_rows: list[tuple[Any, ...]] = []
        for eid in ids:
            entry = self.cache[eid]
            self.cache.move_to_end(eid)
            added_names, added_keys = entry.merged.take_added()
            for name in added_names:
                if name not in entry.names:
                    entry.names.add(name)
                    name_rows.append((self.vid, eid, name, name.casefold(), name_key(name)))
            for key in added_keys:
                if key not in entry.keys:
                    entry.keys.add(key)
                    ident_rows.append((self.vid, eid, key))
        bulk_insert(self.conn, registry_names, NAME_COLUMNS, name_rows)
        bulk_insert(self.conn, registry_identifiers, IDENTIFIER_COLUMNS, ident_rows)
        while len(self.cache) > self.cache_size:
            _, entry = self.cache.popitem(last=False)
            self._write_back(entry.merged)

    def _write_back(self, merged: MergedEntity) -> None:
        row = entity_row(self.vid, merged.entity())
        self.conn.execute(
            update(registry_entities)
            .where(
                registry_entities.c.version_id == self.vid,
                registry_entities.c.entity_id == merged.id,
            )
            .values(data=row["data"], digest=row["digest"], lists=row["lists"])
        )

    def _record(self, decisions: list[MergeDecision]) -> None:
        if not decisions:
            return
        self.conn.execute(
            insert(registry_merges),
            [{"version_id": self.vid, **_decision_row(d)} for d in decisions],
        )
        room = SHOWN_DECISIONS - len(self.decisions)
        self.decisions.extend(d.to_json() for d in decisions[: max(room, 0)])

    def close(self) -> None:
        """Write back every entity still in the cache."""
        while self.cache:
            _, entry = self.cache.popitem(last=False)
            self._write_back(entry.merged)


def _decision_row(decision: MergeDecision) -> dict[str, Any]:
    return {
        "list_id": decision.list_id,
        "record": decision.record[:200],
        "entity_id": decision.entity_id,
        "rule": decision.rule,
        "key": decision.key,
    }
