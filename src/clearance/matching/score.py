"""The scoring algorithm: a declared list of weighted features and how they combine.

Roles: ``name`` features are alternative name scores (the best, times its weight, counts);
a ``cap`` feature limits the score to its weight when it fires; ``adjust`` features add
their weight times their score; a ``floor`` feature lifts the score to its weight.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from clearance.matching import features as f
from clearance.matching.features import Context, FeatureResult
from clearance.matching.index import ALGORITHM

__all__ = [
    "ALGORITHM",
    "FEATURES",
    "NOT_FOR_PERSONS",
    "Feature",
    "Scored",
    "compare_names",
    "score",
]


@dataclass(slots=True, frozen=True)
class Feature:
    """One feature of the algorithm: its role in the combination and its weight."""

    name: str
    role: str  # name | cap | adjust | floor
    weight: float
    fn: Callable[[Context], FeatureResult | None]

    @property
    def description(self) -> str:
        """The feature's explanation for users: its function's docstring."""
        doc = self.fn.__doc__ or _source_docstrings().get(self.fn.__name__, "")
        return " ".join(doc.split())


@functools.cache
def _source_docstrings() -> dict[str, str]:
    """Docstrings of the feature functions read from their source (mypyc drops them)."""
    source = resources.files("clearance.matching").joinpath("features.py").read_text("utf-8")
    return {
        node.name: ast.get_docstring(node) or ""
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef)
    }


#: The features of ``clearance-v1``, in the order their details are explained.
FEATURES: tuple[Feature, ...] = (
    Feature("exact_name", "name", 1.0, f.exact_name),
    Feature("name_words", "name", 1.0, f.name_words),
    Feature("pinyin_reading", "name", 1.0, f.pinyin_reading),
    Feature("chinese_reading", "name", 1.0, f.chinese_reading),
    Feature("hong_kong_reading", "name", 1.0, f.hong_kong_reading),
    Feature("person_name", "name", 1.0, f.person_name),
    Feature("generic_words_only", "cap", 0.5, f.generic_words_only),
    Feature("short_word_only", "cap", 0.6, f.short_word_only),
    Feature("legal_form_differs", "adjust", -0.08, f.legal_form_differs),
    Feature("country_agrees", "adjust", 0.03, f.country_agrees),
    Feature("country_differs", "adjust", -0.10, f.country_differs),
    Feature("identifier_agrees", "floor", 1.0, f.identifier_agrees),
    Feature("name_within", "floor", 0.75, f.name_within),
)


#: Features of organisations' names, left out when a person's names are compared
#: (``Context.person_name``): a person's name is its parts, not distinctive and generic words.
NOT_FOR_PERSONS = frozenset(
    {
        "exact_name",
        "name_words",
        "pinyin_reading",
        "generic_words_only",
        "short_word_only",
        "legal_form_differs",
    }
)


#: Name features explained even when another scored as high: what the input was read as.
_SAID_TOO = frozenset({"pinyin_reading", "chinese_reading", "hong_kong_reading"})


@dataclass(slots=True)  # not frozen: see features.Pair
class Scored:
    """The score of one comparison and the features that fired, with their details."""

    score: float
    fired: tuple[tuple[str, FeatureResult], ...]

    def explanation(self) -> list[str]:
        """Why it matched, one line per feature that fired."""
        seen: set[str] = set()
        lines = []
        for _name, result in self.fired:
            detail = result.detail
            if detail not in seen:
                seen.add(detail)
                lines.append(detail)
        return lines


def score(ctx: Context) -> Scored:
    """Run every feature on ``ctx`` and combine them into one score in 0..1."""
    name_score = 0.0
    cap = 1.0
    adjust = 0.0
    floor = 0.0
    fired: list[tuple[str, FeatureResult]] = []
    best_name: tuple[str, FeatureResult] | None = None
    person = bool(ctx.person_name)
    for feature in FEATURES:
        if person and feature.name in NOT_FOR_PERSONS:
            continue
        result = feature.fn(ctx)
        if result is None:
            continue
        value = feature.weight * result.score
        if feature.role == "name":
            if best_name is None or value > name_score:
                name_score, best_name = value, (feature.name, result)
            elif feature.name in _SAID_TOO:
                fired.append((feature.name, result))
            continue
        fired.append((feature.name, result))
        if feature.role == "cap":
            cap = min(cap, feature.weight)
        elif feature.role == "adjust":
            adjust += value
        else:
            floor = max(floor, value)
    if best_name is not None:
        fired.insert(0, best_name)
    total = max(min(name_score, cap) + adjust, floor)
    return Scored(round(min(1.0, max(0.0, total)), 4), tuple(fired))


def compare_names(query: str, name: str, *, person: bool = False) -> Scored:
    """Score one name against another without a registry (word weights by kind only).

    Useful for pairwise checks and benchmarks; screening uses the index's frequency-aware
    weights instead. ``person`` compares the names as people's names, part by part
    (:mod:`clearance.matching.persons`), when the name is known to be a person's.
    """
    from clearance.matching.alignment import Alignment, align
    from clearance.matching.cantonese import hk_syllables
    from clearance.matching.normalise import normalise
    from clearance.matching.romanised import latin_reading
    from clearance.matching.words import KIND_WEIGHTS

    q, c = normalise(query), normalise(name)
    reading = (latin_reading(query) or "") if c.has_han else ""
    cantonese = (hk_syllables(query) or ()) if c.has_han else ()
    if person:
        alignment = Alignment()
    else:
        q_weights = [KIND_WEIGHTS[k] for k in q.kinds]
        c_weights = [KIND_WEIGHTS[k] for k in c.kinds]
        alignment = align(q, c, q_weights, c_weights)
    return score(
        Context(
            q,
            c,
            name,
            alignment,
            person_name=name if person else "",
            query_reading=reading,
            query_cantonese=cantonese,
        )
    )
