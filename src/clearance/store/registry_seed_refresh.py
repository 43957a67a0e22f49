"""Bringing a newer shipped seed into a store whose active registry was built by imports.

An import builds on the active version, so the seed a store started from stays inside every
version after it. When Clearance is upgraded and its seed changes (new measures, new Chinese
names, new relations), a store that holds only the seed simply stores the new seed; a store
whose lists were imported since gets a new version made *as an import of the seed*: the lists
that only the seed gives are replaced by the new seed's, its entities are merged in by id
(new names, identifiers and relations join them), and every list that was imported keeps the
imported contents, which the seed never overrides.

What the refresh does not do: remove a name, identifier or relation that a newer seed no
longer holds, or change the certainty of a relation already stored (merging only adds).

The seed a version was built from is the fingerprint (``sources[*].sha256`` with ``list:
seed``) of the newest version at or before it that records one: the seed itself, or the last
refresh.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, select

from clearance.model import ListInfo
from clearance.registry.registry import Registry
from clearance.store.registry_import import Item, ListBatch, import_into
from clearance.store.registry_store import SEED_NOTE, VersionInfo
from clearance.store.schema import registry_versions

__all__ = ["SEED_REFRESH_NOTE", "imported_list_ids", "refresh_seed", "seed_basis"]

SEED_REFRESH_NOTE = "seed refresh"

#: The ``sources`` entry naming the seed files.
SEED_SOURCE = "package:clearance/data/registry"


def _seed_source(fingerprint: str) -> dict[str, Any]:
    return {"list": "seed", "url": SEED_SOURCE, "sha256": fingerprint}


def seed_basis(conn: Connection, active: VersionInfo) -> str | None:
    """The fingerprint of the seed files ``active`` was built from (``None``: unknown)."""
    rows = conn.execute(
        select(registry_versions.c.sources)
        .where(registry_versions.c.id <= active.id)
        .order_by(registry_versions.c.id.desc())
    ).scalars()
    for sources in rows:
        for source in sources or ():
            if source.get("list") == "seed" and source.get("sha256"):
                return str(source["sha256"])
    return None


def imported_list_ids(conn: Connection, active: VersionInfo) -> set[str]:
    """The lists an import wrote into ``active`` or a version before it."""
    found: set[str] = set()
    rows = conn.execute(
        select(registry_versions.c.note, registry_versions.c.sources).where(
            registry_versions.c.id <= active.id
        )
    ).all()
    for note, sources in rows:
        if note in (SEED_NOTE, SEED_REFRESH_NOTE):
            continue
        for source in sources or ():
            if source.get("list_id"):
                found.add(str(source["list_id"]))
    return found


def _items(seed: Registry, lists: list[ListInfo]) -> list[Item]:
    """The seed as an import of ``lists``: every entity, with only those lists' listings."""
    keep = {lst.id for lst in lists}
    items: list[Item] = [*lists]
    for entity in seed.entities.values():
        items.append(replace(entity, listings=[x for x in entity.listings if x.list_id in keep]))
    items.extend(seed.relations)
    return items


def refresh_seed(
    conn: Connection, active: VersionInfo, seed: Registry, fingerprint: str
) -> str | None:
    """Store ``seed`` over the imported ``active`` version as a new active version (on
    ``conn``, inside :func:`~clearance.store.registry_store.registry_write`); return the new
    version's name, or ``None`` when every list of the seed was imported (nothing to bring)."""
    imported = imported_list_ids(conn, active)
    lists = [lst for lst in seed.lists.values() if lst.id not in imported]
    if not lists:
        return None
    sources = [_seed_source(fingerprint)]
    batch = ListBatch(_items(seed, lists), note=SEED_REFRESH_NOTE, sources=sources)
    return import_into(conn, batch).version
