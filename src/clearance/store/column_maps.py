"""Column maps of asset registers, saved per source name.

A department's register comes back every month under a new file name with the same odd
headings ("Make/Model", "Local", "Étiquette"). ``--map`` names their fields once;
``--save-map`` with ``--source-name`` keeps that map in the database (table ``column_maps``,
one row per source name), and a later run with the same source name reads the register
alike without ``--map``. The map is stored as {folded heading: field}
(:func:`clearance.discovery.sources.register.parse_column_map`); saving replaces the source's
map and is audited.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Engine, insert, select, update

from clearance.store.audit import log_change
from clearance.store.lock import write_transaction
from clearance.store.schema import column_maps
from clearance.store.values import now

__all__ = ["load_column_map", "save_column_map"]


def _key(source_name: str) -> str:
    return " ".join(source_name.split())[:200]


def load_column_map(engine: Engine, source_name: str) -> dict[str, str] | None:
    """The map saved for ``source_name`` (spacing folded), or None."""
    with engine.connect() as conn:
        row = conn.execute(
            select(column_maps.c.mapping).where(column_maps.c.source_name == _key(source_name))
        ).first()
    return {str(k): str(v) for k, v in row.mapping.items()} if row is not None else None


def save_column_map(
    engine: Engine, source_name: str, mapping: Mapping[str, str], *, user: str
) -> None:
    """Keep ``mapping`` as the map of ``source_name``, replacing any earlier one. Audited."""
    key = _key(source_name)
    at = now()
    new = dict(mapping)
    with write_transaction(engine) as conn:
        row = conn.execute(select(column_maps).where(column_maps.c.source_name == key)).first()
        if row is None:
            conn.execute(
                insert(column_maps).values(source_name=key, mapping=new, updated_at=at, user=user)
            )
        else:
            conn.execute(
                update(column_maps)
                .where(column_maps.c.source_name == key)
                .values(mapping=new, updated_at=at, user=user)
            )
        log_change(
            conn,
            user=user,
            action="column_map.save",
            object_type="column_map",
            object_id=key,
            before=dict(row.mapping) if row is not None else None,
            after=new,
            at=at,
        )
