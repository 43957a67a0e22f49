"""Building a :class:`~clearance.matching.index.NameIndex`: every distinct registry name
normalised once (in worker processes for large registries), names that normalise alike
sharing one key, and the arrays of tokens, postings and fuzzy keys.
"""

from __future__ import annotations

import gc
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from clearance.matching.normalise import normalise
from clearance.matching.postings import I32Array, IntArray
from clearance.matching.romanised import load_tables
from clearance.matching.spelling import (
    collapse_doubles,
    fuzzy_keys,
    ocr_reading,
    skeleton,
    sound_key,
    vowels_dropped,
)
from clearance.matching.words import DISTINCT
from clearance.registry.registry import Registry

__all__ = ["IndexArrays", "build_arrays", "token_keys"]


@dataclass(slots=True)
class IndexArrays:
    """The arrays an index is made of (the arguments of
    :class:`~clearance.matching.index.NameIndex`; see its module docstring)."""

    vocab: list[str]
    token_kinds: str
    key_ptr: IntArray
    key_toks: I32Array
    key_han: npt.NDArray[np.bool_]
    name_key: I32Array
    name_text: I32Array
    text_blob: bytes
    text_ptr: IntArray
    name_entity: I32Array
    post_ptr: IntArray
    post_ids: I32Array
    fuzzy_keys: npt.NDArray[np.uint32]
    fuzzy_toks: I32Array
    entity_ids: list[str]


def _key(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _norm_lines(texts: Sequence[str]) -> list[str]:
    """Normalise ``texts`` into compact ``tokens<TAB>kinds`` lines (a worker's job)."""
    out = []
    for text in texts:
        norm = normalise.__wrapped__(text)  # each text once: the cache would only churn
        line = " ".join(norm.tokens) + "\t" + norm.kinds
        if norm.has_han:  # Han names alike in pinyin but not in characters stay apart
            line += "\th\t" + "\x1f".join(norm.surfaces)
        out.append(line)
    return out


def build_arrays(registry: Registry, workers: int = 1) -> IndexArrays:
    """Normalise every distinct name of the registry once and build the arrays.

    ``workers`` > 1 normalises in that many processes (fork), for large registries.
    """
    entity_ids: list[str] = []
    text_ids: dict[str, int] = {}
    name_text: list[int] = []
    name_entity: list[int] = []
    for e_index, entity in enumerate(registry):
        entity_ids.append(entity.id)
        for text in entity.all_names():
            name_text.append(text_ids.setdefault(text, len(text_ids)))
            name_entity.append(e_index)
    texts = list(text_ids)
    del text_ids
    lines = _normalise_all(texts, workers)
    encoded = [t.encode("utf-8") for t in texts]
    del texts
    text_ptr = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=text_ptr[1:])
    text_blob = b"".join(encoded)
    del encoded
    key_of_line: dict[str, int] = {}
    text_key = np.empty(len(lines), dtype=np.int32)
    vocab_ids: dict[str, int] = {}
    vocab: list[str] = []
    kinds: list[str] = []
    toks: list[int] = []
    lengths: list[int] = []
    han: list[bool] = []
    for t_index, line in enumerate(lines):
        key = key_of_line.get(line)
        if key is None:
            key = key_of_line[line] = len(lengths)
            parts = line.split("\t")
            words = parts[0].split(" ") if parts[0] else []
            for word, kind in zip(words, parts[1], strict=True):
                tid = vocab_ids.get(word)
                if tid is None:
                    tid = vocab_ids[word] = len(vocab)
                    vocab.append(word)
                    kinds.append(kind)
                toks.append(tid)
            lengths.append(len(words))
            han.append(len(parts) > 2)
        text_key[t_index] = key
    del lines, key_of_line
    key_toks = np.array(toks, dtype=np.int32)
    del toks
    key_ptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.array(lengths, dtype=np.int64), out=key_ptr[1:])
    owners = np.repeat(np.arange(len(lengths), dtype=np.int32), np.diff(key_ptr))
    order = np.argsort(key_toks, kind="stable")
    post_ids = owners[order].astype(np.int32)
    counts = np.bincount(key_toks, minlength=len(vocab)) if len(vocab) else np.zeros(0)
    post_ptr = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum(counts, out=post_ptr[1:])
    fkeys: list[int] = []
    ftoks: list[int] = []
    for tid, (word, kind) in enumerate(zip(vocab, kinds, strict=True)):
        if kind != DISTINCT:
            continue
        for fkey in token_keys(word):
            fkeys.append(fkey)
            ftoks.append(tid)
    keys_arr = np.array(fkeys, dtype=np.uint32)
    toks_arr = np.array(ftoks, dtype=np.int32)
    korder = np.argsort(keys_arr, kind="stable")
    return IndexArrays(
        vocab=vocab,
        token_kinds="".join(kinds),
        key_ptr=key_ptr,
        key_toks=key_toks,
        key_han=np.array(han, dtype=np.bool_),
        name_key=text_key[np.array(name_text, dtype=np.int64)],
        name_text=np.array(name_text, dtype=np.int32),
        text_blob=text_blob,
        text_ptr=text_ptr,
        name_entity=np.array(name_entity, dtype=np.int32),
        post_ptr=post_ptr,
        post_ids=post_ids,
        fuzzy_keys=keys_arr[korder],
        fuzzy_toks=toks_arr[korder],
        entity_ids=entity_ids,
    )


def token_keys(word: str) -> Iterable[int]:
    """The fuzzy keys of a word: its one-letter deletions (typos, keyboard-neighbour ones
    among them), its sound-alike spelling (c/k/q, s/z, i/y, ph/f), its sound-alike skeleton,
    its OCR reading, its vowel-dropped form and its doubled letters collapsed."""
    for key in fuzzy_keys(word):
        yield _key(key)
    sound = sound_key(word)
    if sound != word and len(sound) >= 2:
        yield _key("!" + sound)
    skel = skeleton(word)
    if len(skel) >= 3:
        yield _key("~" + skel)
    ocr = ocr_reading(word)
    yield _key("#" + ocr)
    if len(word) >= 3:
        yield _key("%" + vowels_dropped(word))
    collapsed = collapse_doubles(word)
    if collapsed != word or len(word) < 4:
        yield _key("=" + collapsed)


def _normalise_all(texts: list[str], workers: int) -> list[str]:
    if workers <= 1 or len(texts) < 50_000:
        return _norm_lines(texts)
    import multiprocessing

    size = 20_000
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    load_tables()  # read once here, shared with the workers
    ctx = multiprocessing.get_context("fork")
    gc.freeze()  # keep the parent's pages shared with the workers
    try:
        with ctx.Pool(workers) as pool:
            parts = pool.map(_norm_lines, chunks, chunksize=1)
    finally:
        gc.unfreeze()
    return [line for part in parts for line in part]
