"""The name index: its store of names as written, and how it picks the best-ranked keys."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from clearance.matching.index import NameIndex, _best
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
    assert _best(keys, rank, limit) == [int(keys[i]) for i in expected]
