"""The in-memory registry: lists, entities and the relations between them."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from clearance.errors import RegistryError
from clearance.i18n import gettext as _
from clearance.model import Entity, ListInfo, Relation, RelationKind
from clearance.registry.codec import entity_from_json, list_from_json, relation_from_json

__all__ = ["Registry", "RestrictedPath", "content_digest", "entity_digest", "json_digest"]


def _canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False).encode()


def json_digest(data: dict[str, Any]) -> str:
    """sha256 of a JSON object's canonical form."""
    return hashlib.sha256(_canonical(data)).hexdigest()


def entity_digest(entity: Entity) -> str:
    """sha256 of an entity's canonical JSON (stored per row, so versions diff cheaply)."""
    return json_digest(entity.to_json())


def content_digest(
    lists: Iterable[dict[str, Any]],
    entity_digests: Iterable[tuple[str, str]],
    relations: Iterable[dict[str, Any]],
) -> str:
    """The registry content hash from lists (sorted by id), ``(entity id, entity digest)``
    pairs sorted by id, and relations (sorted): the store computes it the same way while
    streaming, without loading the registry."""
    h = hashlib.sha256()
    for lst in lists:
        h.update(b"L" + _canonical(lst) + b"\n")
    for entity_id, digest in entity_digests:
        h.update(f"E{entity_id}\x00{digest}\n".encode())
    for rel in relations:
        h.update(b"R" + _canonical(rel) + b"\n")
    return h.hexdigest()


def relation_sort_key(rel: dict[str, Any]) -> tuple[str, str, str, str]:
    return (rel["subject"], rel["kind"], rel["object"], rel["source_url"])


# Relations along which restriction flows from a listed entity to a related one.
_UPWARD = (
    RelationKind.SUBSIDIARY,
    RelationKind.BRAND,
    RelationKind.OEM_OF,
    RelationKind.AFFILIATE,
)


@dataclass(slots=True, frozen=True)
class RestrictedPath:
    """How an entity leads to a listed one: the listed entity and the relations walked."""

    entity: Entity
    relations: tuple[Relation, ...]

    @property
    def certainty(self) -> float:
        value = 1.0
        for rel in self.relations:
            value *= rel.certainty
        return value

    @property
    def relation(self) -> str:
        """The relation of the first step, as DESIGN.md names it (subsidiary, brand, oem)."""
        if not self.relations:
            return "manufacturer"
        kind = self.relations[0].kind
        return "oem" if kind is RelationKind.OEM_OF else str(kind)


class Registry:
    """Lists, entities and relations; immutable once built (build a new one to change it)."""

    def __init__(
        self,
        lists: Iterable[ListInfo],
        entities: Iterable[Entity],
        relations: Iterable[Relation] = (),
        *,
        version: str | None = None,
    ) -> None:
        self.lists: dict[str, ListInfo] = {lst.id: lst for lst in lists}
        self.entities: dict[str, Entity] = {}
        for entity in entities:
            if entity.id in self.entities:
                raise RegistryError(_("entity id {id!r} is defined twice").format(id=entity.id))
            self.entities[entity.id] = entity
        self.relations: list[Relation] = list(relations)
        self.version = version
        self._by_subject: dict[str, list[Relation]] = defaultdict(list)
        self._by_object: dict[str, list[Relation]] = defaultdict(list)
        for rel in self.relations:
            self._by_subject[rel.subject].append(rel)
            self._by_object[rel.object].append(rel)

    def __len__(self) -> int:
        return len(self.entities)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.entities.values())

    def get(self, entity_id: str) -> Entity:
        try:
            return self.entities[entity_id]
        except KeyError:
            raise RegistryError(
                _("no entity {entity_id!r} in the registry").format(entity_id=entity_id)
            ) from None

    def relations_of(self, entity_id: str) -> list[Relation]:
        """Relations in which the entity is subject or object."""
        return [*self._by_subject.get(entity_id, ()), *self._by_object.get(entity_id, ())]

    def may_be_restricted(self, entity_id: str) -> bool:
        """Whether the entity is listed or relates upward to another party (a cheap test
        before :meth:`restricted_paths`: ``False`` means no path can exist)."""
        entity = self.entities.get(entity_id)
        return entity is not None and (bool(entity.listings) or entity_id in self._by_subject)

    def restricted_paths(
        self, entity_id: str, max_depth: int = 4, *, beyond_listed: bool = True
    ) -> list[RestrictedPath]:
        """Listed entities this one is, or leads to (subsidiary/brand/OEM of, …), nearest first.

        The entity itself comes first (with no relations) when it has listings of its own.
        With ``beyond_listed=False`` the walk stops at the first listed entity of each branch:
        a Hikvision camera is then restricted as Hikvision's, not again as its parent CETC's.
        """
        start = self.get(entity_id)
        found: list[RestrictedPath] = []
        if start.listings:
            found.append(RestrictedPath(start, ()))
            if not beyond_listed:
                return found
        frontier: list[tuple[str, tuple[Relation, ...]]] = [(entity_id, ())]
        seen = {entity_id}
        for _unused in range(max_depth):
            nxt: list[tuple[str, tuple[Relation, ...]]] = []
            for node, path in frontier:
                for rel in self._by_subject.get(node, ()):
                    if rel.kind not in _UPWARD or rel.object in seen:
                        continue
                    seen.add(rel.object)
                    target = self.entities.get(rel.object)
                    if target is None:
                        continue
                    step = (*path, rel)
                    if target.listings:
                        found.append(RestrictedPath(target, step))
                        if not beyond_listed:
                            continue
                    nxt.append((rel.object, step))
            frontier = nxt
        return found

    def search(self, query: str) -> list[Entity]:
        """Entities any of whose names contain ``query`` (case-insensitive), by name."""
        needle = query.casefold().strip()
        hits = [
            e for e in self.entities.values() if any(needle in n.casefold() for n in e.all_names())
        ]
        return sorted(hits, key=lambda e: (not e.listings, e.name.casefold()))

    def list_counts(self) -> dict[str, int]:
        """How many entities each list holds."""
        counts: dict[str, int] = dict.fromkeys(self.lists, 0)
        for entity in self.entities.values():
            for list_id in {lst.list_id for lst in entity.listings}:
                counts[list_id] = counts.get(list_id, 0) + 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "lists": [lst.to_json() for lst in sorted(self.lists.values(), key=lambda x: x.id)],
            "entities": [e.to_json() for e in sorted(self.entities.values(), key=lambda x: x.id)],
            "relations": [
                r.to_json()
                for r in sorted(
                    self.relations, key=lambda r: (r.subject, str(r.kind), r.object, r.source_url)
                )
            ],
        }

    def content_hash(self) -> str:
        """sha256 over the canonical JSON of lists, entities and relations: equal content,
        equal hash (see :func:`content_digest`)."""
        return content_digest(
            (lst.to_json() for lst in sorted(self.lists.values(), key=lambda x: x.id)),
            ((e.id, entity_digest(e)) for e in sorted(self.entities.values(), key=lambda x: x.id)),
            sorted((r.to_json() for r in self.relations), key=relation_sort_key),
        )

    @classmethod
    def from_json(cls, data: dict[str, Any], *, version: str | None = None) -> Registry:
        lists = [list_from_json(x) for x in data.get("lists") or ()]
        by_id = {lst.id: lst for lst in lists}
        return cls(
            lists,
            (entity_from_json(x, by_id) for x in data.get("entities") or ()),
            (relation_from_json(x) for x in data.get("relations") or ()),
            version=version,
        )
