"""Alignment: the best one-to-one pairing of the words of two names, in any order, with
adjacent words joined on either side ("Hik Vision" = "Hikvision"), and the coverage of each
name by the pairs (the name score of :func:`~clearance.matching.features.name_words`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

from clearance.matching.likeness import likeness, likenesses_of
from clearance.matching.memo import remember
from clearance.matching.normalise import NormName
from clearance.matching.words import DISTINCT, word_lists

__all__ = [
    "CUT_COST",
    "DROPPED_GENERIC_COST",
    "FIELD_WIDTHS",
    "MIN_INITIALS",
    "NAME_EXPONENT",
    "QUERY_EXPONENT",
    "WITHIN_SIM",
    "Alignment",
    "JoinedRun",
    "Pair",
    "align",
    "initial_runs",
    "is_han",
]

#: Exponents of the input's and the registry name's word coverage in the name score.
QUERY_EXPONENT, NAME_EXPONENT = 0.55, 0.45
#: What a generic word of the registry name costs when the input is a shorter form of it.
DROPPED_GENERIC_COST = 0.5
#: Input lengths that suggest a name cut short by a fixed-width field (trailing space stripped).
FIELD_WIDTHS = frozenset({19, 20, 34, 35})
#: What a word of the registry name costs when it lies past the end of a cut-short input.
CUT_COST = 0.2
#: How alike a distinctive word of the name and one of the input must be for the name to
#: count as written within the input ("Acme Hikvision Reseller").
WITHIN_SIM = 0.95


@lru_cache(maxsize=1)
def _short_forms() -> dict[str, str]:
    """Word -> its shortest abbreviation as written inside joined words ("Hightech")."""
    forms: dict[str, str] = {}
    for short, word in word_lists().abbreviations.items():
        usable = short.isalpha() and len(short) >= 3 and word.startswith(short)
        if usable and (word not in forms or len(short) < len(forms[word])):
            forms[word] = short
    return forms


# Not frozen, like the engine's other per-comparison records: mypyc makes a frozen dataclass
# through an interpreted __init__ (a Pair took 687 ns to make, now 225 ns).
@dataclass(slots=True)
class Pair:
    """Query words ``q`` (positions) aligned with registry-name words ``c``."""

    q: tuple[int, ...]
    c: tuple[int, ...]
    sim: float
    how: str
    weight: float


@dataclass(slots=True)
class Alignment:
    """The best one-to-one pairing of the words of two names, in any order."""

    pairs: list[Pair] = field(default_factory=list)
    query_cover: float = 0.0
    name_cover: float = 0.0
    distinct_agrees: bool = False
    name_has_distinct: bool = False
    cut_short: bool = False
    #: Every distinctive word of the name is in the input (sim >= WITHIN_SIM), among others.
    name_within: bool = False

    @property
    def score(self) -> float:
        if self.query_cover <= 0.0 or self.name_cover <= 0.0:
            return 0.0
        return float(self.query_cover**QUERY_EXPONENT * self.name_cover**NAME_EXPONENT)


#: Fewest single letters in a row read as an acronym written apart (three are a joined run).
MIN_INITIALS = 4


def initial_runs(tokens: tuple[str, ...]) -> list[tuple[int, ...]]:
    """Positions of each run of :data:`MIN_INITIALS` or more single letters in a row."""
    runs: list[tuple[int, ...]] = []
    start = -1
    for i in range(len(tokens) + 1):
        single = i < len(tokens) and len(tokens[i]) == 1 and tokens[i].isalpha()
        if single and start < 0:
            start = i
        elif not single and start >= 0:
            if i - start >= MIN_INITIALS:
                runs.append(tuple(range(start, i)))
            start = -1
    return runs


_INITIAL_RUNS: dict[tuple[str, ...], list[tuple[int, ...]]] = {}


def _initial_runs(tokens: tuple[str, ...]) -> list[tuple[int, ...]]:
    """:func:`initial_runs`, remembered (a query is aligned with many names)."""
    known = _INITIAL_RUNS.get(tokens)
    if known is None:
        known = remember(_INITIAL_RUNS, tokens, initial_runs(tokens), 1 << 12)
    return known


def is_han(surface: str, token: str) -> bool:
    """Whether a token was written in other than Latin letters (its surface)."""
    return surface != token and not surface.isascii()


_option_rank = itemgetter(0, 1)


def _identical(query: NormName, name: NormName, c_weights: list[float]) -> Alignment:
    """The alignment of two names with the same words in the same order: each with itself."""
    result = Alignment(name_has_distinct=DISTINCT in name.kinds)
    result.distinct_agrees = result.name_within = result.name_has_distinct
    result.pairs = [Pair((j,), (j,), 1.0, "same", w) for j, w in enumerate(c_weights)]
    if sum(c_weights) > 0.0:
        result.query_cover = result.name_cover = 1.0
    return result


@dataclass(slots=True)  # not frozen: see Pair
class JoinedRun:
    """Adjacent words of a name joined into one ("hik" "vision" as "hikvision")."""

    text: str  # the words joined (a registry name's in their short form, as joined words write)
    positions: tuple[int, ...]
    mask: int  # the positions as bits
    full: str  # the words joined in full


#: Per run size (2, then 3), the joined runs of a name's words.
_Runs = tuple[tuple[JoinedRun, ...], tuple[JoinedRun, ...]]
_RUNS: dict[tuple[tuple[str, ...], bool], _Runs] = {}
_NO_RUNS: _Runs = ((), ())


def _runs(tokens: tuple[str, ...], short: bool) -> _Runs:
    """Runs of 2 and of 3 adjacent words joined into one (registry words in their short form,
    as joined words write them). Remembered in a plain dict, as word likenesses are."""
    known = _RUNS.get((tokens, short))
    if known is None:
        known = remember(_RUNS, (tokens, short), _joined_runs(tokens, short), 1 << 16)
    return known


def _joined_runs(tokens: tuple[str, ...], short: bool) -> _Runs:
    forms = _short_forms()
    written = [forms.get(t, t) for t in tokens] if short else list(tokens)
    out = []
    for size in (2, 3):
        runs = []
        for i in range(len(tokens) - size + 1):
            full = "".join(tokens[i : i + size])
            joined = "".join(written[i : i + size]) if short else full
            runs.append(JoinedRun(joined, tuple(range(i, i + size)), ((1 << size) - 1) << i, full))
        out.append(tuple(runs))
    return out[0], out[1]


def align(
    query: NormName,
    name: NormName,
    q_weights: list[float],
    c_weights: list[float],
) -> Alignment:
    """Pair the words of ``query`` and ``name`` greedily, best pairs first.

    Adjacent words may be joined on either side ("Hik Vision" = "Hikvision", "Haikang Weishi"
    = 海康威视). A pair weighs what the registry name's words weigh; words left unpaired
    count against the coverage of their side.
    """
    qt, ct = query.tokens, name.tokens
    if qt == ct and not query.has_han and not name.has_han:
        return _identical(query, name, c_weights)
    nq, nc = len(qt), len(ct)
    last = nq - 1
    q_surf, c_surf = query.surfaces, name.surfaces
    # (similarity, size rank, query positions, name positions, how, query mask, name mask)
    options: list[tuple[float, int, tuple[int, ...], tuple[int, ...], str, int, int]] = []
    add = options.append
    field_cut = len(query.text.rstrip()) in FIELD_WIDTHS
    knowns = [likenesses_of(a, i == last) for i, a in enumerate(qt)]
    for i, a in enumerate(qt):
        is_last = i == last
        known = knowns[i]
        for j, b in enumerate(ct):
            if a == b:
                if is_han(q_surf[i], a) and is_han(c_surf[j], b) and q_surf[i] != c_surf[j]:
                    add((0.75, 2, (i,), (j,), "same pinyin, other characters", 1 << i, 1 << j))
                else:
                    add((1.0, 2, (i,), (j,), "same", 1 << i, 1 << j))
                continue
            sim, how = likeness(known, a, b, is_last)
            if sim == 0.0 and field_cut and is_last and b.startswith(a):
                sim, how = 0.9, "cut short"
            if sim > 0.0:
                add((sim, 2, (i,), (j,), how, 1 << i, 1 << j))
    q_runs = _runs(qt, False) if nq > 1 else _NO_RUNS
    c_runs = _runs(ct, True) if nc > 1 else _NO_RUNS
    for size in (2, 3):
        for run in q_runs[size - 2]:
            joined, span, mask = run.text, run.positions, run.mask
            first, shortest = joined[0], len(joined) - 2
            end_last = span[-1] == last
            known = likenesses_of(joined, end_last)
            for j, b in enumerate(ct):
                if first != b[0] or len(b) < shortest:
                    continue
                sim = likeness(known, joined, b, end_last)[0]
                if sim > 0.0:
                    add((sim, size + 1, span, (j,), "joined", mask, 1 << j))
        for run in c_runs[size - 2]:
            joined, span, mask, full = run.text, run.positions, run.mask, run.full
            first, shortest = joined[0], len(joined) - 2
            for i, a in enumerate(qt):
                if a == full and full != joined:  # "HighTechnology" for "High-Technology"
                    add((1.0, size + 1, (i,), span, "split", 1 << i, mask))
                    continue
                if first != a[0] or len(a) < shortest:
                    continue
                sim = likeness(knowns[i], a, joined, i == last)[0]
                if sim > 0.0:
                    add((sim, size + 1, (i,), span, "split", 1 << i, mask))
    if nq >= MIN_INITIALS:
        for span in _initial_runs(qt):  # an acronym written apart ("C E T C")
            joined = "".join(qt[i] for i in span)
            mask = ((1 << len(span)) - 1) << span[0]
            for j, b in enumerate(ct):
                if b == joined:
                    add((1.0, len(span) + 1, span, (j,), "initials joined", mask, 1 << j))
    # Best first, bigger spans first among equals; a stable sort keeps the rest in order.
    options.sort(key=_option_rank, reverse=True)
    used_q = used_c = 0
    full_q, full_c = (1 << nq) - 1, (1 << nc) - 1
    result = Alignment(name_has_distinct=DISTINCT in name.kinds)
    matched = 0.0
    kinds = name.kinds
    well = 0  # name words paired at WITHIN_SIM or better
    for sim, _, qs, cs, how, q_mask, c_mask in options:
        if used_q & q_mask or used_c & c_mask:
            continue
        used_q |= q_mask
        used_c |= c_mask
        if sim >= WITHIN_SIM:
            well |= c_mask
        weight = c_weights[cs[0]] if len(cs) == 1 else sum(c_weights[j] for j in cs)
        result.pairs.append(Pair(qs, cs, sim, how, weight))
        matched += weight * sim
        if not result.distinct_agrees and any(kinds[j] == DISTINCT for j in cs):
            result.distinct_agrees = True
        if used_q == full_q or used_c == full_c:
            break  # every word of one side is paired: nothing else can pair
    if result.distinct_agrees:
        result.name_within = all(well >> j & 1 for j in range(nc) if kinds[j] == DISTINCT)
    paired = sum(p.weight for p in result.pairs)
    q_rest = sum(q_weights[i] for i in range(nq) if not used_q >> i & 1)
    trailing: set[int] = set()
    if result.pairs and (
        field_cut or any(p.how == "cut short" and last in p.q for p in result.pairs)
    ):
        end = max(j for p in result.pairs for j in p.c)
        trailing = {j for j in range(end + 1, nc) if not used_c >> j & 1}
        result.cut_short = bool(trailing)
    shorter = q_rest == 0.0
    c_rest = 0.0
    for j in range(nc):
        if used_c >> j & 1:
            continue
        cost = 1.0
        if j in trailing:
            cost = CUT_COST
        elif shorter and name.kinds[j] != DISTINCT:
            # The input is a shorter form of the name: generic words it leaves out count less.
            cost = DROPPED_GENERIC_COST
        c_rest += c_weights[j] * cost
    if paired > 0.0:
        result.query_cover = matched / (paired + q_rest)
        result.name_cover = matched / (paired + c_rest)
    return result
