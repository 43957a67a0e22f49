"""Name screening: normalise (scripts, legal forms, CJK), index (candidate generation),
features and score (weighted, explained), screen (the batch API)."""

from clearance.matching import native

native.use_fresh_code()  # compiled modules only while they match their sources

from clearance.matching.index import ALGORITHM, NameIndex  # noqa: E402
from clearance.matching.normalise import NormName, normalise  # noqa: E402
from clearance.matching.screen import (  # noqa: E402
    CLEAR,
    MATCH,
    REVIEW,
    Hit,
    Screener,
    ScreeningResult,
)

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
