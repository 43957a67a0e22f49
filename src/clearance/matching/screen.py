"""Screen names against the registry: normalise, find candidates, score and choose the hits.

>>> screener = Screener(registry, settings)            # doctest: +SKIP
>>> result = screener.screen("Hangzou Hikvison Digital Tech Co Ltd")   # doctest: +SKIP
>>> result.status, result.hits[0].entity_id                              # doctest: +SKIP
('match', 'hikvision')

Hits are assembled (the listed parties they lead to) by :mod:`clearance.matching.hits`;
batches run in worker processes through :mod:`clearance.matching.batch`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from clearance.matching.acronyms import Acronyms, query_acronym
from clearance.matching.alignment import Alignment, align
from clearance.matching.batch import REPEATS, screen_in_workers
from clearance.matching.cantonese import hk_syllables, load_table, reads_as_hk
from clearance.matching.features import Context
from clearance.matching.hits import HitAssembler
from clearance.matching.index import NameIndex
from clearance.matching.memo import remember
from clearance.matching.normalise import MAX_NAME_CHARS, NormName, normalise
from clearance.matching.postings import FloatArray, I32Array
from clearance.matching.results import (
    CLEAR,
    MATCH,
    REVIEW,
    FoundHit,
    Hit,
    Query,
    QueryKey,
    Restriction,
    ScreeningResult,
    clean_identifier,
    query_of,
    repeated_result,
)
from clearance.matching.romanised import (
    han_without_legal,
    latin_reading,
    load_tables,
    reads_as,
    syllables,
)
from clearance.matching.score import FEATURES, Scored, score
from clearance.matching.spelt import SpeltNames, listed_han_names
from clearance.registry.registry import Registry
from clearance.settings import Settings

__all__ = ["CLEAR", "MATCH", "REVIEW", "Hit", "Restriction", "Screener", "ScreeningResult"]

_MAX_BONUS = max((f.weight for f in FEATURES if f.role == "adjust"), default=0.0)
_CHUNK = 32  # names of a key read at a time when looking for its first entities
_KEYS_REMEMBERED = 200_000  # registry names kept in their compared form

#: (entity, name id, key): a name of a key and its entity, as read in registry order. A plain
#: tuple: thousands are made and sorted for a popular name ("Smith LLC").
EntityName = tuple[int, int, int]


@dataclass(slots=True)  # not frozen: see alignment.Pair
class KeyName:
    """A key's name as compared: its normalised words and their weights."""

    name: NormName
    weights: list[float]


class ScoreGroup(NamedTuple):
    """Names of one key that score alike (above the review threshold)."""

    score: float
    key: int
    names: I32Array


class ChosenHit(NamedTuple):
    """A name chosen as a hit, and its status."""

    name_id: int
    key: int
    status: str


