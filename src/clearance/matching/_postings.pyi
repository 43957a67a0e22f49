"""Type stub of the C postings merge (``_postings.c``)."""

from typing import Any

def best_keys(
    ids: Any,
    scales: Any,
    spans: list[tuple[int, int]],
    weights: list[float],
    limit: int,
    above: float,
    /,
) -> list[int]: ...
