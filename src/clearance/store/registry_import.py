"""Streaming import of one official list into a new registry version.

The new version is the active one with the imported list's previous contribution replaced:
other entities are copied with ``INSERT … SELECT``, entities that carried the list are
stripped of it (and dropped when the list had created them and nothing else lists them),
then the incoming records are written in chunks while the file is read. Each chunk is merged
against what the new version already holds (strong identifiers first, exact normalised names
second, see :mod:`clearance.registry.merge`) with indexed look-ups, so memory stays flat on a
1 GB file. Every merge decision is stored in ``registry_merges``. The whole import is one
transaction: if anything fails, the previous version stays active and nothing is left behind.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    func,
    insert,
    literal,
    not_,
    or_,
    select,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from clearance.errors import RegistryError
from clearance.model import Entity, ListInfo, Relation
from clearance.registry.codec import entity_from_json, relation_from_json
from clearance.registry.merge import (
    MergeDecision,
    blocks_name_merge,
    identifier_keys,
    merge_into,
    name_key,
    name_keys,
)
from clearance.registry.registry import content_digest, relation_sort_key
from clearance.store.registry_rows import (
    ENTITY_COLUMNS,
    IDENTIFIER_COLUMNS,
    NAME_COLUMNS,
    bulk_insert,
    entity_row,
    entity_tuple,
    identifier_rows,
    name_rows,
    relation_row,
)
from clearance.store.registry_store import active_version, ensure_registry
from clearance.store.schema import (
    registry_entities,
    registry_identifiers,
    registry_lists,
    registry_merges,
    registry_names,
    registry_relations,
    registry_versions,
)

__all__ = ["ImportResult", "import_items", "merge_decisions"]

Item = ListInfo | Entity | Relation
_IN_BATCH = 500


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


def _batched(values: Sequence[str]) -> Iterator[list[str]]:
    for i in range(0, len(values), _IN_BATCH):
        yield list(values[i : i + _IN_BATCH])


class _Import:
    def __init__(self, conn: Connection, base_id: int, base_version: str, chunk: int) -> None:
        self.conn = conn
        self.base = base_id
        self.chunk = chunk
        now = datetime.now(UTC)
        self.now = now
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
            raise RegistryError("the database returned no id for the new version")
        self.vid = int(key[0])
        self.result = ImportResult(version="", previous=base_version, list_ids=[])
        self.list_ids: list[str] = []
        self.strip_urls: set[str] = set()
        self.relations: list[Relation] = []

    # -- preparing the new version from the active one -------------------------------------

    def _touched(self) -> ColumnElement[bool]:
        ents = registry_entities
        terms: list[ColumnElement[bool]] = []
        for lid in self.list_ids:
            esc = lid.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            terms.append(ents.c.lists.like(f"%|{esc}|%", escape="\\"))
            terms.append(ents.c.entity_id.like(f"{esc}-%", escape="\\"))
        return or_(*terms)

    def prepare(self, lists: list[ListInfo]) -> None:
        conn, vid, base = self.conn, self.vid, self.base
        self.list_ids = sorted({lst.id for lst in lists})
        self.result.list_ids = self.list_ids
        self.strip_urls = {lst.source_url for lst in lists}
        for data in conn.execute(
            select(registry_lists.c.data).where(
                registry_lists.c.version_id == base, registry_lists.c.list_id.in_(self.list_ids)
            )
        ).scalars():
            self.strip_urls.add(data["source_url"])
        conn.execute(
            insert(registry_lists).from_select(
                ["version_id", "list_id", "data"],
                select(literal(vid), registry_lists.c.list_id, registry_lists.c.data).where(
                    registry_lists.c.version_id == base,
                    registry_lists.c.list_id.not_in(self.list_ids),
                ),
            )
        )
        seen: set[str] = set()
        for lst in lists:
            if lst.id not in seen:
                seen.add(lst.id)
                conn.execute(
                    insert(registry_lists).values(
                        version_id=vid, list_id=lst.id, data=lst.to_json()
                    )
                )
        ents = registry_entities
        cols = ["version_id", "entity_id", "kind", "name", "data", "digest", "lists"]
        conn.execute(
            insert(ents).from_select(
                cols,
                select(
                    literal(vid),
                    ents.c.entity_id,
                    ents.c.kind,
                    ents.c.name,
                    ents.c.data,
                    ents.c.digest,
                    ents.c.lists,
                ).where(ents.c.version_id == base, not_(self._touched())),
            )
        )
        kept = select(ents.c.entity_id).where(ents.c.version_id == vid)
        names = registry_names
        conn.execute(
            insert(names).from_select(
                ["version_id", "entity_id", "name", "folded", "key"],
                select(
                    literal(vid), names.c.entity_id, names.c.name, names.c.folded, names.c.key
                ).where(names.c.version_id == base, names.c.entity_id.in_(kept)),
            )
        )
        idents = registry_identifiers
        conn.execute(
            insert(idents).from_select(
                ["version_id", "entity_id", "key"],
                select(literal(vid), idents.c.entity_id, idents.c.key).where(
                    idents.c.version_id == base, idents.c.entity_id.in_(kept)
                ),
            )
        )
        self._strip_touched()

    def _strip_touched(self) -> None:
        """Copy the entities that carried the list, without its listings and names."""
        ents = registry_entities
        prefixes = tuple(f"{lid}-" for lid in self.list_ids)
        last = ""
        while True:
            rows = self.conn.execute(
                select(ents.c.entity_id, ents.c.data)
                .where(ents.c.version_id == self.base, self._touched(), ents.c.entity_id > last)
                .order_by(ents.c.entity_id)
                .limit(self.chunk)
            ).all()
            if not rows:
                return
            last = rows[-1].entity_id
            keep: list[Entity] = []
            for row in rows:
                entity = entity_from_json(row.data)
                entity.listings = [x for x in entity.listings if x.list_id not in self.list_ids]
                entity.names = [n for n in entity.names if n.source_url not in self.strip_urls]
                if not entity.listings and entity.id.startswith(prefixes):
                    continue
                keep.append(entity)
            self._insert_new(keep)

    # -- writing --------------------------------------------------------------------------

    def _insert_new(self, entities: list[Entity]) -> None:
        if not entities:
            return
        vid = self.vid
        conn = self.conn
        bulk_insert(
            conn, registry_entities, ENTITY_COLUMNS, [entity_tuple(vid, e) for e in entities]
        )
        names = [(vid, e.id, n, n.casefold(), name_key(n)) for e in entities for n in e.all_names()]
        bulk_insert(conn, registry_names, NAME_COLUMNS, names)
        idents = [(vid, e.id, k) for e in entities for k in identifier_keys(e)]
        bulk_insert(conn, registry_identifiers, IDENTIFIER_COLUMNS, idents)

    def _update(self, entities: list[Entity]) -> None:
        if not entities:
            return
        vid, conn = self.vid, self.conn
        ids = [e.id for e in entities]
        have_names: dict[str, set[str]] = {}
        have_keys: dict[str, set[str]] = {}
        for batch in _batched(ids):
            for eid, name in conn.execute(
                select(registry_names.c.entity_id, registry_names.c.name).where(
                    registry_names.c.version_id == vid, registry_names.c.entity_id.in_(batch)
                )
            ):
                have_names.setdefault(eid, set()).add(name)
            for eid, key in conn.execute(
                select(registry_identifiers.c.entity_id, registry_identifiers.c.key).where(
                    registry_identifiers.c.version_id == vid,
                    registry_identifiers.c.entity_id.in_(batch),
                )
            ):
                have_keys.setdefault(eid, set()).add(key)
        names: list[dict[str, Any]] = []
        idents: list[dict[str, Any]] = []
        for entity in entities:
            row = entity_row(vid, entity)
            conn.execute(
                update(registry_entities)
                .where(
                    registry_entities.c.version_id == vid,
                    registry_entities.c.entity_id == entity.id,
                )
                .values(data=row["data"], digest=row["digest"], lists=row["lists"])
            )
            names += name_rows(vid, entity, have_names.get(entity.id, set()))
            idents += identifier_rows(vid, entity, have_keys.get(entity.id, set()))
        if names:
            conn.execute(insert(registry_names), names)
        if idents:
            conn.execute(insert(registry_identifiers), idents)

    # -- merging a chunk --------------------------------------------------------------------

    def _lookup(
        self, pending: list[Entity], keys: list[tuple[list[str], list[str]]]
    ) -> tuple[set[str], dict[str, list[str]]]:
        """Existing ids among the chunk's ids, and ``key -> entity ids`` for its keys."""
        conn, vid = self.conn, self.vid
        ids = list(dict.fromkeys(e.id for e in pending))
        existing: set[str] = set()
        for batch in _batched(ids):
            existing.update(
                conn.execute(
                    select(registry_entities.c.entity_id).where(
                        registry_entities.c.version_id == vid,
                        registry_entities.c.entity_id.in_(batch),
                    )
                ).scalars()
            )
        found: dict[str, list[str]] = {}
        ident_keys = list(dict.fromkeys(k for ids, _ in keys for k in ids))
        for batch in _batched(ident_keys):
            for key, eid in conn.execute(
                select(registry_identifiers.c.key, registry_identifiers.c.entity_id)
                .where(
                    registry_identifiers.c.version_id == vid,
                    registry_identifiers.c.key.in_(batch),
                )
                .order_by(registry_identifiers.c.entity_id)
            ):
                found.setdefault("i:" + key, []).append(eid)
        names = list(dict.fromkeys(k for _, ns in keys for k in ns))
        for batch in _batched(names):
            for key, eid in conn.execute(
                select(registry_names.c.key, registry_names.c.entity_id)
                .where(registry_names.c.version_id == vid, registry_names.c.key.in_(batch))
                .order_by(registry_names.c.entity_id)
            ):
                found.setdefault("n:" + key, []).append(eid)
        return existing, found

    def _load(self, ids: Iterable[str]) -> dict[str, Entity]:
        out: dict[str, Entity] = {}
        for batch in _batched(list(dict.fromkeys(ids))):
            for eid, data in self.conn.execute(
                select(registry_entities.c.entity_id, registry_entities.c.data).where(
                    registry_entities.c.version_id == self.vid,
                    registry_entities.c.entity_id.in_(batch),
                )
            ):
                out[eid] = entity_from_json(data)
        return out

    def flush(self, pending: list[Entity]) -> None:
        if not pending:
            return
        keys = [(identifier_keys(e), name_keys(e)) for e in pending]
        existing, found = self._lookup(pending, keys)
        stored = self._load([*existing, *(e for ids in found.values() for e in ids)])
        work: dict[str, Entity] = {}
        new: set[str] = set()
        index: dict[str, str] = {}  # keys of entities handled in this chunk -> entity id
        decisions: list[MergeDecision] = []
        list_id = self.list_ids[0]

        def current(eid: str) -> Entity | None:
            return work.get(eid) or stored.get(eid)

        for entity, (ident_keys, entity_names) in zip(pending, keys, strict=True):
            listing_list = entity.listings[0].list_id if entity.listings else list_id
            target: str | None = None
            rule = key = ""
            if entity.id in work or entity.id in existing:
                target, rule, key = entity.id, "id", entity.id
            if target is None:
                for k in ident_keys:
                    cands = [index[f"i:{k}"]] if f"i:{k}" in index else found.get(f"i:{k}", [])
                    if cands:
                        target, rule, key = cands[0], "identifier", k
                        break
            if target is None:
                for k in entity_names:
                    cands = [index[f"n:{k}"]] if f"n:{k}" in index else found.get(f"n:{k}", [])
                    for cand in cands:
                        other = current(cand)
                        if other is not None and not blocks_name_merge(other, entity):
                            target, rule, key = cand, "name", k
                            break
                    if target is not None:
                        break
            base = current(target) if target is not None else None
            if target is None or base is None:
                work[entity.id] = entity
                new.add(entity.id)
                self.result.created += 1
                target = entity.id
            else:
                work[target] = merge_into(base, entity)
                decisions.append(MergeDecision(listing_list, entity.id, target, rule, key))
                self.result.merged += 1
            for k in ident_keys:
                index.setdefault(f"i:{k}", target)
            for k in entity_names:
                index.setdefault(f"n:{k}", target)
        self._insert_new([work[eid] for eid in work if eid in new])
        self._update([work[eid] for eid in work if eid not in new])
        if decisions:
            self.conn.execute(
                insert(registry_merges),
                [{"version_id": self.vid, **_decision_row(d)} for d in decisions],
            )
            room = 20 - len(self.result.merges)
            self.result.merges.extend(d.to_json() for d in decisions[: max(room, 0)])

    # -- relations and the final version row ---------------------------------------------------

    def _resolve(self, ids: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for batch in _batched(ids):
            for record, eid in self.conn.execute(
                select(registry_merges.c.record, registry_merges.c.entity_id).where(
                    registry_merges.c.version_id == self.vid,
                    registry_merges.c.record.in_(batch),
                )
            ):
                out.setdefault(record, eid)
        present: set[str] = set()
        targets = list(dict.fromkeys(out.get(i, i) for i in ids))
        for batch in _batched(targets):
            present.update(
                self.conn.execute(
                    select(registry_entities.c.entity_id).where(
                        registry_entities.c.version_id == self.vid,
                        registry_entities.c.entity_id.in_(batch),
                    )
                ).scalars()
            )
        return {i: out.get(i, i) for i in ids if out.get(i, i) in present}

    def finish(self, note: str | None, sources: Sequence[dict[str, Any]]) -> ImportResult:
        conn, vid, base = self.conn, self.vid, self.base
        rels = registry_relations
        kept = select(registry_entities.c.entity_id).where(registry_entities.c.version_id == vid)
        conn.execute(
            insert(rels).from_select(
                ["version_id", "subject", "kind", "object", "data"],
                select(literal(vid), rels.c.subject, rels.c.kind, rels.c.object, rels.c.data).where(
                    rels.c.version_id == base,
                    rels.c.subject.in_(kept),
                    rels.c.object.in_(kept),
                ),
            )
        )
        if self.relations:
            ends = list(dict.fromkeys(x for r in self.relations for x in (r.subject, r.object)))
            final = self._resolve(ends)
            have = {
                (row.subject, row.kind, row.object)
                for row in conn.execute(
                    select(rels.c.subject, rels.c.kind, rels.c.object).where(
                        rels.c.version_id == vid
                    )
                )
            }
            rows = []
            for rel in self.relations:
                subject, obj = final.get(rel.subject), final.get(rel.object)
                if subject is None or obj is None or subject == obj:
                    continue
                triple = (subject, str(rel.kind), obj)
                if triple in have:
                    continue
                have.add(triple)
                moved = Relation(subject, rel.kind, obj, rel.source_url, rel.certainty, rel.note)
                rows.append(relation_row(vid, moved))
            if rows:
                conn.execute(insert(rels), rows)
            self.result.relations = len(rows)
        ents = registry_entities
        for attr, this, other in (("added", vid, base), ("removed", base, vid)):
            others = select(ents.c.entity_id).where(ents.c.version_id == other)
            setattr(
                self.result,
                attr,
                conn.execute(
                    select(func.count())
                    .select_from(ents)
                    .where(ents.c.version_id == this, ents.c.entity_id.not_in(others))
                ).scalar_one(),
            )
        digest = _stored_digest(conn, vid)
        count = conn.execute(
            select(func.count())
            .select_from(registry_entities)
            .where(registry_entities.c.version_id == vid)
        ).scalar_one()
        version = f"{self.now:%Y%m%dT%H%M%SZ}-{digest[:8]}"
        taken = conn.execute(
            select(func.count())
            .select_from(registry_versions)
            .where(registry_versions.c.version.like(f"{version}%"))
        ).scalar_one()
        if taken:
            version = f"{version}.{taken}"
        conn.execute(update(registry_versions).values(active=False))
        conn.execute(
            update(registry_versions)
            .where(registry_versions.c.id == vid)
            .values(
                version=version,
                content_hash=digest,
                note=note,
                sources=list(sources),
                entity_count=count,
                active=True,
            )
        )
        self.result.version = version
        self.result.entity_count = count
        return self.result


def _decision_row(decision: MergeDecision) -> dict[str, Any]:
    return {
        "list_id": decision.list_id,
        "record": decision.record[:200],
        "entity_id": decision.entity_id,
        "rule": decision.rule,
        "key": decision.key,
    }


def _ordered_ids(conn: Connection, vid: int, page: int = 5000) -> Iterator[tuple[str, str]]:
    ents = registry_entities
    col = ents.c.entity_id
    if conn.dialect.name == "postgresql":  # pragma: no cover - code-point order as in Python
        col = col.collate("C")  # type: ignore[assignment]
    last = ""
    while True:
        rows = conn.execute(
            select(ents.c.entity_id, ents.c.digest)
            .where(ents.c.version_id == vid, col > last)
            .order_by(col)
            .limit(page)
        ).all()
        if not rows:
            return
        for row in rows:
            yield row.entity_id, row.digest
        last = rows[-1].entity_id


def _stored_digest(conn: Connection, vid: int) -> str:
    """The registry content hash of a stored version, computed without loading it."""
    lists = conn.execute(
        select(registry_lists.c.data)
        .where(registry_lists.c.version_id == vid)
        .order_by(registry_lists.c.list_id)
    ).scalars()
    list_data = sorted(lists, key=lambda d: d["id"])
    rels = sorted(
        (
            relation_from_json(d).to_json()
            for d in conn.execute(
                select(registry_relations.c.data).where(registry_relations.c.version_id == vid)
            ).scalars()
        ),
        key=relation_sort_key,
    )
    return content_digest(list_data, _ordered_ids(conn, vid), rels)


def import_items(
    engine: Engine,
    items: Iterable[Item],
    *,
    note: str | None = None,
    sources: Sequence[dict[str, Any]] = (),
    chunk: int = 2000,
    on_progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import ``items`` (ListInfo first, then Entity and Relation) as a new active version.

    One transaction: on any error the previous version stays active and nothing is kept.
    """
    if active_version(engine) is None:
        ensure_registry(engine)
    info = active_version(engine)
    if info is None:  # pragma: no cover - ensure_registry just stored one
        raise RegistryError("no active registry version")
    try:
        with engine.begin() as conn:
            job = _Import(conn, info.id, info.version, chunk)
            iterator = iter(items)
            lists: list[ListInfo] = []
            first: Entity | Relation | None = None
            for item in iterator:
                if isinstance(item, ListInfo):
                    lists.append(item)
                    continue
                first = item
                break
            if not lists:
                raise RegistryError("the importer named no list")
            job.prepare(lists)
            pending: list[Entity] = []
            for item in _chain(first, iterator):
                if isinstance(item, Entity):
                    pending.append(item)
                    job.result.records += 1
                    if len(pending) >= chunk:
                        job.flush(pending)
                        pending = []
                        if on_progress is not None:
                            on_progress(job.result.records)
                elif isinstance(item, Relation):
                    job.relations.append(item)
            job.flush(pending)
            if on_progress is not None:
                on_progress(job.result.records)
            return job.finish(note, sources)
    except SQLAlchemyError as exc:
        raise RegistryError(f"cannot save the imported registry: {exc}") from exc


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
            raise RegistryError(f"no registry version {version!r}")
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
