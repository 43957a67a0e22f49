"""The C postings merge checks its arguments: bad ones raise, none is read out of bounds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from clearance.matching.native import postings_kernel
from clearance.matching.postings import merge_postings

pytestmark = pytest.mark.skipif(
    postings_kernel() is None, reason="the C postings merge is not in use (make compile)"
)

Kernel = Callable[..., list[int]]
IDS = np.array([0, 2, 5, 1, 2, 9, 2, 5], dtype=np.int32)  # three spans, each ascending
SCALES = np.linspace(0.5, 1.0, len(IDS))
SPANS = [(0, 3), (3, 6), (6, 8)]
WEIGHTS = [1.0, 0.75, 0.5]


@pytest.fixture
def kernel() -> Kernel:
    found = postings_kernel()
    assert found is not None
    return found


def _good(kernel: Kernel) -> None:
    """A valid merge after a refused one gives numpy's keys (no state left behind)."""
    args = (IDS, SCALES, SPANS, WEIGHTS, 3, -np.inf)
    assert kernel(*args) == merge_postings(*args) == [2, 5, 9]


@pytest.mark.parametrize(
    ("ids", "scales", "what"),
    [
        (IDS.astype(np.int64), SCALES, "ids"),
        (IDS.astype(np.float32), SCALES, "ids"),  # 4-byte items, but not int32
        (IDS.astype(np.uint32), SCALES, "ids"),
        (IDS.astype(">i4"), SCALES, "ids"),  # int32 in the other byte order
        (IDS.reshape(2, 4), SCALES, "ids"),
        (IDS, SCALES.astype(np.float32), "scales"),
        (IDS, SCALES.astype(np.int64), "scales"),  # 8-byte items, but not float64
        (np.repeat(IDS, 2)[::2], SCALES, "ids"),  # a strided view: not contiguous
        (IDS, np.repeat(SCALES, 2)[::2], "scales"),
    ],
)
def test_arrays_of_another_type_or_layout_are_refused(
    kernel: Kernel, ids: Any, scales: Any, what: str
) -> None:
    with pytest.raises(TypeError, match=f"{what} must be a C-contiguous 1-d array"):
        kernel(ids, scales, SPANS, WEIGHTS, 3, -np.inf)
    _good(kernel)


def test_what_is_not_a_buffer_is_refused(kernel: Kernel) -> None:
    with pytest.raises(TypeError):
        kernel(IDS.tolist(), SCALES, SPANS, WEIGHTS, 3, -np.inf)
    with pytest.raises(TypeError):
        kernel(IDS, None, SPANS, WEIGHTS, 3, -np.inf)


def test_ids_and_scales_of_different_lengths_are_refused(kernel: Kernel) -> None:
    # a scale is read beside each posting: fewer scales would be read past their end
    with pytest.raises(ValueError, match="8 ids but 6 scales"):
        kernel(IDS, SCALES[:6].copy(), SPANS, WEIGHTS, 3, -np.inf)
    _good(kernel)


@pytest.mark.parametrize(
    ("spans", "weights", "error", "message"),
    [
        (SPANS, WEIGHTS[:2], ValueError, "3 spans but 2 weights"),
        (tuple(SPANS), WEIGHTS, TypeError, "must be lists"),
        (SPANS, tuple(WEIGHTS), TypeError, "must be lists"),
        ([(0, 3), [3, 6]], WEIGHTS[:2], TypeError, r"spans\[1\] must be a \(start, end\)"),
        ([(0, 3, 4)], [1.0], TypeError, r"spans\[0\] must be a \(start, end\)"),
        ([(0.0, 3)], [1.0], TypeError, "integer"),
        ([(0, 3)], ["1.0"], TypeError, "real number"),
        ([(0, 3), (3, 9)], WEIGHTS[:2], IndexError, r"spans\[1\] = \(3, 9\) is outside 0..8"),
        ([(-1, 3)], [1.0], IndexError, "outside"),
        ([(5, 3)], [1.0], IndexError, "outside"),
        ([(0, 3), (2**40, 2**40 + 1)], WEIGHTS[:2], IndexError, "outside"),
        ([(0, 2**70)], [1.0], OverflowError, "cannot fit"),
    ],
)
def test_spans_and_weights_are_checked_before_reading(
    kernel: Kernel, spans: Any, weights: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        kernel(IDS, SCALES, spans, weights, 3, -np.inf)
    _good(kernel)


def test_a_span_must_hold_ascending_key_ids(kernel: Kernel) -> None:
    # The first span is merged before the out-of-order second one is met: its keys must not
    # stay in the merge table.
    unsorted = np.array([0, 2, 5, 9, 1, 2], dtype=np.int32)
    with pytest.raises(ValueError, match=r"ids\[4\] = 1: the ids of each span must be ascending"):
        kernel(unsorted, np.ones(6), [(0, 3), (3, 6)], [1.0, 1.0], 3, -np.inf)
    _good(kernel)
    negative = np.array([-1, 2, 5], dtype=np.int32)  # -1 marks an empty slot of the table
    with pytest.raises(ValueError, match=r"ids\[0\] = -1"):
        kernel(negative, np.ones(3), [(0, 3), (0, 2)], [1.0, 1.0], 3, -np.inf)
    _good(kernel)


def test_limit_and_threshold_are_checked(kernel: Kernel) -> None:
    with pytest.raises(ValueError, match="limit must be >= 0, not -1"):
        kernel(IDS, SCALES, SPANS, WEIGHTS, -1, -np.inf)
    with pytest.raises(TypeError):
        kernel(IDS, SCALES, SPANS, WEIGHTS, 3.0, -np.inf)
    with pytest.raises(TypeError):
        kernel(IDS, SCALES, SPANS, WEIGHTS, 3, "0.5")
    assert kernel(IDS, SCALES, SPANS, WEIGHTS, 0, -np.inf) == []
    _good(kernel)


def test_a_limit_beyond_the_keys_met_returns_them_all(kernel: Kernel) -> None:
    # the best list is sized by the keys met, not by the limit (2**40 of them: a MemoryError)
    args = (IDS, SCALES, SPANS, WEIGHTS, 2**40, -np.inf)
    assert kernel(*args) == merge_postings(*args) == [2, 5, 9, 1, 0]
    assert kernel(IDS, SCALES, SPANS, WEIGHTS, 2**80, -np.inf) == [2, 5, 9, 1, 0]


def test_numpy_integers_are_read_as_span_bounds_and_limit(kernel: Kernel) -> None:
    spans = [(np.int64(a), np.int32(b)) for a, b in SPANS]
    assert kernel(IDS, SCALES, spans, WEIGHTS, np.int64(3), np.float64(-np.inf)) == [2, 5, 9]


def test_the_argument_count_is_checked(kernel: Kernel) -> None:
    with pytest.raises(TypeError, match=r"takes 6 arguments \(5 given\)"):
        kernel(IDS, SCALES, SPANS, WEIGHTS, 3)


def test_lists_changed_while_they_are_read_change_nothing(kernel: Kernel) -> None:
    # Reading a weight may run Python code: here it empties both lists half-way through.
    spans, weights = list(SPANS), list[Any](WEIGHTS)

    class Weight:
        def __float__(self) -> float:
            spans.clear()
            weights.clear()
            return 0.75

    weights[1] = Weight()
    assert kernel(IDS, SCALES, spans, weights, 3, -np.inf) == [2, 5, 9]
    assert spans == [] == weights
    _good(kernel)
