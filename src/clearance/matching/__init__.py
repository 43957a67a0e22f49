"""Name screening: normalise (scripts, legal forms, CJK), index (candidate generation),
features and score (weighted, explained), screen (the batch API)."""

from clearance.matching.index import ALGORITHM, NameIndex
from clearance.matching.normalise import NormName, normalise
from clearance.matching.screen import CLEAR, MATCH, REVIEW, Hit, Screener, ScreeningResult

__all__ = [
    "ALGORITHM",
    "CLEAR",
    "MATCH",
    "REVIEW",
    "Hit",
    "NameIndex",
    "NormName",
    "Screener",
    "ScreeningResult",
    "normalise",
]
