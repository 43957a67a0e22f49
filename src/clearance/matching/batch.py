"""Screening in forked worker processes: each distinct query once, results in input order.

The workers only score (:data:`FindHits`): they receive each query's key, not its input
record, and send back plain :class:`~clearance.matching.results.FoundHit` values; the parent
turns them into results (:data:`MakeResult`), so the registry's objects are read in one
process only.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator, Sequence

from clearance.matching.memo import remember
from clearance.matching.results import (
    FoundHit,
    Query,
    QueryKey,
    ScreeningResult,
    repeated_result,
)

__all__ = ["REPEATS", "FindHits", "MakeResult", "screen_in_workers"]

#: Scores one query: its best hits as found.
FindHits = Callable[[Query], list[FoundHit]]
#: Makes the result of one query from its hits as found.
MakeResult = Callable[[Query, list[FoundHit]], ScreeningResult]

REPEATS = 100_000  # results remembered for names that come again
_find_in_worker: list[FindHits] = []  # set in the parent before forking, read by workers


def _screen_chunk(chunk: Sequence[QueryKey]) -> list[list[FoundHit]]:
    """A worker's job: the hits found for each query key of a chunk."""
    find = _find_in_worker[0]
    return [find(Query(name, countries, ids)) for name, countries, ids in chunk]


def _chunk_size(distinct: int, workers: int) -> int:
    # small chunks: the workers finish together (a 1,250-query chunk left one idle 0.5 s)
    return max(20, min(200, distinct // (workers * 32) or 1))


def screen_in_workers(
    find: FindHits, make: MakeResult, queries: Iterable[Query], workers: int
) -> Iterator[ScreeningResult]:
    """Screen each distinct query once in ``workers`` forked processes; yield results in
    input order (a repeated query's result made again for its own record)."""
    import multiprocessing

    slots: dict[QueryKey, int] = {}
    distinct: list[Query] = []
    inputs: list[tuple[Query, int]] = []  # each input and the slot of its distinct query
    for q in queries:
        slot = slots.setdefault(q.key, len(distinct))
        if slot == len(distinct):
            distinct.append(q)
        inputs.append((q, slot))
    del slots
    size = _chunk_size(len(distinct), workers)
    # workers are sent what a result depends on (the query's key), not the input's record
    chunks = [[q.key for q in distinct[i : i + size]] for i in range(0, len(distinct), size)]
    ctx = multiprocessing.get_context("fork")
    _find_in_worker.append(find)
    # Objects alive now are never collected in the workers: keeps their pages shared.
    gc.freeze()
    try:
        with ctx.Pool(min(workers, os.cpu_count() or 1)) as pool:
            parts = pool.imap(_screen_chunk, chunks)
            hits_by_slot: list[list[FoundHit]] = []
            done: dict[int, ScreeningResult] = {}
            for q, slot in inputs:
                while slot >= len(hits_by_slot):
                    hits_by_slot.extend(next(parts))
                result = done.get(slot)
                yield (
                    remember(done, slot, make(q, hits_by_slot[slot]), REPEATS)
                    if result is None
                    else repeated_result(result, q)
                )
    finally:
        _find_in_worker.clear()
        gc.unfreeze()
