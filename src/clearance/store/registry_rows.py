"""Rows of the registry tables for one entity: shared by whole-registry saves and imports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from clearance.model import Entity, Relation
from clearance.registry.merge import identifier_keys, name_key
from clearance.registry.registry import json_digest

__all__ = ["chunks", "entity_row", "identifier_rows", "lists_marker", "name_rows", "relation_row"]

CHUNK = 5000


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
