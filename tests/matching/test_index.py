"""The name index: its store of names as written, and how it picks the best-ranked keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.matching.index import NameIndex
from clearance.matching.native import postings_kernel
from clearance.matching.postings import best_keys, merge_postings
from clearance.model import Entity, EntityKind, Name, NameKind
from clearance.registry import Registry


def _registry() -> Registry:
    entities = [
        Entity(
            id="hikvision",
            kind=EntityKind.COMPANY,
            name="Hangzhou Hikvision Digital Technology Co., Ltd.",
            names=[Name("杭州海康威视数字技术股份有限公司", NameKind.LEGAL, "zh")],
        ),
        Entity(id="acme/ü", kind=EntityKind.COMPANY, name="Acme Widgets"),
        Entity(id="acme-2", kind=EntityKind.COMPANY, name="ACME Widgets"),
    ]
    return Registry([], entities, [], version="t1")


def test_names_and_ids_are_read_back_as_written_after_save_and_load(tmp_path: Path) -> None:
    built = NameIndex.build(_registry())
    built.save(tmp_path / "index.npz")
    loaded = NameIndex.load(tmp_path / "index.npz")
    assert loaded is not None
    for index in (built, loaded):
        texts = [index.text_of(i) for i in range(len(index))]
        assert texts == [
            "Hangzhou Hikvision Digital Technology Co., Ltd.",
            "杭州海康威视数字技术股份有限公司",
            "Acme Widgets",
            "ACME Widgets",
        ]
        assert [index.entity_id(e) for e in range(3)] == ["hikvision", "acme/ü", "acme-2"]
        assert [index.entity_name(e) for e in range(3)] == [texts[0], texts[2], texts[3]]
        # "Acme Widgets" and "ACME Widgets" normalise alike: one key, two names
        assert index.name_key[2] == index.name_key[3]


ranks = st.lists(st.sampled_from([0.1, 0.25, 0.5, 0.75, 1.0]), min_size=0, max_size=400)


@given(ranks, st.integers(min_value=1, max_value=10))
def test_best_keys_are_the_highest_ranked_ties_in_key_order(
    values: list[float], limit: int
) -> None:
    keys = np.arange(0, 3 * len(values), 3, dtype=np.int32)  # ascending, as merged
    rank = np.array(values, dtype=np.float64)
    expected = sorted(range(len(values)), key=lambda i: (-values[i], i))[:limit]
    assert best_keys(keys, rank, limit) == [int(keys[i]) for i in expected]


Case = tuple[Any, ...]


@st.composite
def postings(draw: st.DrawFn, weights: st.SearchStrategy[float]) -> Case:
    """Spans of key ids (each sorted, a key twice when a word is twice in a name), a weight
    per span and a scale per key, laid out as NameIndex stores them."""
    n_keys = draw(st.integers(min_value=1, max_value=400))
    keys = st.integers(0, n_keys - 1)
    runs = draw(st.lists(st.lists(keys, max_size=30).map(sorted), min_size=1, max_size=24))
    if draw(st.booleans()):  # a common word last, longer than the rest (a bigger merge table)
        longest = max(64, sum(map(len, runs)) + 1)
        runs.append(sorted(draw(st.lists(keys, min_size=longest, max_size=longest + 200))))
    elif len(runs) == 1:
        runs.append(draw(st.lists(keys, max_size=30).map(sorted)))
    scale_of = draw(st.lists(st.sampled_from([0.5, 0.25, 1.0, 0.125]), min_size=n_keys))
    ids = np.array([k for run in runs for k in run], dtype=np.int32)
    scales = np.array([scale_of[k] for k in ids.tolist()], dtype=np.float64)
    spans, at = [], 0
    for run in runs:
        spans.append((at, at + len(run)))
        at += len(run)
    span_weights = draw(st.lists(weights, min_size=len(runs), max_size=len(runs)))
    limit = draw(st.integers(min_value=1, max_value=10))
    above = draw(st.sampled_from([-np.inf, 0.5, 1.0]))
    return runs, scale_of, ids, scales, spans, span_weights, limit, above


# eighths add up exactly in any order: the expected ranks do not depend on summation order
@given(postings(st.sampled_from([0.125, 0.25, 0.5, 0.75, 1.0])))
def test_merged_postings_rank_keys_by_summed_weight_times_scale(case: Case) -> None:
    runs, scale_of, ids, scales, spans, weights, limit, above = case
    total: dict[int, float] = {}
    for run, weight in zip(runs, weights, strict=True):
        for key in run:
            total[key] = total.get(key, 0.0) + weight
    ranked = sorted(
        (k for k in total if total[k] > above), key=lambda k: (-total[k] * scale_of[k], k)
    )
    expected = ranked[:limit]
    assert merge_postings(ids, scales, spans, weights, limit, above) == expected
    kernel = postings_kernel()
    if kernel is not None:
        assert kernel(ids, scales, spans, weights, limit, above) == expected


@pytest.mark.skipif(postings_kernel() is None, reason="the C postings merge is not in use")
@given(postings(st.floats(min_value=0.01, max_value=1.0)))
def test_the_c_merge_ranks_exactly_as_numpy_does(case: Case) -> None:
    # any weights: the C merge sums a key's weights in numpy's order (pairwise beyond 8)
    _runs, _scale_of, ids, scales, spans, weights, limit, above = case
    kernel = postings_kernel()
    assert kernel is not None
    args = (ids, scales, spans, weights, limit, above)
    assert kernel(*args) == merge_postings(*args)


@pytest.mark.skipif(postings_kernel() is None, reason="the C postings merge is not in use")
@pytest.mark.parametrize("held", [1, 5, 9, 12, 40, 300])
def test_the_c_merge_sums_a_keys_weights_as_numpy_does(held: int) -> None:
    # One key held by `held` spans, one by a single span weighing what numpy sums the first
    # to: an exact tie, which goes to the lower key id. From 9 spans on, numpy sums pairwise:
    # summed in order, the first key's total would differ in its last bits (these weights are
    # chosen so that it does).
    rng = np.random.default_rng(held)
    while True:
        weights = rng.uniform(0.01, 1.0, held).tolist()
        numpy_total = float(np.add.reduceat(np.array(weights), [0])[0])
        rest = 0.0
        for w in weights[1:]:
            rest += w
        in_order = weights[0]
        for w in weights[1:]:
            in_order += w
        if held < 9 or numpy_total not in (in_order, weights[0] + rest):
            break
    kernel = postings_kernel()
    assert kernel is not None
    for many, single in ((0, 1), (1, 0)):
        ids = np.array([many] * held + [single], dtype=np.int32)
        scales = np.ones(held + 1)
        spans = [(i, i + 1) for i in range(held + 1)]
        args = (ids, scales, spans, [*weights, numpy_total], 2, -np.inf)
        assert kernel(*args) == merge_postings(*args) == [0, 1]
