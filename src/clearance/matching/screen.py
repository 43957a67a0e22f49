"""Screen names against the registry: normalise, find candidates, score, explain.

>>> screener = Screener(registry, settings)            # doctest: +SKIP
>>> result = screener.screen("Hangzou Hikvison Digital Tech Co Ltd")   # doctest: +SKIP
>>> result.status, result.hits[0].entity_id                              # doctest: +SKIP
('match', 'hikvision')
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from clearance.matching.features import Alignment, Context, align
from clearance.matching.index import ALGORITHM, NameIndex
from clearance.matching.normalise import NormName, normalise
from clearance.matching.score import FEATURES, score
from clearance.model import Entity, Listing
from clearance.registry.registry import Registry, RestrictedPath
from clearance.settings import Settings

__all__ = ["CLEAR", "MATCH", "REVIEW", "Hit", "Restriction", "Screener", "ScreeningResult"]

MATCH, REVIEW, CLEAR = "match", "review", "clear"
_MAX_BONUS = max((f.weight for f in FEATURES if f.role == "adjust"), default=0.0)
_RANK = {CLEAR: 0, REVIEW: 1, MATCH: 2}
_STATUS_OF_RANK = {rank: status for status, rank in _RANK.items()}

#: A hit that is restricted only through relations less certain than this is a review.
_CERTAIN_RELATION = 0.8


@dataclass(slots=True, frozen=True)
class Restriction:
    """A listed party that a hit leads to, and how (itself, subsidiary, brand, OEM …)."""

    entity_id: str
    entity: str
    relation: str  # manufacturer (the entity itself) | subsidiary | brand | oem | affiliate
    certainty: float
    listings: tuple[Listing, ...]
    statement: str

    def to_json(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "entity": self.entity,
            "relation": self.relation,
            "certainty": round(self.certainty, 3),
            "statement": self.statement,
            "listings": [lst.to_json() for lst in self.listings],
        }


@dataclass(slots=True, frozen=True)
class Hit:
    """One registry entity that the input may be, with the evidence."""

    entity_id: str
    entity: str
    matched_name: str
    score: float
    status: str
    listings: tuple[Listing, ...]
    explanation: tuple[str, ...]
    restricted: tuple[Restriction, ...] = ()

    def reaches(self, entity_id: str) -> bool:
        """Whether this hit is ``entity_id`` or leads to it through a relation."""
        return self.entity_id == entity_id or any(r.entity_id == entity_id for r in self.restricted)

    def to_json(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "entity": self.entity,
            "matched_name": self.matched_name,
            "score": self.score,
            "status": self.status,
            "listings": [lst.to_json() for lst in self.listings],
            "explanation": list(self.explanation),
            "restricted": [r.to_json() for r in self.restricted],
        }


@dataclass(slots=True)
class ScreeningResult:
    """The outcome of screening one name: its status and hits, best first."""

    query: str
    status: str
    hits: list[Hit]
    algorithm: str
    registry_version: str | None
    record: dict[str, Any] | None = None

    @property
    def alerts(self) -> bool:
        return self.status != CLEAR

    def to_json(self) -> dict[str, Any]:
        """The screening-result shape of DESIGN.md."""
        return {
            "query": self.query,
            "status": self.status,
            "hits": [h.to_json() for h in self.hits],
            "algorithm": self.algorithm,
            "registry_version": self.registry_version,
            "record": self.record,
        }


@dataclass(slots=True)
class _Query:
    name: str
    countries: frozenset[str] = frozenset()
    identifiers: frozenset[str] = frozenset()
    record: dict[str, Any] | None = None


def _clean_identifier(value: str) -> str:
    return "".join(c for c in value.upper() if c.isalnum())


@dataclass(slots=True)
class _EntityInfo:
    countries: frozenset[str]
    identifiers: dict[str, str]
    restricted: tuple[Restriction, ...]
    listings: tuple[Listing, ...]
    names: list[str] = field(default_factory=list)


class Screener:
    """Screens names against one registry; build once, call many times.

    Args:
        registry: the registry to screen against.
        settings: thresholds (``match_threshold``, ``review_threshold``) and ``cache_dir``
            for the built index; ``None`` uses :meth:`Settings.from_env`.
        index: a prebuilt index (else loaded from the cache or built).
        index_key: names the registry content for the cache (default: version or hash).
        max_hits: hits kept per result.
    """

    def __init__(
        self,
        registry: Registry,
        settings: Settings | None = None,
        *,
        index: NameIndex | None = None,
        index_key: str | None = None,
        max_hits: int = 5,
        workers: int = 1,
    ) -> None:
        self.registry = registry
        self.settings = settings if settings is not None else Settings.from_env()
        self.match_threshold = self.settings.match_threshold
        self.review_threshold = self.settings.review_threshold
        self.max_hits = max_hits
        self.index = (
            index
            if index is not None
            else NameIndex.for_registry(
                registry, self.settings.cache_dir, key=index_key, workers=workers
            )
        )
        self.registry_version = registry.version
        self._info: dict[int, _EntityInfo] = {}

    # -- entity facts, computed on first use ---------------------------------------------

    def _entity(self, e_index: int) -> tuple[Entity, _EntityInfo]:
        entity = self.registry.entities[self.index.entity_ids[e_index]]
        info = self._info.get(e_index)
        if info is None:
            paths = self.registry.restricted_paths(entity.id) if self.registry.relations else []
            if not paths and entity.listings:
                paths = [RestrictedPath(entity, ())]
            restricted = tuple(self._restriction(entity, p) for p in paths)
            listings = tuple(entity.listings) or (restricted[0].listings if restricted else ())
            info = _EntityInfo(
                countries=frozenset(c.lower() for c in entity.countries),
                identifiers={_clean_identifier(i.value): i.scheme for i in entity.identifiers},
                restricted=restricted,
                listings=listings,
                names=entity.all_names(),
            )
            self._info[e_index] = info
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

    def _text(self, e_index: int, slot: int) -> str:
        entity = self.registry.entities[self.index.entity_ids[e_index]]
        return entity.name if slot == 0 else entity.all_names()[slot]

    # -- screening -----------------------------------------------------------------------

    def _status(self, value: float) -> str:
        if value >= self.match_threshold:
            return MATCH
        if value >= self.review_threshold:
            return REVIEW
        return CLEAR

    def _screen(self, q: _Query) -> ScreeningResult:
        norm = normalise(q.name)
        index = self.index
        q_weights = [index.weight_of(t, k) for t, k in zip(norm.tokens, norm.kinds, strict=True)]
        best: dict[int, tuple[float, int, Any]] = {}
        floor = self.review_threshold - _MAX_BONUS
        aligned: dict[tuple[tuple[str, ...], tuple[str, ...]], Alignment] = {}
        for name_id in index.candidates(norm):
            e_index = int(index.name_entity[name_id])
            slot = int(index.name_slot[name_id])
            text = self._text(e_index, slot)
            if bool(index.name_han[name_id]):
                cand = normalise(text)
                c_weights = [
                    index.weight_of(t, k) for t, k in zip(cand.tokens, cand.kinds, strict=True)
                ]
            else:
                tokens, kinds, c_weights = index.name_words(name_id)
                cand = NormName(text="", tokens=tokens, kinds=kinds, surfaces=tokens)
            # Names spelt alike (after normalisation) compare alike: align each once.
            memo_key = (cand.tokens, cand.surfaces)
            alignment = aligned.get(memo_key)
            if alignment is None:
                alignment = aligned[memo_key] = align(norm, cand, q_weights, c_weights)
            if alignment.score < floor and not q.identifiers:
                continue  # no feature can lift it to review
            ctx = Context(query=norm, name=cand, matched_name=text, alignment=alignment)
            if q.countries or q.identifiers:
                info = self._entity(e_index)[1]
                ctx.query_countries, ctx.entity_countries = q.countries, info.countries
                ctx.query_identifiers = q.identifiers
                ctx.entity_identifiers = info.identifiers
            scored = score(ctx)
            old = best.get(e_index)
            if old is None or scored.score > old[0]:
                best[e_index] = (scored.score, name_id, (text, scored))
        ranked: list[tuple[float, int, str, int]] = []
        for e_index, (value, _name_id, _found) in best.items():
            if value < self.review_threshold:
                continue
            entity, info = self._entity(e_index)
            status = self._status(value)
            if status == MATCH and (
                not info.restricted or max(r.certainty for r in info.restricted) < _CERTAIN_RELATION
            ):
                # a related party that leads to no listed one, or only through a reported
                # relation (an OEM label for some models): a person must look
                status = REVIEW
            ranked.append((-value, -_RANK[status], entity.id, e_index))
        ranked.sort()
        hits = [
            self._hit(e_index, best[e_index], _STATUS_OF_RANK[-rank])
            for _value, rank, _id, e_index in ranked[: self.max_hits]
        ]
        status = max((h.status for h in hits), key=lambda s: _RANK[s], default=CLEAR)
        return ScreeningResult(
            query=q.name,
            status=status,
            hits=hits,
            algorithm=ALGORITHM,
            registry_version=self.registry_version,
            record=q.record,
        )

    def _hit(self, e_index: int, found: tuple[float, int, Any], status: str) -> Hit:
        """A hit with its explanation (written only for the hits a result keeps)."""
        value, _name_id, (text, scored) = found
        entity, info = self._entity(e_index)
        explanation = scored.explanation()
        for restriction in info.restricted:
            explanation.append(restriction.statement)
        if not info.restricted:
            explanation.append(f"{entity.name} leads to no listed party")
        return Hit(
            entity_id=entity.id,
            entity=entity.name,
            matched_name=text,
            score=value,
            status=status,
            listings=info.listings,
            explanation=tuple(explanation),
            restricted=info.restricted,
        )

    def screen(
        self,
        name: str,
        *,
        countries: Iterable[str] = (),
        identifiers: Iterable[str] = (),
        record: dict[str, Any] | None = None,
    ) -> ScreeningResult:
        """Screen one name; ``countries`` (ISO codes) and ``identifiers`` refine the score."""
        return self._screen(
            _Query(
                name=name,
                countries=frozenset(c.strip().lower() for c in countries if c.strip()),
                identifiers=frozenset(
                    _clean_identifier(i) for i in identifiers if _clean_identifier(i)
                ),
                record=record,
            )
        )

    def screen_many(
        self, names: Iterable[str | dict[str, Any]], *, workers: int = 1
    ) -> Iterator[ScreeningResult]:
        """Screen many names, in input order.

        Items are names, or dicts with ``name`` and optional ``countries``, ``identifiers``
        and ``record``. ``workers`` > 1 screens in that many forked processes.
        """
        queries = (_as_query(item) for item in names)
        if workers <= 1:
            for q in queries:
                yield self._screen(q)
            return
        yield from _parallel(self, list(queries), workers)

    def best_entity(self, name: str) -> Hit | None:
        """The best hit for ``name`` at or above the review threshold, or ``None``.

        For callers resolving a make or brand string (e.g. 海康威视 on a device label).
        """
        result = self.screen(name)
        return result.hits[0] if result.hits else None


def _as_query(item: str | dict[str, Any]) -> _Query:
    if isinstance(item, str):
        return _Query(name=item)
    countries = item.get("countries") or ()
    identifiers = item.get("identifiers") or ()
    if isinstance(countries, str):
        countries = [countries]
    if isinstance(identifiers, str):
        identifiers = [identifiers]
    return _Query(
        name=str(item.get("name") or ""),
        countries=frozenset(str(c).strip().lower() for c in countries if str(c).strip()),
        identifiers=frozenset(
            _clean_identifier(str(i)) for i in identifiers if _clean_identifier(str(i))
        ),
        record=item.get("record"),
    )


_WORKER: Screener | None = None


def _work(chunk: Sequence[_Query]) -> list[ScreeningResult]:
    assert _WORKER is not None
    return [_WORKER._screen(q) for q in chunk]


def _parallel(screener: Screener, queries: list[_Query], workers: int) -> Iterator[ScreeningResult]:
    import multiprocessing

    global _WORKER
    _WORKER = screener
    size = max(50, min(2000, len(queries) // (workers * 8) or 1))
    chunks = [queries[i : i + size] for i in range(0, len(queries), size)]
    ctx = multiprocessing.get_context("fork")
    # Objects alive now are never collected in the workers: keeps their pages shared.
    gc.freeze()
    try:
        with ctx.Pool(min(workers, os.cpu_count() or 1)) as pool:
            for part in pool.imap(_work, chunks):
                yield from part
    finally:
        _WORKER = None
        gc.unfreeze()