class Screener:
    """Screens names against one registry; build once, call many times.

    Args:
        registry: the registry to screen against.
        settings: thresholds (``match_threshold``, ``review_threshold``) and ``cache_dir``
            for the built index; ``None`` uses :meth:`Settings.from_env`.
        index: a prebuilt index (else loaded from the cache or built).
        index_key: names the registry content for the cache (default: version or hash).
        max_hits: hits kept per result.
        max_candidates: distinct registry names compared in full per query (the index's
            best-ranked).
        posting_budget: registry names gathered per query beyond those of its rarest word
            (names that share only very common words with the input rank last).
    """

    def __init__(
        self,
        registry: Registry,
        settings: Settings | None = None,
        *,
        index: NameIndex | None = None,
        index_key: str | None = None,
        max_hits: int = 5,
        max_candidates: int = 8,
        posting_budget: int = 20_000,
        workers: int = 1,
    ) -> None:
        self.registry = registry
        self.settings = settings if settings is not None else Settings.from_env()
        self.match_threshold = self.settings.match_threshold
        self.review_threshold = self.settings.review_threshold
        self.max_hits = max_hits
        self.max_candidates = max_candidates
        self.posting_budget = posting_budget
        self.index = (
            index
            if index is not None
            else NameIndex.for_registry(
                registry, self.settings.cache_dir, key=index_key, workers=workers
            )
        )
        self.registry_version = registry.version
        self.assembler = HitAssembler(registry, self.index)
        self._keys: dict[int, KeyName] = {}
        self._person_keys: memoryview | None = None
        self._acronyms: Acronyms | None = None
        self._spelt: tuple[SpeltNames, SpeltNames] | None = None

    # -- screening -----------------------------------------------------------------------

    def _key_name(self, key: int) -> KeyName:
        """A key's normalised name and word weights (remembered: popular names recur)."""
        known = self._keys.get(key)
        if known is None:
            known = remember(self._keys, key, self._read_key(key), _KEYS_REMEMBERED)
        return known

    def _read_key(self, key: int) -> KeyName:
        """A key's normalised name and word weights (Han names read again for their surfaces)."""
        index = self.index
        if index.key_is_han(key):
            cand = normalise(index.text_of(int(index.key_names_of(key)[0])))
            weights = [index.weight_of(t, k) for t, k in zip(cand.tokens, cand.kinds, strict=True)]
            return KeyName(cand, weights)
        tokens, kinds, weights = index.key_words(key)
        return KeyName(NormName(text="", tokens=tokens, kinds=kinds, surfaces=tokens), weights)

    def _person_key_flags(self) -> memoryview:
        """Per key: whether a name of it is a person's (read one at a time, without numpy)."""
        flags = self._person_keys
        if flags is None:
            flags = self._person_keys = self.assembler.person_keys().data
        return flags

    def _person_name(self, key: int) -> str:
        """A person's name of ``key`` as written, or "" when no name of the key is a person's."""
        if not self._person_key_flags()[key]:
            return ""
        return self.index.text_of(int(self.index.key_names_of(key)[0]))

    def _screen(self, q: Query) -> ScreeningResult:
        return self.assembler.result(q, self._scored_hits(q))

    def _scored_hits(self, q: Query) -> list[FoundHit]:
        """The best hits of one query, as plain values (cheap to send between processes)."""
        norm = normalise(q.name)
        index = self.index
        q_weights = [index.weight_of(t, k) for t, k in zip(norm.tokens, norm.kinds, strict=True)]
        floor = self.review_threshold - _MAX_BONUS
        per_entity = bool(q.countries or q.identifiers)  # features that depend on the entity
        passing: list[tuple[int, float]] = []  # (key, score): keys scored alike for every name
        per_name: list[tuple[int, FloatArray]] = []  # (key, score per name) when not alike
        aligned: dict[int, tuple[NormName, Alignment]] = {}  # key -> (its name, alignment)
        scored: dict[int, tuple[Context, Scored]] = {}  # key -> how it scored for every name
        keys = index.candidates(norm, self.max_candidates, self.posting_budget)
        reading = _reading(q.name)  # a name in pinyin: the Han names it spells, however cut
        cantonese = _cantonese(q.name)  # in Hong Kong's romanisation: Hong Kong's Han names
        if reading or cantonese:
            keys = list(dict.fromkeys(keys + self._spelt_keys(reading, cantonese)))
        for key in keys:
            known = self._key_name(key)
            cand = known.name
            alignment = align(norm, cand, q_weights, known.weights)
            person = self._person_name(key)
            if alignment.name_within and not self.assembler.listed_keys()[key]:
                alignment.name_within = False  # beside other words, only listed names alert
            if (
                alignment.score < floor
                and not q.identifiers
                and not alignment.name_within
                and not person
                and not ((reading or cantonese) and cand.has_han)
            ):
                continue  # no feature can lift it to review
            aligned[key] = (cand, alignment)
            if per_entity:
                entities = index.name_entity[index.key_names_of(key)].tolist()
                scores = [
                    score(self._context(q, norm, cand, alignment, e, "", person)).score
                    for e in entities
                ]
                per_name.append((key, np.array(scores)))
                continue
            ctx = Context(
                query=norm,
                name=cand,
                matched_name="",
                alignment=alignment,
                person_name=person,
                query_reading=reading,
                query_cantonese=cantonese,
            )
            result = score(ctx)
            if result.score >= self.review_threshold:
                passing.append((key, result.score))
                scored[key] = (ctx, result)
        groups = [ScoreGroup(value, key, index.key_names_of(key)) for key, value in passing]
        for key, key_scores in per_name:
            names = index.key_names_of(key)
            for value in set(key_scores[key_scores >= self.review_threshold].tolist()):
                groups.append(ScoreGroup(value, key, names[key_scores == value]))
        hits: list[FoundHit] = []
        explained: dict[tuple[int, str], tuple[float, tuple[str, ...]]] = {}
        for name_id, key, status in self._choose_hits(groups):
            e_index = index.entity_of(name_id)
            text = index.text_of(name_id)
            # Entities of the same name are explained alike (unless countries or ids differ).
            why = None if per_entity else explained.get((key, text))
            if why is None:
                if per_entity:
                    cand, alignment = aligned[key]
                    person = self._person_name(key)
                    result = score(self._context(q, norm, cand, alignment, e_index, text, person))
                else:  # scored already: only the words of the explanation name the text
                    ctx, result = scored[key]
                    ctx.matched_name = text
                why = explained[key, text] = (result.score, tuple(result.explanation()))
            hits.append(FoundHit(e_index, text, why[0], status, why[1]))
        if len(hits) < self.max_hits:
            hits += self._acronym_hits(norm, {h.entity for h in hits})
        return hits

    def _acronym_hits(self, norm: NormName, found: set[int]) -> list[FoundHit]:
        """Reviews for the listed names the input is an acronym of (see
        :mod:`clearance.matching.acronyms`)."""
        acronym = query_acronym(norm)
        if acronym is None:
            return []
        hits: list[FoundHit] = []
        for e_index, name_id in self._acronym_table().find(acronym):
            if e_index in found or len(found) + len(hits) >= self.max_hits:
                continue
            found.add(e_index)
            text = self.index.text_of(name_id)
            why = (f"{acronym.upper()} is an acronym of {text!r}",)
            hits.append(FoundHit(e_index, text, self.review_threshold, REVIEW, why))
        return hits

    def _spelt_keys(self, reading: str, cantonese: tuple[str, ...]) -> list[int]:
        """Keys of the Han names a name in pinyin (``reading``: its letters) or in Hong
        Kong's romanisation (``cantonese``: its syllables) spells whole."""
        keys: list[int] = []
        if reading:
            keys += self.index.reading_candidates(reading)
            split = syllables(reading)  # any reading of a character: 长城 is Changcheng
            if split is not None:
                found = self._spelt_names()[0].find(
                    split, lambda han: reads_as(reading, han_without_legal(han))
                )
                keys += found
        if cantonese:
            keys += self._spelt_names()[1].find(
                cantonese,
                lambda han: (
                    reads_as_hk(cantonese, han) or reads_as_hk(cantonese, han_without_legal(han))
                ),
            )
        return keys

    def _spelt_names(self) -> tuple[SpeltNames, SpeltNames]:
        """The Han names of entities that may lead to a listed party by their pinyin, and
        those of Hong Kong entities by their Hong Kong romanisation (built once, on the first
        name written so: see :func:`~clearance.matching.spelt.listed_han_names`)."""
        if self._spelt is None:
            self._spelt = listed_han_names(
                self.index, self.registry.entities, self.assembler.restrictable()
            )
        return self._spelt

    def _acronym_table(self) -> Acronyms:
        """The acronyms of the names that may lead to a listed party (built once)."""
        if self._acronyms is None:
            self._acronyms = Acronyms(self.index, self.assembler.restrictable())
        return self._acronyms

    def _choose_hits(self, groups: list[ScoreGroup]) -> list[ChosenHit]:
        """The best hits, at most ``max_hits``.

        ``groups`` are names above the review threshold. One hit per entity (its best name);
        ordered by score, then matches before reviews, then registry order. Only the groups
        of the best scores are looked at.
        """
        groups.sort(key=lambda g: -g.score)
        chosen: list[ChosenHit] = []
        taken: set[int] = set()
        start = 0
        while start < len(groups) and len(chosen) < self.max_hits:
            value = groups[start].score
            end = start + 1
            while end < len(groups) and groups[end].score == value:
                end += 1
            firsts, listed = self._first_names(groups[start:end])
            start = end
            matches: list[EntityName] = []
            if value >= self.match_threshold:
                # a related party that leads to no listed one, or only through a reported
                # relation (an OEM label for some models), is a review: a person must look
                matches = [r for r in listed if self.assembler.certainly_restricted(r[0])]
            for status, rows in ((MATCH, matches), (REVIEW, firsts)):
                for e_index, name_id, key in rows:
                    if len(chosen) >= self.max_hits:
                        break
                    if e_index in taken:  # a better name, or already a match
                        continue
                    taken.add(e_index)
                    chosen.append(ChosenHit(name_id, key, status))
        return chosen

    def _first_names(self, tie: list[ScoreGroup]) -> tuple[list[EntityName], list[EntityName]]:
        """Each entity's first name in groups of one score, in registry order: the first
        ``2 x max_hits`` of them, and those of entities that may be restricted.

        A key's names are in registry order, so only the start of each is read (popular names
        such as "Smith LLC" are held by thousands of entities).
        """
        want = 2 * self.max_hits
        name_entity = self.index.name_entity
        listed_keys = self.assembler.listed_keys()
        rows: list[EntityName] = []
        listed: list[EntityName] = []
        entity_of = self.index.entity_of
        for _, key, names in tie:
            seen, last = 0, -1  # entities of this key read, the last of them
            for at in range(0, len(names), _CHUNK):
                part = names[at : at + _CHUNK]
                ids: list[int] = part.tolist()
                # a few names one by one; more at once (numpy's indexing costs ~1 us a call)
                entities: list[int] = (
                    [entity_of(i) for i in ids] if len(ids) <= 8 else name_entity[part].tolist()
                )
                for name_id, e_index in zip(ids, entities, strict=True):
                    seen, last = seen + (e_index != last), e_index
                    rows.append((e_index, name_id, key))
                if seen >= want:
                    break
            if listed_keys[key]:
                mine = names[self.assembler.restrictable()[name_entity[names]]]
                ids = mine.tolist()
                listed += zip(name_entity[mine].tolist(), ids, [key] * len(ids), strict=True)
        return _first_per_entity(rows)[:want], _first_per_entity(listed)

    def _context(
        self,
        q: Query,
        norm: NormName,
        cand: NormName,
        alignment: Alignment,
        e_index: int,
        text: str,
        person: str = "",
    ) -> Context:
        ctx = Context(
            query=norm,
            name=cand,
            matched_name=text,
            alignment=alignment,
            person_name=person,
            query_reading=_reading(q.name),
            query_cantonese=_cantonese(q.name),
        )
        if q.countries or q.identifiers:
            entity = self.assembler.entity(e_index)
            ctx.query_countries = q.countries
            ctx.entity_countries = frozenset(c.lower() for c in entity.countries)
            ctx.query_identifiers = q.identifiers
            ctx.entity_identifiers = {
                clean_identifier(i.value): i.scheme for i in entity.identifiers
            }
        return ctx

    def screen(
        self,
        name: str,
        *,
        countries: Iterable[str] = (),
        identifiers: Iterable[str] = (),
        record: dict[str, Any] | None = None,
    ) -> ScreeningResult:
        """Screen one name; ``countries`` (ISO codes) and ``identifiers`` refine the score.

        A name longer than :data:`~clearance.matching.normalise.MAX_NAME_CHARS` is screened on
        its first characters: its result says so in its notes and is at least a review.
        """
        return self._screen(
            Query(
                name=name,
                countries=frozenset(c.strip().lower() for c in countries if c.strip()),
                identifiers=frozenset(
                    clean_identifier(i) for i in identifiers if clean_identifier(i)
                ),
                record=record,
            )
        )

    def screen_many(
        self, names: Iterable[str | dict[str, Any]], *, workers: int = 1
    ) -> Iterator[ScreeningResult]:
        """Screen many names, in input order.

        Items are names, or dicts with ``name`` and optional ``countries``, ``identifiers``
        and ``record``. ``workers`` > 1 screens in that many forked processes. A name that
        comes again (with the same countries and identifiers) is screened once.
        """
        queries = (query_of(item) for item in names)
        if workers <= 1:
            done: dict[QueryKey, ScreeningResult] = {}
            for q in queries:
                result = done.get(q.key)
                yield (
                    remember(done, q.key, self._screen(q), REPEATS)
                    if result is None
                    else repeated_result(result, q)
                )
            return
        self.prepare()
        yield from screen_in_workers(self._scored_hits, self.assembler.result, queries, workers)

    def prepare(self) -> None:
        """Work out now what screening otherwise works out on first use: which index keys may
        lead to a listed party, which are persons' names, the acronym table, the word lists
        and pinyin syllables. Called before forking workers, so that they share all of it
        instead of each working it out again (and keeping its own copy)."""
        self.assembler.listed_keys()
        self._person_key_flags()
        self._acronym_table()
        load_tables()  # the word lists and pinyin syllables, read once and shared
        load_table()  # and the Hong Kong romanisations

    def best_entity(self, name: str) -> Hit | None:
        """The best hit for ``name`` at or above the review threshold, or ``None``.

        For callers resolving a make or brand string (e.g. 海康威视 on a device label).
        """
        result = self.screen(name)
        return result.hits[0] if result.hits else None


@lru_cache(maxsize=4096)
def _reading(name: str) -> str:
    """The pinyin letters a name in pinyin spells (:func:`latin_reading`), else ""."""
    return latin_reading(name[:MAX_NAME_CHARS]) or ""


@lru_cache(maxsize=4096)
def _cantonese(name: str) -> tuple[str, ...]:
    """The syllables of a name in Hong Kong's romanisation (:func:`hk_syllables`), else ()."""
    return hk_syllables(name[:MAX_NAME_CHARS]) or ()


def _first_per_entity(rows: list[EntityName]) -> list[EntityName]:
    """Rows sorted, each entity's first only."""
    rows.sort()
    return [r for i, r in enumerate(rows) if i == 0 or r[0] != rows[i - 1][0]]
