"""Registry entities as yente serves them: the FtM record of
:mod:`clearance.registry.export_ftm` with yente's entity fields (datasets are the lists the
entity is on, referents the records merged into it)."""

from __future__ import annotations

from typing import Any

from clearance.matching.memo import remember
from clearance.model import Entity
from clearance.registry.export_ftm import ftm_records
from clearance.server.state import ServerState

__all__ = ["SERVED_MEMO", "entity_datasets", "ftm_entity", "in_datasets"]

#: Yente entities a server process remembers (about 2 KB each).
SERVED_MEMO = 50_000


def entity_datasets(entity: Entity) -> list[str]:
    """The lists an entity is on (its yente datasets)."""
    return list(dict.fromkeys(x.list_id for x in entity.listings))


def in_datasets(entity: Entity, datasets: set[str] | None) -> bool:
    """Whether the entity is on one of ``datasets`` (``None``: every entity)."""
    return datasets is None or any(x.list_id in datasets for x in entity.listings)


def ftm_entity(state: ServerState, entity: Entity) -> dict[str, Any] | None:
    """The entity as a yente entity: id, caption, schema, properties, datasets, referents,
    target, first_seen, last_seen, last_change. ``None`` for an entity FtM has no schema for
    (a category of equipment), which the server does not serve, as the FtM export leaves it
    out.

    Worked out once per entity and remembered in ``state.served`` (the registry does not
    change while it is served); each call returns a new dict, which the caller may add keys
    to, over the remembered values (which nobody may change)."""
    try:
        known = state.served[entity.id]
    except KeyError:
        known = remember(state.served, entity.id, _yente_entity(state, entity), SERVED_MEMO)
    return None if known is None else dict(known)


def _yente_entity(state: ServerState, entity: Entity) -> dict[str, Any] | None:
    party = next(ftm_records(state.registry, [entity]), None)  # the party comes first
    if party is None:
        return None
    return {
        "id": party["id"],
        "caption": party.get("caption", entity.name),
        "schema": party["schema"],
        "properties": party["properties"],
        "datasets": entity_datasets(entity),
        "referents": sorted(state.referents.get(entity.id, ())),
        "target": bool(party.get("target", False)),
        "first_seen": None,
        "last_seen": None,
        "last_change": None,
    }
