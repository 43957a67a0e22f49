"""Hit assembly: what a registry entity found by scoring leads to, and the result it makes.

An entity may be listed itself or lead to a listed party through relations (a brand, a
subsidiary, an OEM label); :class:`HitAssembler` works that out once per entity, and only
for entities that may lead to one (most of a large registry leads to none, and is read from
the index without touching the registry's objects).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from clearance.matching.index import ALGORITHM, NameIndex
from clearance.matching.memo import remember
from clearance.matching.normalise import MAX_NAME_CHARS
from clearance.matching.oem_labels import OemLabels
from clearance.matching.results import (
    CLEAR,
    REVIEW,
    STATUS_RANK,
    FoundHit,
    Hit,
    Query,
    Restriction,
    ScreeningResult,
)
from clearance.model import Entity, EntityKind, Listing
from clearance.registry.registry import Registry, RestrictedPath

__all__ = ["CERTAIN_RELATION", "HitAssembler"]

#: A hit that is restricted only through relations less certain than this is a review.
CERTAIN_RELATION = 0.8
_ENTITIES_REMEMBERED = 200_000  # entities kept with their listings and restrictions


@dataclass(slots=True)
class _EntityInfo:
    """The listed parties an entity leads to, and the listings a hit on it shows."""

    restricted: tuple[Restriction, ...]
    listings: tuple[Listing, ...]


_UNLISTED = _EntityInfo(restricted=(), listings=())


class HitAssembler:
    """Turns hits as found into hits and results that name the listed parties they lead to.

    Args:
        registry: the registry the index was built from.
        index: the index whose entity positions the hits carry.
    """

    def __init__(self, registry: Registry, index: NameIndex) -> None:
        self.registry = registry
        self.index = index
        self.registry_version = registry.version
        self._info: dict[int, _EntityInfo] = {}
        self._may_restrict: npt.NDArray[np.bool_] | None = None
        self._key_may_restrict: npt.NDArray[np.bool_] | None = None
        self._key_is_person: npt.NDArray[np.bool_] | None = None
        self._restrictable_view: memoryview | None = None
        self._oem_labels: OemLabels | None = None

    # -- which entities may lead to a listed party ----------------------------------------

    def restrictable(self) -> npt.NDArray[np.bool_]:
        """Per entity of the index: whether it may lead to a listed party (computed once)."""
        if self._may_restrict is None:
            registry = self.registry
            self._may_restrict = np.fromiter(
                (registry.may_be_restricted(eid) for eid in self.index.entity_ids),
                dtype=np.bool_,
                count=len(self.index.entity_ids),
            )
        return self._may_restrict

    def may_lead_to_listed(self, e_index: int) -> bool:
        """Whether one entity may lead to a listed party (read without a numpy scalar)."""
        if self._restrictable_view is None:
            self._restrictable_view = self.restrictable().data
        return bool(self._restrictable_view[e_index])

    def listed_keys(self) -> npt.NDArray[np.bool_]:
        """Per key of the index: whether one of its names is of an entity that may lead to a
        listed party (computed once)."""
        if self._key_may_restrict is None:
            index = self.index
            flags = np.zeros(index.n_keys, dtype=np.bool_)
            flags[index.name_key[self.restrictable()[index.name_entity]]] = True
            self._key_may_restrict = flags
        return self._key_may_restrict

    def person_keys(self) -> npt.NDArray[np.bool_]:
        """Per key of the index: whether one of its names is a person's (computed once).

        Such names are compared as people's names (:mod:`clearance.matching.persons`).
        """
        if self._key_is_person is None:
            index, entities = self.index, self.registry.entities
            persons = np.fromiter(
                (entities[eid].kind is EntityKind.PERSON for eid in index.entity_ids),
                dtype=np.bool_,
                count=len(index.entity_ids),
            )
            flags = np.zeros(index.n_keys, dtype=np.bool_)
            flags[index.name_key[persons[index.name_entity]]] = True
            self._key_is_person = flags
        return self._key_is_person

    def certainly_restricted(self, e_index: int) -> bool:
        """Whether the entity leads to a listed party through relations certain enough."""
        if not self.may_lead_to_listed(e_index):
            return False
        info = self._entity(e_index)[1]
        return bool(info.restricted) and max(r.certainty for r in info.restricted) >= (
            CERTAIN_RELATION
        )

    # -- entity facts, computed on first use ---------------------------------------------

    def entity(self, e_index: int) -> Entity:
        """The registry entity at a position of the index."""
        return self.registry.entities[self.index.entity_ids[e_index]]

    def _entity(self, e_index: int) -> tuple[Entity, _EntityInfo]:
        entity = self.entity(e_index)
        if not self.may_lead_to_listed(e_index):
            return entity, _UNLISTED  # leads to no listed party: nothing to work out
        info = self._info.get(e_index)
        if info is None:
            paths = self.registry.restricted_paths(entity.id) if self.registry.relations else []
            if not paths and entity.listings:
                paths = [RestrictedPath(entity, ())]
            restricted = tuple(self._restriction(entity, p) for p in paths)
            listings = tuple(entity.listings) or (restricted[0].listings if restricted else ())
            info = _EntityInfo(restricted=restricted, listings=listings)
            remember(self._info, e_index, info, _ENTITIES_REMEMBERED)
        return entity, info

    def _restriction(self, entity: Entity, path: RestrictedPath) -> Restriction:
        lists = ", ".join(sorted({lst.list_id for lst in path.entity.listings}))
        if not path.relations:
            statement = f"{entity.name} is listed ({lists})"
        else:
            steps = []
            for rel in path.relations:
                subject = self.registry.entities.get(rel.subject)
                obj = self.registry.entities.get(rel.object)
                kind = "an OEM label" if str(rel.kind) == "oem_of" else f"a {rel.kind}"
                steps.append(
                    f"{subject.name if subject else rel.subject} is {kind} of "
                    f"{obj.name if obj else rel.object}"
                )
            statement = (
                "; ".join(steps) + f", which is listed ({lists}); relation certainty "
                f"{path.certainty:.2f}"
            )
        return Restriction(
            entity_id=path.entity.id,
            entity=path.entity.name,
            relation=path.relation,
            certainty=path.certainty,
            listings=tuple(path.entity.listings),
            statement=statement,
        )

    # -- OEM labels named as written -----------------------------------------------------

    def label_hits(self, name: str, hits: list[Hit]) -> list[Hit]:
        """Review hits for the known OEM labels of listed parties that ``name`` is as
        written (:mod:`clearance.matching.oem_labels`) and that scoring did not find."""
        if self._oem_labels is None:
            self._oem_labels = OemLabels(self.registry)
        if not self._oem_labels:
            return []
        found = {h.entity_id for h in hits}
        extra = []
        for entity_id, label in self._oem_labels.find(name):
            if entity_id in found:
                continue
            entity = self.registry.entities[entity_id]
            restricted = tuple(
                self._restriction(entity, p) for p in self.registry.restricted_paths(entity_id)
            )
            why = (
                f"the name is, as written, {label!r}, a known OEM label: a review, as an OEM "
                "relation holds for some models only",
            )
            extra.append(
                Hit(
                    entity_id=entity_id,
                    entity=entity.name,
                    matched_name=label,
                    score=1.0,
                    status=REVIEW,
                    listings=tuple(entity.listings) or restricted[0].listings,
                    explanation=(*why, *(r.statement for r in restricted)),
                    restricted=restricted,
                )
            )
        return extra

    # -- hits and results ----------------------------------------------------------------

    def hit(self, found: FoundHit, notes: tuple[str, ...] = ()) -> Hit:
        """A hit: what matched and why (after the result's ``notes``), and the listed parties
        the entity leads to."""
        e_index = found.entity
        if self.may_lead_to_listed(e_index):
            entity, info = self._entity(e_index)
            entity_id, entity_name = entity.id, entity.name
        else:  # read from the index: the registry's objects stay untouched (and unshared)
            index = self.index
            entity_id, entity_name, info = (
                index.entity_id(e_index),
                index.entity_name(e_index),
                _UNLISTED,
            )
        explanation = [*notes, *found.why, *(r.statement for r in info.restricted)]
        if not info.restricted:
            explanation.append(f"{entity_name} leads to no listed party")
        return Hit(
            entity_id=entity_id,
            entity=entity_name,
            matched_name=found.matched_name,
            score=found.score,
            status=found.status,
            listings=info.listings,
            explanation=tuple(explanation),
            restricted=info.restricted,
        )

    def result(self, query: Query, found: list[FoundHit]) -> ScreeningResult:
        """The result of one query from its hits as found (here or in a worker process).

        A name longer than :data:`~clearance.matching.normalise.MAX_NAME_CHARS` was screened
        on its first characters only: its result says so in its notes (and its hits first in
        their explanations) and is at least a review, so that the rest is looked at by a
        person rather than passed as clear.
        """
        notes: tuple[str, ...] = ()
        if len(query.name) > MAX_NAME_CHARS:
            notes = (
                f"name cut to its first {MAX_NAME_CHARS:,} of {len(query.name):,} characters: "
                "the rest was not screened",
            )
        hits = [self.hit(f, notes) for f in found]
        hits += self.label_hits(query.name, hits)
        status = REVIEW if notes else CLEAR
        for hit in hits:
            if STATUS_RANK[hit.status] > STATUS_RANK[status]:
                status = hit.status
        return ScreeningResult(
            query=query.name,
            status=status,
            hits=hits,
            algorithm=ALGORITHM,
            registry_version=self.registry_version,
            record=query.record,
            notes=notes,
        )
