"""What the server screens against, loaded once: the registry, its screener (and index),
FtM ids of its entities and the merge records that send an old id to the surviving one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from clearance.matching.screen import Screener
from clearance.registry.export_ftm import entity_ftm_id
from clearance.registry.registry import Registry
from clearance.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = ["ServerState", "load_state"]


@dataclass(slots=True)
class ServerState:
    """The registry being served and what answers queries on it."""

    registry: Registry
    screener: Screener
    #: FtM id (``clearance-<id>``) -> registry entity id
    by_ftm_id: dict[str, str] = field(default_factory=dict)
    #: id of a record merged into another entity (raw and as FtM id) -> surviving entity id
    merged: dict[str, str] = field(default_factory=dict)
    #: entity id -> FtM ids of the records merged into it (yente's ``referents``)
    referents: dict[str, list[str]] = field(default_factory=dict)
    #: entity id -> its yente entity (``None``: not served), worked out once: the registry
    #: does not change while it is served (see :func:`clearance.server.entities.ftm_entity`)
    served: dict[str, dict[str, Any] | None] = field(default_factory=dict)

    @classmethod
    def of(
        cls, registry: Registry, screener: Screener, merges: dict[str, str] | None = None
    ) -> ServerState:
        """The state for ``registry``; ``merges`` maps merged record ids to entity ids."""
        by_ftm_id = {entity_ftm_id(eid): eid for eid in registry.entities}
        merged: dict[str, str] = {}
        referents: dict[str, list[str]] = {}
        for record, eid in (merges or {}).items():
            ftm_id = entity_ftm_id(record)
            if record == eid or eid not in registry.entities or ftm_id in by_ftm_id:
                continue
            referents.setdefault(eid, []).append(ftm_id)
            for key in (record, ftm_id):
                if key not in registry.entities:
                    merged[key] = eid
        return cls(registry, screener, by_ftm_id, merged, referents)

    def entity_id(self, ident: str) -> str | None:
        """The registry entity an id names (FtM id or registry id), ``None`` if none."""
        if ident in self.by_ftm_id:
            return self.by_ftm_id[ident]
        return ident if ident in self.registry.entities else None


def _merges(engine: Engine) -> dict[str, str]:
    """Merge records of the active registry version: record id -> surviving entity id."""
    from clearance.store.registry_import import merge_decisions
    from clearance.store.registry_store import active_version

    active = active_version(engine)
    if active is None:
        return {}
    return {m["record"]: m["entity_id"] for m in merge_decisions(engine, active.version)}


def load_state(settings: Settings, *, workers: int = 1) -> ServerState:
    """Load the store's active registry and build (or read from the cache) its index."""
    from clearance.store.db import open_store
    from clearance.store.registry_store import ensure_registry

    engine = open_store(settings.db_url)
    try:
        registry = ensure_registry(engine)
        merges = _merges(engine)
    finally:
        engine.dispose()
    screener = Screener(registry, settings, workers=workers)
    return ServerState.of(registry, screener, merges)
