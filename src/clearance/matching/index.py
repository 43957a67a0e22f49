"""Candidate generation: an in-process index of every registry name.

Names are normalised once (:mod:`clearance.matching.normalise`); names that normalise alike
("Smith LLC", "SMITH, L.L.C.") share one *key*, compared once per query. Keys are stored
as token ids in compact numpy arrays: per key its tokens (CSR) and the names that carry it,
per token the keys that hold it (postings). Fuzzy lookups go through a table of 32-bit
keys: every single-character deletion of each distinctive token (so one typo, insertion,
deletion or transposition still meets) and its sound-alike skeleton (vowels dropped,
phonetic spellings unified).

Only distinctive words produce candidates: places, generic business words and legal forms
never do, and a word held by very many names only counts together with a rarer one. The
built index is cached on disk (numpy ``.npz``, no pickle) keyed by the engine's version
(:mod:`clearance.matching.version`) and the registry's.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from clearance.matching.alignment import FIELD_WIDTHS, MIN_INITIALS, initial_runs
from clearance.matching.index_build import build_arrays, token_keys
from clearance.matching.likeness import token_similarity
from clearance.matching.memo import remember
from clearance.matching.native import postings_kernel
from clearance.matching.normalise import NormName
from clearance.matching.postings import (
    I32Array,
    IntArray,
    inverse_sqrt,
    merge_postings,
)
from clearance.matching.romanised import MIN_READING
from clearance.matching.version import ALGORITHM
from clearance.matching.words import DISTINCT, KIND_WEIGHTS, LEGAL, word_lists
from clearance.registry.registry import Registry

__all__ = ["ALGORITHM", "CandidateToken", "NameIndex", "idf_factor"]


_KIND_CODES = "DGPLI"
_WORD_CACHE_SIZE = 100_000  # query words whose registry candidates are remembered
_POSTING_BUDGET = 20_000  # name ids gathered per query at most (beyond the rarest word)
_FORMAT = 5


def idf_factor(df: int) -> float:
    """How much a distinctive word counts given how many names hold it (1.0 when rare).

    Up to 50 names: 1.0; 500: 0.5; 5,000: 0.33 — common surnames and trade words fade.
    """
    return 1.0 / (1.0 + math.log10(max(1.0, df / 50.0)))


def _without_legal(tokens: tuple[str, ...], kinds: str) -> str:
    """The words of a name but its legal forms, joined."""
    return " ".join(t for t, k in zip(tokens, kinds, strict=True) if k != LEGAL)


@dataclass(slots=True)  # not frozen: see alignment.Pair
class CandidateToken:
    """A registry word that a query word may stand for, and how closely."""

    token_id: int
    query_pos: int
    sim: float
    #: Offered only as single letters joined ("Z T E", "S L"), not as a word of the query.
    letters: bool = False


class NameIndex:
    """Token postings over all names of a registry; see the module docstring."""

    def __init__(
        self,
        *,
        vocab: list[str],
        token_kinds: str,
        key_ptr: IntArray,
        key_toks: I32Array,
        key_han: npt.NDArray[np.bool_],
        name_key: I32Array,
        name_entity: I32Array,
        post_ptr: IntArray,
        post_ids: I32Array,
        fuzzy_keys_arr: npt.NDArray[np.uint32],
        post_by_id: I32Array | None = None,
        fuzzy_toks: I32Array,
        entity_ids: list[str],
        text_blob: bytes,
        text_ptr: IntArray,
        name_text: I32Array,
    ) -> None:
        self.vocab = vocab
        self.token_ids = {tok: i for i, tok in enumerate(vocab)}
        self._sorted_vocab: list[str] | None = None
        #: The C postings merge when built (``make compile``); otherwise numpy merges.
        self._merge = postings_kernel()
        self.token_kinds = token_kinds
        self.key_ptr = key_ptr
        self.key_toks = key_toks
        self.key_han = key_han
        self.name_key = name_key
        self.name_entity = name_entity
        self.post_ptr = post_ptr
        self.post_ids = post_ids
        self.post_by_id = post_ids if post_by_id is None else post_by_id
        self.fuzzy_keys = fuzzy_keys_arr
        self.fuzzy_toks = fuzzy_toks
        self.entity_ids = entity_ids
        # The names as written and the entity ids, as UTF-8 bytes: read without touching
        # the registry's objects, whose pages forked workers would otherwise have to copy.
        self.text_blob = text_blob
        self.text_ptr = text_ptr
        self.name_text = name_text
        self._id_blob = "\x00".join(entity_ids).encode("utf-8")
        ends = np.flatnonzero(np.frombuffer(self._id_blob, dtype=np.uint8) == 0)
        self._id_ptr = np.concatenate(([0], ends + 1, [len(self._id_blob) + 1]))
        self.entity_first = np.searchsorted(
            name_entity, np.arange(len(entity_ids), dtype=np.int32)
        ).astype(np.int64)
        # Views for reading one number at a time (a numpy scalar costs several times more).
        self._name_text_view = self.name_text.data
        self._text_ptr_view = self.text_ptr.data
        self._id_ptr_view = self._id_ptr.data
        self._entity_first_view = self.entity_first.data
        self._name_entity_view = name_entity.data
        self._key_ptr_view = self.key_ptr.data
        self._key_han_view = self.key_han.data
        n_keys = len(key_han)
        order = np.argsort(name_key, kind="stable")
        self.key_names = order.astype(np.int32)
        self.key_names_ptr = np.zeros(n_keys + 1, dtype=np.int64)
        if len(name_key):
            np.cumsum(np.bincount(name_key, minlength=n_keys), out=self.key_names_ptr[1:])
        self._key_names_ptr_view = self.key_names_ptr.data
        self.df = np.diff(post_ptr)
        self.max_df = max(2000, max(1, n_keys) // 50)
        weights = np.array(
            [
                KIND_WEIGHTS[k] * (idf_factor(int(d)) if k == DISTINCT else 1.0)
                for k, d in zip(token_kinds, self.df, strict=True)
            ],
            dtype=np.float64,
        )
        self.token_weight = weights
        per_token = weights[key_toks] if len(key_toks) else np.zeros(0)
        totals = np.zeros(n_keys, dtype=np.float64)
        nonempty = np.diff(key_ptr) > 0
        if len(per_token):
            totals[nonempty] = np.add.reduceat(per_token, key_ptr[:-1][nonempty])
        self.key_weight = totals
        self._df: list[int] = self.df.tolist()
        self._ptr: list[int] = post_ptr.tolist()
        self._token_weights: list[float] = weights.tolist()
        self.post_scale = inverse_sqrt(totals)[self.post_by_id]
        self._word_cache: dict[tuple[str, bool, bool], list[tuple[int, float]]] = {}
        self._generic_keys: dict[str, list[int]] | None = None

    # -- building -------------------------------------------------------------------------

    @classmethod
    def build(cls, registry: Registry, *, workers: int = 1) -> NameIndex:
        """Normalise every distinct name of the registry once and build the arrays
        (:func:`~clearance.matching.index_build.build_arrays`).

        ``workers`` > 1 normalises in that many processes (fork), for large registries.
        """
        arrays = build_arrays(registry, workers)
        index = cls(
            vocab=arrays.vocab,
            token_kinds=arrays.token_kinds,
            key_ptr=arrays.key_ptr,
            key_toks=arrays.key_toks,
            key_han=arrays.key_han,
            name_key=arrays.name_key,
            name_text=arrays.name_text,
            text_blob=arrays.text_blob,
            text_ptr=arrays.text_ptr,
            name_entity=arrays.name_entity,
            post_ptr=arrays.post_ptr,
            post_ids=arrays.post_ids,
            fuzzy_keys_arr=arrays.fuzzy_keys,
            fuzzy_toks=arrays.fuzzy_toks,
            entity_ids=arrays.entity_ids,
        )
        index._order_postings()
        return index

    def _order_postings(self) -> None:
        """Order each word's postings by the key's weight, lightest first (then key id).

        The best keys for a single word are then the first of its list (rank is the word's
        weight over the square root of the key's). The postings in key order stay in
        ``post_by_id``, for merging the lists of several words.
        """
        owner = np.repeat(np.arange(len(self.vocab), dtype=np.int32), self.df)
        order = np.lexsort((self.post_ids, self.key_weight[self.post_ids], owner))
        self.post_by_id = self.post_ids  # post_scale, read beside it, keeps its order
        self.post_ids = self.post_ids[order]

    # -- cache ----------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the index to ``path`` (numpy ``.npz``; vocabularies as UTF-8 JSON bytes)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = json.dumps(
            {
                "format": _FORMAT,
                "algorithm": ALGORITHM,
                "vocab": self.vocab,
                "token_kinds": self.token_kinds,
                "entity_ids": self.entity_ids,
            },
            ensure_ascii=False,
        ).encode("utf-8")
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            np.savez(
                fh,
                meta=np.frombuffer(meta, dtype=np.uint8),
                key_ptr=self.key_ptr,
                key_toks=self.key_toks,
                key_han=self.key_han,
                name_key=self.name_key,
                name_entity=self.name_entity,
                post_ptr=self.post_ptr,
                post_ids=self.post_ids,
                post_by_id=self.post_by_id,
                fuzzy_keys=self.fuzzy_keys,
                fuzzy_toks=self.fuzzy_toks,
                text_blob=np.frombuffer(self.text_blob, dtype=np.uint8),
                text_ptr=self.text_ptr,
                name_text=self.name_text,
            )
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> NameIndex | None:
        """Read an index written by :meth:`save`; ``None`` if missing, stale or unreadable."""
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(bytes(data["meta"]).decode("utf-8"))
                if meta.get("format") != _FORMAT or meta.get("algorithm") != ALGORITHM:
                    return None
                return cls(
                    vocab=list(meta["vocab"]),
                    token_kinds=str(meta["token_kinds"]),
                    key_ptr=data["key_ptr"],
                    key_toks=data["key_toks"],
                    key_han=data["key_han"],
                    name_key=data["name_key"],
                    name_entity=data["name_entity"],
                    post_ptr=data["post_ptr"],
                    post_ids=data["post_ids"],
                    post_by_id=data["post_by_id"],
                    fuzzy_keys_arr=data["fuzzy_keys"],
                    fuzzy_toks=data["fuzzy_toks"],
                    entity_ids=list(meta["entity_ids"]),
                    text_blob=data["text_blob"].tobytes(),
                    text_ptr=data["text_ptr"],
                    name_text=data["name_text"],
                )
        except (OSError, ValueError, KeyError):
            return None

    @classmethod
    def for_registry(
        cls,
        registry: Registry,
        cache_dir: Path | None,
        *,
        key: str | None = None,
        workers: int = 1,
    ) -> NameIndex:
        """The registry's index: from the cache when built before, else built and cached.

        ``key`` names the registry content (default: its version, else its content hash).
        """
        if cache_dir is None:
            return cls.build(registry, workers=workers)
        if key is None:
            key = registry.version or registry.content_hash()
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in key)[:80]
        path = cache_dir / "index" / f"{ALGORITHM}-{safe}.npz"  # another engine: another file
        index = cls.load(path) if path.exists() else None
        if index is not None and len(index.entity_ids) == len(registry):
            return index
        index = cls.build(registry, workers=workers)
        with contextlib.suppress(OSError):  # a read-only cache only costs a rebuild
            index.save(path)
        return index

    # -- queries --------------------------------------------------------------------------

    def __len__(self) -> int:
        """How many names the index holds."""
        return len(self.name_entity)

    @property
    def n_keys(self) -> int:
        """How many distinct normalised names (keys) the index holds."""
        return len(self.key_han)

    def weight_of(self, token: str, kind: str) -> float:
        """The comparison weight of a token (kind weight, faded by frequency if distinctive)."""
        tid = self.token_ids.get(token)
        if tid is not None:
            return self._token_weights[tid]
        return KIND_WEIGHTS[kind]

    def text_of(self, name_id: int) -> str:
        """A name as the registry writes it."""
        text = self._name_text_view[name_id]
        start, end = self._text_ptr_view[text], self._text_ptr_view[text + 1]
        return self.text_blob[start:end].decode("utf-8")

    def entity_name(self, e_index: int) -> str:
        """An entity's primary name (the first of its names)."""
        return self.text_of(self._entity_first_view[e_index])

    def entity_of(self, name_id: int) -> int:
        """The index of the entity a name belongs to."""
        return self._name_entity_view[name_id]

    def entity_id(self, e_index: int) -> str:
        """An entity's registry id (read without touching the id strings)."""
        start, end = self._id_ptr_view[e_index], self._id_ptr_view[e_index + 1] - 1
        return self._id_blob[start:end].decode("utf-8")

    def name_tokens(self, name_id: int) -> tuple[tuple[str, ...], str]:
        """The stored tokens and kinds of a name."""
        tokens, kinds, _weights = self.key_words(int(self.name_key[name_id]))
        return tokens, kinds

    def key_words(self, key: int) -> tuple[tuple[str, ...], str, list[float]]:
        """The tokens, kinds and comparison weights of a key."""
        start, end = self._key_ptr_view[key], self._key_ptr_view[key + 1]
        ids: list[int] = self.key_toks[start:end].tolist()
        vocab, kinds, weights = self.vocab, self.token_kinds, self._token_weights
        return (
            tuple([vocab[i] for i in ids]),
            "".join([kinds[i] for i in ids]),
            [weights[i] for i in ids],
        )

    def key_is_han(self, key: int) -> bool:
        """Whether a key's names are written in Chinese characters."""
        return bool(self._key_han_view[key])

    def key_names_of(self, key: int) -> I32Array:
        """Ids of the names that normalise to ``key``."""
        return self.key_names[self._key_names_ptr_view[key] : self._key_names_ptr_view[key + 1]]

    def _generic_name_keys(self, query: NormName) -> list[int]:
        """Keys of names made of generic words and places alone ("China Electronics
        Technology Group Corporation") with the same words as ``query`` but legal forms
        (no distinctive word finds them: only the whole name does)."""
        if DISTINCT in query.kinds or not query.tokens:
            return []
        if self._generic_keys is None:
            self._generic_keys = self._read_generic_keys()
        return self._generic_keys.get(_without_legal(query.tokens, query.kinds), [])

    def _read_generic_keys(self) -> dict[str, list[int]]:
        codes = np.frombuffer(self.token_kinds.encode("ascii"), dtype=np.uint8)
        own = np.isin(codes, np.frombuffer(b"DI", dtype=np.uint8)).astype(np.int64)
        per_key = np.zeros(self.n_keys, dtype=np.int64)
        lengths = np.diff(self.key_ptr)
        nonempty = lengths > 0
        if len(self.key_toks):
            per_key[nonempty] = np.add.reduceat(own[self.key_toks], self.key_ptr[:-1][nonempty])
        found: dict[str, list[int]] = {}
        for key in np.flatnonzero((per_key == 0) & nonempty).tolist():
            tokens, kinds, _ = self.key_words(key)
            found.setdefault(_without_legal(tokens, kinds), []).append(key)
        return found

    def _fuzzy(self, word: str) -> set[int]:
        keys = np.fromiter(token_keys(word), dtype=np.uint32)
        lo = np.searchsorted(self.fuzzy_keys, keys, side="left")
        hi = np.searchsorted(self.fuzzy_keys, keys, side="right")
        found: set[int] = set()
        for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
            if b > a:
                found.update(self.fuzzy_toks[a:b].tolist())
        return found

    def _prefixed(self, prefix: str, limit: int = 30) -> list[int]:
        """Ids of words that start with ``prefix`` (at most ``limit``; none if more)."""
        import bisect

        if self._sorted_vocab is None:
            self._sorted_vocab = sorted(self.vocab)
        words = self._sorted_vocab
        start = bisect.bisect_left(words, prefix)
        found: list[int] = []
        for word in words[start : start + limit + 1]:
            if not word.startswith(prefix):
                break
            if word != prefix:
                found.append(self.token_ids[word])
        return found if len(found) <= limit else []

    def candidate_tokens(self, query: NormName) -> list[CandidateToken]:
        """Registry words the query's distinctive words may stand for (exact, fuzzy, joined)."""
        best: dict[int, CandidateToken] = {}

        def offer(tid: int, pos: int, sim: float, letters: bool = False) -> None:
            if self.token_kinds[tid] != DISTINCT:
                return
            old = best.get(tid)
            if old is None or sim > old.sim:
                best[tid] = CandidateToken(tid, pos, sim, letters and (old is None or old.letters))
            elif not letters:
                old.letters = False

        tokens, kinds = query.tokens, query.kinds
        last = len(tokens) - 1
        for pos, (word, kind) in enumerate(zip(tokens, kinds, strict=True)):
            for tid, sim in self._word_candidates(word, kind == DISTINCT, pos == last):
                offer(tid, pos, sim)
        shortest = 3 if len(query.text.rstrip()) in FIELD_WIDTHS else 4
        if tokens and kinds[last] == DISTINCT and len(tokens[last]) >= shortest:
            for tid in self._prefixed(tokens[last]):
                offer(tid, last, 0.9)  # the input may be cut short
        for size in (2, 3):
            for pos in range(len(tokens) - size + 1):
                words = tokens[pos : pos + size]
                if DISTINCT not in kinds[pos : pos + size] and any(len(t) > 1 for t in words):
                    continue  # generic words joined name nobody; letters apart may
                joined = self.token_ids.get("".join(words))
                if joined is not None:
                    offer(joined, pos, 1.0, DISTINCT not in kinds[pos : pos + size])
        if len(tokens) >= MIN_INITIALS:
            for span in initial_runs(tokens):  # an acronym written apart ("C E T C")
                joined = self.token_ids.get("".join(tokens[i] for i in span))
                if joined is not None:
                    offer(joined, span[0], 1.0, True)
        return list(best.values())

    def _word_candidates(self, word: str, distinct: bool, last: bool) -> list[tuple[int, float]]:
        """Registry words one query word may stand for: itself, and if distinctive its fuzzy
        neighbours and the two known words it may join ("Hikvision" for Hik Vision).

        Remembered per word: supplier files and registries repeat their words.
        """
        cache_key = (word, distinct, last)
        found = self._word_cache.get(cache_key)
        if found is not None:
            return found
        found = []
        tid = self.token_ids.get(word)
        if tid is not None:
            found.append((tid, 1.0))
        if distinct and len(word) >= 3:
            for other in sorted(self._fuzzy(word)):
                if other != tid:
                    sim = token_similarity(word, self.vocab[other], last)[0]
                    if sim > 0.0:
                        found.append((other, sim))
        if distinct and tid is None and len(word) >= 5:
            long_forms = word_lists().abbreviations  # a split-off part as the index spells it
            for cut in range(2, len(word) - 1):
                head, tail = word[:cut], word[cut:]
                left = self.token_ids.get(long_forms.get(head, head))
                right = self.token_ids.get(long_forms.get(tail, tail))
                if left is not None and right is not None:
                    found += [(left, 0.95), (right, 0.95)]
        return remember(self._word_cache, cache_key, found, _WORD_CACHE_SIZE)

    def reading_candidates(self, reading: str, limit: int = 8) -> list[int]:
        """Keys of Han names whose distinctive words are read in ``reading`` (the letters of
        a name in pinyin, :func:`~clearance.matching.romanised.latin_reading`), longest word
        first: "shangjishukong" in ``wuxishangjishukong`` however the input was cut."""
        found: list[int] = []
        ids, kinds, ptr = self.token_ids, self.token_kinds, self._ptr
        n = len(reading)
        spans = sorted(
            ((a, b) for a in range(n) for b in range(a + MIN_READING, min(n, a + 40) + 1)),
            key=lambda s: s[0] - s[1],
        )
        for a, b in spans:
            tid = ids.get(reading[a:b])
            if tid is None or kinds[tid] != DISTINCT or self._df[tid] > self.max_df:
                continue
            keys: list[int] = self.post_ids[ptr[tid] : ptr[tid + 1]].tolist()
            found += [k for k in keys if self._key_han_view[k]][:limit]
            if len(found) >= limit:
                break
        return list(dict.fromkeys(found))[:limit]

    def candidates(
        self, query: NormName, limit: int = 8, budget: int = _POSTING_BUDGET
    ) -> list[int]:
        """Ids of the keys most likely to match ``query``, best first (at most ``limit``).

        Words the query holds choose first; registry words its single letters spell joined
        ("S.L.", "S.C.P": sl, sc, cp) only fill the places left: such a word is rare, and
        alone it would choose among the names that hold it where the query's words are
        common ("Cabo y Beltran S.L.")."""
        offered = self.candidate_tokens(query)
        if not offered:
            return self._generic_name_keys(query)[:limit]
        words = [c for c in offered if not c.letters]
        if not words or len(words) == len(offered):
            return self._candidates_of(offered, limit, budget)
        found = self._candidates_of(words, limit, budget)
        if len(found) < limit:
            letters = [c for c in offered if c.letters]
            found += [k for k in self._candidates_of(letters, limit, budget) if k not in found]
        return found[:limit]

    def _candidates_of(self, offered: list[CandidateToken], limit: int, budget: int) -> list[int]:
        """:meth:`candidates` from the registry words ``offered``."""
        df, ptr, weight_of = self._df, self._ptr, self._token_weights
        usable = [c for c in offered if df[c.token_id] <= self.max_df]
        common_only = not usable
        if common_only:
            # Only very common words: they count only when the name holds several of them.
            usable = sorted(offered, key=lambda c: df[c.token_id])[:3]
            if len(usable) < 2:
                return []
        usable.sort(key=lambda c: df[c.token_id])
        spans: list[tuple[int, int]] = []
        weights: list[float] = []
        budget = max(0, budget)
        for c in usable:
            start, end = ptr[c.token_id], ptr[c.token_id + 1]
            if spans and end - start > budget:
                break  # rarer words already gave the candidates; common ones only rank
            budget -= end - start
            spans.append((start, end))
            weights.append(weight_of[c.token_id] * c.sim)
        if len(spans) == 1:
            if common_only:
                return []  # a very common word alone names nobody
            # Postings are lightest first: the best ranks (a word twice in a name comes twice).
            lightest: list[int] = self.post_ids[spans[0][0] : spans[0][0] + 2 * limit].tolist()
            return list(dict.fromkeys(lightest))[:limit]
        above = max(weights) + 1e-9 if common_only else -math.inf
        merge = self._merge or merge_postings
        return merge(self.post_by_id, self.post_scale, spans, weights, limit, above)
