"""The first step of an import: a new registry version that starts as the active one
without the imported lists' previous contribution.

Entities that never carried the lists are copied with ``INSERT … SELECT`` (with their name
and identifier rows); entities that did are copied in pages without those listings and the
names the lists gave them, and dropped when the list created them and no other list names
them.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, insert, literal, not_, or_, select

from clearance.model import Entity, ListInfo
from clearance.registry.codec import entity_from_json
from clearance.store.registry_rows import insert_entities
from clearance.store.schema import (
    registry_entities,
    registry_identifiers,
    registry_lists,
    registry_names,
)

__all__ = ["carry_over"]


def _touched(list_ids: list[str]) -> ColumnElement[bool]:
    """Entities that one of ``list_ids`` lists or created (their ids start ``<list>-``)."""
    ents = registry_entities
    terms: list[ColumnElement[bool]] = []
    for lid in list_ids:
        esc = lid.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        terms.append(ents.c.lists.like(f"%|{esc}|%", escape="\\"))
        terms.append(ents.c.entity_id.like(f"{esc}-%", escape="\\"))
    return or_(*terms)


def _copy_lists(conn: Connection, base: int, vid: int, lists: list[ListInfo]) -> set[str]:
    """Copy the other lists' rows, store the imported ones; return the source URLs whose
    names the imported lists gave (old and new)."""
    list_ids = sorted({lst.id for lst in lists})
    strip_urls = {lst.source_url for lst in lists}
    for data in conn.execute(
        select(registry_lists.c.data).where(
            registry_lists.c.version_id == base, registry_lists.c.list_id.in_(list_ids)
        )
    ).scalars():
        strip_urls.add(data["source_url"])
    conn.execute(
        insert(registry_lists).from_select(
            ["version_id", "list_id", "data"],
            select(literal(vid), registry_lists.c.list_id, registry_lists.c.data).where(
                registry_lists.c.version_id == base,
                registry_lists.c.list_id.not_in(list_ids),
            ),
        )
    )
    seen: set[str] = set()
    for lst in lists:
        if lst.id not in seen:
            seen.add(lst.id)
            conn.execute(
                insert(registry_lists).values(version_id=vid, list_id=lst.id, data=lst.to_json())
            )
    return strip_urls


def _copy_untouched(conn: Connection, base: int, vid: int, list_ids: list[str]) -> None:
    ents = registry_entities
    conn.execute(
        insert(ents).from_select(
            ["version_id", "entity_id", "kind", "name", "data", "digest", "lists"],
            select(
                literal(vid),
                ents.c.entity_id,
                ents.c.kind,
                ents.c.name,
                ents.c.data,
                ents.c.digest,
                ents.c.lists,
            ).where(ents.c.version_id == base, not_(_touched(list_ids))),
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


def _strip_touched(
    conn: Connection, base: int, vid: int, list_ids: list[str], strip_urls: set[str], page: int
) -> None:
    """Copy the entities that carried the lists, without their listings and names."""
    ents = registry_entities
    prefixes = tuple(f"{lid}-" for lid in list_ids)
    last = ""
    while True:
        rows = conn.execute(
            select(ents.c.entity_id, ents.c.data)
            .where(ents.c.version_id == base, _touched(list_ids), ents.c.entity_id > last)
            .order_by(ents.c.entity_id)
            .limit(page)
        ).all()
        if not rows:
            return
        last = rows[-1].entity_id
        keep: list[Entity] = []
        for row in rows:
            entity = entity_from_json(row.data)
            entity.listings = [x for x in entity.listings if x.list_id not in list_ids]
            entity.names = [n for n in entity.names if n.source_url not in strip_urls]
            if not entity.listings and entity.id.startswith(prefixes):
                continue
            keep.append(entity)
        insert_entities(conn, vid, keep)


def carry_over(
    conn: Connection, base: int, vid: int, lists: list[ListInfo], page: int = 2000
) -> list[str]:
    """Fill version ``vid`` from version ``base`` without the contribution of ``lists``;
    return the imported list ids, sorted."""
    list_ids = sorted({lst.id for lst in lists})
    strip_urls = _copy_lists(conn, base, vid, lists)
    _copy_untouched(conn, base, vid, list_ids)
    _strip_touched(conn, base, vid, list_ids, strip_urls, page)
    return list_ids
