"""The last step of an import: relations, counts, the content hash and the version row.

Relations between entities the new version kept are copied from the base version; the
imported ones are pointed at the entities their records merged into. The content hash is
computed from the stored rows in pages, without loading the registry.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, literal, select, update

from clearance.model import Relation
from clearance.registry.codec import relation_from_json
from clearance.registry.registry import content_digest, relation_sort_key
from clearance.store.registry_rows import in_batches, relation_row
from clearance.store.registry_store import version_name
from clearance.store.schema import (
    registry_entities,
    registry_lists,
    registry_merges,
    registry_relations,
    registry_versions,
)

__all__ = ["FinishedVersion", "finish_version"]


@dataclass(slots=True, frozen=True)
class FinishedVersion:
    """The activated version: its name and what it holds compared with its base."""

    version: str
    entity_count: int
    added: int  # entities in the new version and not in the base
    removed: int  # entities in the base and not in the new version
    relations: int  # imported relations stored


def _merged_ids(conn: Connection, vid: int, ids: list[str]) -> dict[str, str]:
    """``record id -> entity id`` for the records that ended up as stored entities."""
    out: dict[str, str] = {}
    for batch in in_batches(ids):
        for record, eid in conn.execute(
            select(registry_merges.c.record, registry_merges.c.entity_id).where(
                registry_merges.c.version_id == vid, registry_merges.c.record.in_(batch)
            )
        ):
            out.setdefault(record, eid)
    present: set[str] = set()
    for batch in in_batches(out.get(i, i) for i in ids):
        present.update(
            conn.execute(
                select(registry_entities.c.entity_id).where(
                    registry_entities.c.version_id == vid,
                    registry_entities.c.entity_id.in_(batch),
                )
            ).scalars()
        )
    return {i: out.get(i, i) for i in ids if out.get(i, i) in present}


def _relations(conn: Connection, vid: int, base: int, relations: list[Relation]) -> int:
    rels = registry_relations
    kept = select(registry_entities.c.entity_id).where(registry_entities.c.version_id == vid)
    conn.execute(
        insert(rels).from_select(
            ["version_id", "subject", "kind", "object", "data"],
            select(literal(vid), rels.c.subject, rels.c.kind, rels.c.object, rels.c.data).where(
                rels.c.version_id == base, rels.c.subject.in_(kept), rels.c.object.in_(kept)
            ),
        )
    )
    if not relations:
        return 0
    final = _merged_ids(conn, vid, [x for r in relations for x in (r.subject, r.object)])
    have = {
        (row.subject, row.kind, row.object)
        for row in conn.execute(
            select(rels.c.subject, rels.c.kind, rels.c.object).where(rels.c.version_id == vid)
        )
    }
    rows = []
    for rel in relations:
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
    return len(rows)


def _only_in(conn: Connection, this: int, other: int) -> int:
    ents = registry_entities
    others = select(ents.c.entity_id).where(ents.c.version_id == other)
    return int(
        conn.execute(
            select(func.count())
            .select_from(ents)
            .where(ents.c.version_id == this, ents.c.entity_id.not_in(others))
        ).scalar_one()
    )


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


def stored_digest(conn: Connection, vid: int) -> str:
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


def finish_version(
    conn: Connection,
    vid: int,
    base: int,
    relations: list[Relation],
    *,
    created_at: datetime,
    note: str | None,
    sources: Sequence[dict[str, Any]],
) -> FinishedVersion:
    """Store the relations, name version ``vid`` after its content and make it active."""
    stored_relations = _relations(conn, vid, base, relations)
    added, removed = _only_in(conn, vid, base), _only_in(conn, base, vid)
    digest = stored_digest(conn, vid)
    count = conn.execute(
        select(func.count())
        .select_from(registry_entities)
        .where(registry_entities.c.version_id == vid)
    ).scalar_one()
    version = version_name(conn, created_at, digest)
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
    return FinishedVersion(version, count, added, removed, stored_relations)
