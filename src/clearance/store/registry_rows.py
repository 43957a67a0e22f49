"""Rows of the registry tables for one entity: shared by whole-registry saves and imports."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import JSON, Connection, Table

from clearance.model import Entity, Relation
from clearance.registry.merge import identifier_keys, name_key
from clearance.registry.registry import json_digest
from clearance.store.schema import registry_entities, registry_identifiers, registry_names

__all__ = [
    "ENTITY_COLUMNS",
    "IDENTIFIER_COLUMNS",
    "NAME_COLUMNS",
    "bulk_insert",
    "chunks",
    "entity_row",
    "entity_tuple",
    "identifier_rows",
    "in_batches",
    "insert_entities",
    "lists_marker",
    "name_rows",
    "relation_row",
]

CHUNK = 5000
IN_BATCH = 500  # values per ``IN (…)`` list


def lists_marker(entity: Entity) -> str:
    """``|list-a|list-b|``: the lists an entity is on, searchable with LIKE '%|id|%'."""
    ids = sorted({x.list_id for x in entity.listings})
    return "|" + "|".join(ids) + "|" if ids else "|"


def entity_row(vid: int, entity: Entity) -> dict[str, Any]:
    data = entity.to_json()
    return {
        "version_id": vid,
        "entity_id": entity.id,
        "kind": str(entity.kind),
        "name": entity.name,
        "data": data,
        "digest": json_digest(data),
        "lists": lists_marker(entity),
    }


ENTITY_COLUMNS = ("version_id", "entity_id", "kind", "name", "data", "digest", "lists")
NAME_COLUMNS = ("version_id", "entity_id", "name", "folded", "key")
IDENTIFIER_COLUMNS = ("version_id", "entity_id", "key")


def entity_tuple(vid: int, entity: Entity) -> tuple[Any, ...]:
    """An entity row for :func:`bulk_insert`: the canonical JSON text is serialised once,
    stored as is and hashed for the digest."""
    text = json.dumps(entity.to_json(), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(text.encode()).hexdigest()
    return (vid, entity.id, str(entity.kind), entity.name, text, digest, lists_marker(entity))


def bulk_insert(
    conn: Connection,
    table: Table,
    columns: tuple[str, ...],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    """``executemany`` straight on the driver: the fast path for large imports (JSON
    columns take text that is already serialised)."""
    if not rows:
        return
    style = conn.dialect.paramstyle
    mark = "?" if style == "qmark" else "%s"
    is_pg = conn.dialect.name == "postgresql"
    marks = ", ".join(
        f"CAST({mark} AS JSON)" if is_pg and isinstance(table.c[c].type, JSON) else mark
        for c in columns
    )
    names = ", ".join(table.c[c].name for c in columns)  # only the schema's own names
    sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"  # noqa: S608
    conn.exec_driver_sql(sql, list(rows))


def name_rows(vid: int, entity: Entity, skip: set[str] | None = None) -> list[dict[str, Any]]:
    """One row per distinct name (``skip``: names already stored)."""
    return [
        {
            "version_id": vid,
            "entity_id": entity.id,
            "name": n,
            "folded": n.casefold(),
            "key": name_key(n),
        }
        for n in entity.all_names()
        if skip is None or n not in skip
    ]


def identifier_rows(vid: int, entity: Entity, skip: set[str] | None = None) -> list[dict[str, Any]]:
    return [
        {"version_id": vid, "entity_id": entity.id, "key": key}
        for key in identifier_keys(entity)
        if skip is None or key not in skip
    ]


def relation_row(vid: int, rel: Relation) -> dict[str, Any]:
    return {
        "version_id": vid,
        "subject": rel.subject,
        "kind": str(rel.kind),
        "object": rel.object,
        "data": rel.to_json(),
    }


def chunks(rows: Iterator[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def in_batches(values: Iterable[str], size: int = IN_BATCH) -> Iterator[list[str]]:
    """Distinct ``values`` in lists short enough for an ``IN (…)`` clause."""
    distinct = list(dict.fromkeys(values))
    for i in range(0, len(distinct), size):
        yield distinct[i : i + size]


def insert_entities(conn: Connection, vid: int, entities: Sequence[Entity]) -> None:
    """Insert new entities with their name and strong-identifier rows."""
    if not entities:
        return
    bulk_insert(conn, registry_entities, ENTITY_COLUMNS, [entity_tuple(vid, e) for e in entities])
    names = [(vid, e.id, n, n.casefold(), name_key(n)) for e in entities for n in e.all_names()]
    bulk_insert(conn, registry_names, NAME_COLUMNS, names)
    idents = [(vid, e.id, k) for e in entities for k in identifier_keys(e)]
    bulk_insert(conn, registry_identifiers, IDENTIFIER_COLUMNS, idents)
