"""A bounded memo: the one way the screening engine remembers what it worked out."""

from __future__ import annotations

from typing import TypeVar

__all__ = ["remember"]

K = TypeVar("K")
V = TypeVar("V")


def remember(memo: dict[K, V], key: K, value: V, limit: int) -> V:
    """Store ``value`` under ``key`` and return it; a memo at ``limit`` entries starts over
    (cheaper than evicting one by one, and the entries come back when they recur)."""
    if len(memo) >= limit:
        memo.clear()
    memo[key] = value
    return value
