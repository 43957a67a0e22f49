"""The postings merge: the best-ranked keys over the postings of several words.

:func:`merge_postings` merges with numpy; ``_postings.best_keys`` (C, built by ``make compile``)
does the same with the same results and is used when built.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["FloatArray", "I32Array", "IntArray", "best_keys", "inverse_sqrt", "merge_postings"]

IntArray = npt.NDArray[np.int64]
I32Array = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]


def merge_postings(
    ids: I32Array,
    scales: FloatArray,
    spans: list[tuple[int, int]],
    weights: list[float],
    limit: int,
    above: float,
) -> list[int]:
    """The ``limit`` keys of highest rank over the postings ``ids[start:end]`` of ``spans``.

    A key's rank is the sum of the ``weights`` of the spans that hold it (twice if held twice)
    times its scale, 1/sqrt(key weight), stored beside each posting in ``scales``; keys whose
    summed weight is not above ``above`` are left out. Best first, equal ranks in key order.
    The numpy merge; ``_postings.best_keys`` does the same in C, with the same results.
    """
    # Each word's postings in key order: a stable sort merges the runs, equal keys adjacent.
    lengths = [end - start for start, end in spans]
    if len(spans) <= 4:
        flat = np.concatenate([ids[start:end] for start, end in spans])
        scale = np.concatenate([scales[start:end] for start, end in spans])
    else:  # many words (fuzzy neighbours): their positions at once, not slice by slice
        runs = np.array(lengths, dtype=np.int64)
        firsts = np.array([start for start, _ in spans], dtype=np.int64)
        at = np.arange(int(runs.sum()), dtype=np.int64)
        at += np.repeat(firsts - (np.cumsum(runs) - runs), runs)
        flat, scale = ids[at], scales[at]
    if len(flat) == 0:
        return []
    w = np.repeat(np.array(weights, dtype=np.float64), lengths)
    order = np.argsort(flat, kind="stable")
    flat, w = flat[order], w[order]
    starts = np.flatnonzero(np.concatenate(([True], flat[1:] != flat[:-1])))
    keys, acc, scale = flat[starts], np.add.reduceat(w, starts), scale[order[starts]]
    keep = acc > above
    keys, acc, scale = keys[keep], acc[keep], scale[keep]
    if len(keys) == 0:
        return []
    return best_keys(keys, acc * scale, limit)


def best_keys(keys: I32Array, rank: FloatArray, limit: int) -> list[int]:
    """The ``limit`` keys of highest rank, best first, equal ranks in key order (``keys``
    ascending).

    Only the keys ranked at least the ``limit``-th best of a sample (no better than the
    ``limit``-th best of all) are sorted: on this project's 2-CPU VM, ``np.argpartition`` of
    1,000 ranks took 19 µs, a sampled bound and filter 8 µs.
    """
    n = len(keys)
    if n > 4 * limit:
        sample = np.sort(rank[:: max(1, n // (8 * limit))], kind="stable")
        at = np.flatnonzero(rank >= sample[-limit])
        if len(at) > 4 * limit:  # many alike: the exact limit-th best, ties in key order
            sub = rank[at]
            cut = len(sub) - limit
            value = np.partition(sub, cut)[cut]
            above = at[sub > value]
            at = np.concatenate((above, at[sub == value][: limit - len(above)]))
        keys, rank = keys[at], rank[at]
    found: list[int] = keys[np.lexsort((keys, -rank))[:limit]].tolist()
    return found


def inverse_sqrt(weights: FloatArray) -> FloatArray:
    """1/sqrt(weight), the factor that ranks a key (empty keys: a large finite factor)."""
    scale: FloatArray = 1.0 / np.sqrt(np.maximum(weights, 1e-6))
    return scale
