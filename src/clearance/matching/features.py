"""Match features: small functions comparing a query with one registry name.

Each feature's docstring is the explanation a user sees; each returns a
:class:`FeatureResult` (a score in 0..1 and a human-readable detail) or ``None`` when it
does not apply. :mod:`clearance.matching.score` declares which features an algorithm uses
and how they are weighted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

from rapidfuzz.distance import OSA

from clearance.matching.memo import remember
from clearance.matching.normalise import NormName
from clearance.matching.spelling import (
    keyboard_typo,
    singular,
    skeleton,
    sound_key,
    vowels_dropped,
)
from clearance.matching.words import DISTINCT, LEGAL, word_lists

__all__ = [
    "Alignment",
    "Context",
    "FeatureResult",
    "Pair",
    "align",
    "country_agrees",
    "country_differs",
    "exact_name",
    "generic_words_only",
    "identifier_agrees",
    "legal_form_differs",
    "name_words",
    "pinyin_reading",
    "token_similarity",
]


_DOUBLES = re.compile(r"(.)\1+")


@lru_cache(maxsize=1)
def _short_forms() -> dict[str, str]:
    """Word -> its shortest abbreviation as written inside joined words ("Hightech")."""
    forms: dict[str, str] = {}
    for short, word in word_lists().abbreviations.items():
        usable = short.isalpha() and len(short) >= 3 and word.startswith(short)
        if usable and (word not in forms or len(short) < len(forms[word])):
            forms[word] = short
    return forms


def _ocr(word: str) -> str:
    return word.replace("rn", "m").replace("cl", "d").replace("vv", "w")


_INNER_VOWEL = re.compile(r"[aeiou]")

#: How much one edit costs, as a share of the word's length (one typo in 8 letters: 0.925).
TYPO_COST = 0.6
#: Exponents of the input's and the registry name's word coverage in the name score.
QUERY_EXPONENT, NAME_EXPONENT = 0.55, 0.45
#: What a generic word of the registry name costs when the input is a shorter form of it.
DROPPED_GENERIC_COST = 0.5
#: Input lengths that suggest a name cut short by a fixed-width field (trailing space stripped).
FIELD_WIDTHS = frozenset({19, 20, 34, 35})
#: What a word of the registry name costs when it lies past the end of a cut-short input.
CUT_COST = 0.2
#: How alike words spelt differently but sounding the same are ("Fenix", "Phenix"); in words
#: of five letters or fewer, as with one edit, 0.75.
SOUND_ALIKE_SCORE = 0.9
#: How alike a word and the same word without its inner vowels are ("AVC", "AVIC").
VOWELS_DROPPED_SCORE = 0.85
# How the likenesses that are no accident are explained (short_word_only lets them alert).
KEYBOARD_TYPO, SOUND_ALIKE, VOWELS_DROPPED = (
    "1 keyboard-neighbour typo",
    "sound-alike spelling",
    "vowels dropped",
)


@dataclass(slots=True)  # not frozen: see Pair
class FeatureResult:
    """What a feature found: a score in 0..1 and why, in words.

    ``why`` is the text, or a function returning it: most comparisons end below the review
    threshold and their words are never read, so features may defer writing them.
    """

    score: float
    why: str | Callable[[], str]

    @property
    def detail(self) -> str:
        """Why the feature fired, in words."""
        return self.why if isinstance(self.why, str) else self.why()


@dataclass(slots=True)  # not frozen: see Pair
class _Spellings:
    """The forms of one word that the likenesses of :func:`token_similarity` compare."""

    sound: str  # sound-alike spellings unified
    collapsed: str  # doubled letters once
    doubled: bool  # has doubled letters
    singular: str
    ocr: str  # as OCR misreads it
    skeleton: str
    inner_vowel: bool  # a vowel between its first and last letters
    dropped: str  # without its inner vowels


_SPELLINGS: dict[str, _Spellings] = {}


def _spellings(word: str) -> _Spellings:
    """The forms of ``word`` (remembered: each word meets many others)."""
    found = _SPELLINGS.get(word)
    if found is None:
        collapsed = _DOUBLES.sub(r"\1", word)
        found = _Spellings(
            sound=sound_key(word),
            collapsed=collapsed,
            doubled=collapsed != word,
            singular=singular(word),
            ocr=_ocr(word),
            skeleton=skeleton(word),
            inner_vowel=_INNER_VOWEL.search(word[1:-1]) is not None,
            dropped=vowels_dropped(word),
        )
        remember(_SPELLINGS, word, found, 1 << 18)
    return found


#: Word likenesses already found: per word (and whether it ends the input), per word it was
#: compared with, the :func:`token_similarity` result. Plain dicts, not LRU caches: a hit reads
#: the entry without reordering a shared list, so forked workers do not copy the pages of
#: entries they reuse. Alignment looks a query word's pairs up in its own dict directly.
_ENDING: dict[str, dict[str, tuple[float, str]]] = {}
_INNER: dict[str, dict[str, tuple[float, str]]] = {}
_REMEMBERED = 1 << 20  # words and pairs; then both memos start over
_stored = [0]  # words and pairs remembered
_UNLIKE = (0.0, "")  # most pairs: one shared result


def _make_room() -> None:
    if _stored[0] >= _REMEMBERED:
        _ENDING.clear()
        _INNER.clear()
        _stored[0] = 0
    _stored[0] += 1


def likenesses_of(word: str, last: bool) -> dict[str, tuple[float, str]]:
    """The likenesses found so far of ``word`` (ending the input or not) to other words."""
    memo = _ENDING if last else _INNER
    known = memo.get(word)
    if known is None:
        _make_room()
        known = memo[word] = {}
    return known


def _likeness(
    known: dict[str, tuple[float, str]], a: str, b: str, a_is_last: bool
) -> tuple[float, str]:
    """:func:`token_similarity` of ``a`` and ``b``, ``known`` being ``a``'s likenesses."""
    found = known.get(b)
    if found is None:
        found = _similarity(a, b, a_is_last)
        if found[0] == 0.0:
            found = _UNLIKE
        _make_room()  # (if the memos start over, this pair is kept by the caller's dict only)
        known[b] = found
    return found


def token_similarity(a: str, b: str, a_is_last: bool = False) -> tuple[float, str]:
    """How alike two normalised words are (0 when not alike enough to count), and how.

    Equal words score 1; an initial standing for a word 0.8; a query word cut short at the
    end of the name (truncation) 0.9; the same sounds spelt differently (c, k and q; s and z;
    i and y; ph and f; kh and h: "Fenix" for "Phenix") 0.9, in a word of five letters or
    fewer 0.75 and with only one letter changed ("KALB" for "CALB", not "KSK" for "CSSC");
    doubled letters collapsed 0.9; one edit (two from 9 letters, three from 13)
    1 - 0.6 x edits/length, in a short word 0.75, called a keyboard-neighbour typo when one
    letter was replaced by a key next to it ("AVOC" for "AVIC", also in two-letter words); an
    input word written without the inner vowels of the name's 0.85 ("AVC" for "AVIC", not
    "Zite" for "ZTE"); a word without vowels whose consonants sound like the other's 0.85
    ("Hkvzn" for "Hikvision").
    """
    return _likeness(likenesses_of(a, a_is_last), a, b, a_is_last)


def _similarity(a: str, b: str, a_is_last: bool) -> tuple[float, str]:
    if a == b:
        return 1.0, "same"
    la, lb = len(a), len(b)
    if la == 1 or lb == 1:
        short, long_ = (a, b) if la == 1 else (b, a)
        if len(long_) > 1 and long_.startswith(short):
            return 0.8, "initial"
        return 0.0, ""
    if a_is_last and la >= 5 and lb > la and b.startswith(a):
        return 0.9, "cut short"
    longest = max(la, lb)
    edit = (0.0, "")
    if longest >= 3 and abs(la - lb) <= 2:
        allowed = 1 if longest <= 8 else (2 if longest <= 12 else 3)
        dist = OSA.distance(a, b, score_cutoff=allowed)
        if dist <= allowed:
            # one letter of a short word matters more
            value = 1.0 - TYPO_COST * dist / longest if longest >= 6 else 0.75
            edit = (value, f"{dist} edit{'s' if dist > 1 else ''}")
    if (edit[0] > 0.0 or longest == 2) and keyboard_typo(a, b):
        edit = (edit[0] or 0.75, KEYBOARD_TYPO)
    sa, sb = _spellings(a), _spellings(b)
    if sa.sound == sb.sound and sa.collapsed != sb.collapsed:
        if longest >= 6:
            return max(SOUND_ALIKE_SCORE, edit[0]), SOUND_ALIKE
        if OSA.distance(a, b, score_cutoff=1) <= 1:  # in a short word, one letter only
            return 0.75, SOUND_ALIKE
    if edit[0] >= VOWELS_DROPPED_SCORE:
        return edit
    # the input is the word without its vowels (an acronym spelt with vowels is another word)
    if 2 <= la < lb and lb >= 4 and not sa.inner_vowel and sb.dropped == a:
        return VOWELS_DROPPED_SCORE, VOWELS_DROPPED
    if edit[0] > 0.0:
        return edit
    if a[0] != b[0] and not (a[0] in "ckq" and b[0] in "ckq") and a[0] not in "rc":
        return 0.0, ""  # every other likeness below keeps the first letter
    if sa.singular == sb.singular:
        return 0.97, "plural"
    if sa.ocr == sb.ocr:
        return 0.9, "OCR confusion"
    if (sa.doubled or sb.doubled) and sa.collapsed == sb.collapsed:
        return 0.9, "doubled letters"
    # the same consonants, the shorter word written without inner vowels
    same_skeleton = min(la, lb) >= 4 and len(sa.skeleton) >= 3 and sa.skeleton == sb.skeleton
    if same_skeleton and not (sa if la <= lb else sb).inner_vowel:
        return VOWELS_DROPPED_SCORE, "consonants alike"
    return 0.0, ""


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

    @property
    def score(self) -> float:
        if self.query_cover <= 0.0 or self.name_cover <= 0.0:
            return 0.0
        return float(self.query_cover**QUERY_EXPONENT * self.name_cover**NAME_EXPONENT)


def _is_han(surface: str, token: str) -> bool:
    return surface != token and not surface.isascii()


_option_rank = itemgetter(0, 1)


def _identical(query: NormName, name: NormName, c_weights: list[float]) -> Alignment:
    """The alignment of two names with the same words in the same order: each with itself."""
    result = Alignment(name_has_distinct=DISTINCT in name.kinds)
    result.distinct_agrees = result.name_has_distinct
    result.pairs = [Pair((j,), (j,), 1.0, "same", w) for j, w in enumerate(c_weights)]
    if sum(c_weights) > 0.0:
        result.query_cover = result.name_cover = 1.0
    return result


_Spans = tuple[tuple[tuple[str, tuple[int, ...], int, str], ...], ...]
_SPANS: dict[tuple[tuple[str, ...], bool], _Spans] = {}


def _spans(tokens: tuple[str, ...], short: bool) -> _Spans:
    """Runs of 2 and of 3 adjacent words joined into one (registry words in their short form,
    as joined words write them): per size, (joined text, positions, position mask, the words
    joined in full). Remembered in a plain dict, as word likenesses are."""
    found = _SPANS.get((tokens, short))
    if found is None:
        found = remember(_SPANS, (tokens, short), _joined_runs(tokens, short), 1 << 16)
    return found


def _joined_runs(tokens: tuple[str, ...], short: bool) -> _Spans:
    forms = _short_forms()
    written = [forms.get(t, t) for t in tokens] if short else list(tokens)
    out = []
    for size in (2, 3):
        runs = []
        for i in range(len(tokens) - size + 1):
            full = "".join(tokens[i : i + size])
            joined = "".join(written[i : i + size]) if short else full
            runs.append((joined, tuple(range(i, i + size)), ((1 << size) - 1) << i, full))
        out.append(tuple(runs))
    return tuple(out)


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
                if _is_han(q_surf[i], a) and _is_han(c_surf[j], b) and q_surf[i] != c_surf[j]:
                    add((0.75, 2, (i,), (j,), "same pinyin, other characters", 1 << i, 1 << j))
                else:
                    add((1.0, 2, (i,), (j,), "same", 1 << i, 1 << j))
                continue
            sim, how = _likeness(known, a, b, is_last)
            if sim == 0.0 and field_cut and is_last and b.startswith(a):
                sim, how = 0.9, "cut short"
            if sim > 0.0:
                add((sim, 2, (i,), (j,), how, 1 << i, 1 << j))
    q_spans = _spans(qt, False) if nq > 1 else ((), ())
    c_spans = _spans(ct, True) if nc > 1 else ((), ())
    for size in (2, 3):
        for joined, span, mask, _full in q_spans[size - 2]:
            first, shortest = joined[0], len(joined) - 2
            end_last = span[-1] == last
            known = likenesses_of(joined, end_last)
            for j, b in enumerate(ct):
                if first != b[0] or len(b) < shortest:
                    continue
                sim = _likeness(known, joined, b, end_last)[0]
                if sim > 0.0:
                    add((sim, size + 1, span, (j,), "joined", mask, 1 << j))
        for joined, span, mask, full in c_spans[size - 2]:
            first, shortest = joined[0], len(joined) - 2
            for i, a in enumerate(qt):
                if a == full and full != joined:  # "HighTechnology" for "High-Technology"
                    add((1.0, size + 1, (i,), span, "split", 1 << i, mask))
                    continue
                if first != a[0] or len(a) < shortest:
                    continue
                sim = _likeness(knowns[i], a, joined, i == last)[0]
                if sim > 0.0:
                    add((sim, size + 1, (i,), span, "split", 1 << i, mask))
    # Best first, bigger spans first among equals; a stable sort keeps the rest in order.
    options.sort(key=_option_rank, reverse=True)
    used_q = used_c = 0
    full_q, full_c = (1 << nq) - 1, (1 << nc) - 1
    result = Alignment(name_has_distinct=DISTINCT in name.kinds)
    matched = 0.0
    kinds = name.kinds
    for sim, _, qs, cs, how, q_mask, c_mask in options:
        if used_q & q_mask or used_c & c_mask:
            continue
        used_q |= q_mask
        used_c |= c_mask
        weight = c_weights[cs[0]] if len(cs) == 1 else sum(c_weights[j] for j in cs)
        result.pairs.append(Pair(qs, cs, sim, how, weight))
        matched += weight * sim
        if not result.distinct_agrees and any(kinds[j] == DISTINCT for j in cs):
            result.distinct_agrees = True
        if used_q == full_q or used_c == full_c:
            break  # every word of one side is paired: nothing else can pair
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


@dataclass(slots=True)
class Context:
    """Everything a feature may look at for one (query, registry name) comparison."""

    query: NormName
    name: NormName
    matched_name: str
    alignment: Alignment
    query_countries: frozenset[str] = frozenset()
    entity_countries: frozenset[str] = frozenset()
    query_identifiers: frozenset[str] = frozenset()
    entity_identifiers: dict[str, str] = field(default_factory=dict)


def _surface(name: NormName, positions: tuple[int, ...]) -> str:
    parts = [name.surfaces[p] for p in positions]
    if all(not s.isascii() for s in parts):
        return "".join(parts)
    return " ".join(parts)


def _pair_text(ctx: Context, pair: Pair) -> str:
    left = _surface(ctx.query, pair.q)
    right = _surface(ctx.name, pair.c)
    if pair.how == "same" and left == right:
        return left
    return f"{left} ≈ {right} ({pair.how})" if pair.how != "same" else f"{left} = {right}"


def exact_name(ctx: Context) -> FeatureResult | None:
    """The two names are the same once case, accents, punctuation, scripts and legal forms
    are normalised."""
    if ctx.query.tokens and ctx.query.tokens == ctx.name.tokens:
        return FeatureResult(1.0, lambda: f"same name as {ctx.matched_name!r} after normalisation")
    return None


def name_words(ctx: Context) -> FeatureResult | None:
    """Share of the distinctive words of both names that agree, in any order, allowing typos,
    joined or split words and dropped generic words (places, "technology", legal forms)."""
    al = ctx.alignment
    if not al.pairs:
        return None

    def why() -> str:
        distinct = [p for p in al.pairs if any(ctx.name.kinds[j] == DISTINCT for j in p.c)]
        shown = distinct or al.pairs
        words = ", ".join(_pair_text(ctx, p) for p in shown)
        extra = len(al.pairs) - len(shown)
        tail = f" (+{extra} generic word{'s' if extra > 1 else ''})" if extra > 0 else ""
        return (
            f"words agree with {ctx.matched_name!r}: {words}{tail}; "
            f"coverage {al.query_cover:.2f} of the input, {al.name_cover:.2f} of the name"
        )

    return FeatureResult(al.score, why)


def pinyin_reading(ctx: Context) -> FeatureResult | None:
    """A name in Chinese characters reads, in pinyin, as the name in Latin letters."""
    if not (ctx.query.has_han or ctx.name.has_han):
        return None
    bridges = []
    for pair in ctx.alignment.pairs:
        q_han = any(_is_han(ctx.query.surfaces[i], ctx.query.tokens[i]) for i in pair.q)
        c_han = any(_is_han(ctx.name.surfaces[j], ctx.name.tokens[j]) for j in pair.c)
        if q_han == c_han or ctx.name.kinds[pair.c[0]] != DISTINCT:
            continue
        han, latin = (
            (_surface(ctx.query, pair.q), _surface(ctx.name, pair.c))
            if q_han
            else (_surface(ctx.name, pair.c), _surface(ctx.query, pair.q))
        )
        bridges.append(f"pinyin of {han} equals {latin}")
    if not bridges:
        return None
    return FeatureResult(ctx.alignment.score, "; ".join(bridges))


def generic_words_only(ctx: Context) -> FeatureResult | None:
    """Only generic words (places, trade words, legal forms) agree, none that names a party."""
    al = ctx.alignment
    if al.pairs and al.name_has_distinct and not al.distinct_agrees:
        return FeatureResult(1.0, "only generic words agree")
    return None


_GLYPHS = str.maketrans("l10582", "iiosbz")

#: A word this short that agrees only approximately is too weak to alert on by itself.
SHORT_WORD = 5
# Likenesses of short words that are rarely an accident (from three letters up).
_NO_ACCIDENT = frozenset({KEYBOARD_TYPO, SOUND_ALIKE, VOWELS_DROPPED})


def short_word_only(ctx: Context) -> FeatureResult | None:
    """The only agreement is one short word (five letters or fewer) that is merely alike,
    as with acronyms one letter apart (CITC and CETC) or with the same consonants (Cisco and
    CSSC): too weak to alert on by itself. Likenesses that are rarely an accident still
    count: the same letters transposed (CALT for CATL), a misread glyph (AVlC for AVIC), and
    in a name that is that word alone (legal forms aside) one letter replaced by its keyboard
    neighbour (AVOC for AVIC), a sound-alike spelling (KALB for CALB) or dropped vowels (AVC
    for AVIC)."""
    pairs = ctx.alignment.pairs
    if len(pairs) != 1 or pairs[0].how == "same" or len(ctx.query.tokens) != len(pairs[0].q):
        return None
    words = [ctx.query.tokens[i] for i in pairs[0].q] + [ctx.name.tokens[j] for j in pairs[0].c]
    longest = max(len(w) for w in words)
    edit = pairs[0].how.endswith(("edit", "edits"))
    if longest > (SHORT_WORD - 1 if edit else SHORT_WORD):
        return None  # one edit in five letters (XEMIC for ZEMIC) still counts
    whole = all(k == LEGAL for j, k in enumerate(ctx.name.kinds) if j not in pairs[0].c)
    if pairs[0].how in _NO_ACCIDENT and whole and min(len(w) for w in words) >= 3:
        return None  # a likely slip in a whole short name (AVOC for AVIC, not STH for South)
    mine = "".join(ctx.query.tokens[i] for i in pairs[0].q)
    theirs = "".join(ctx.name.tokens[j] for j in pairs[0].c)
    if sorted(mine) == sorted(theirs):
        return None  # the same letters transposed (CALT for CATL) is a typo, not another name
    if mine.translate(_GLYPHS) == theirs.translate(_GLYPHS):
        return None  # a misread glyph (AVlC for AVIC) is not another name
    return FeatureResult(1.0, f"only a short word is alike, not equal: {_pair_text(ctx, pairs[0])}")


def legal_form_differs(ctx: Context) -> FeatureResult | None:
    """Both names carry a legal form (AG, GmbH, LLC, JSC …) and the forms differ."""
    if ctx.query.has_han or ctx.name.has_han:
        return None  # translations of legal forms are too loose to compare across scripts
    if LEGAL not in ctx.query.kinds or LEGAL not in ctx.name.kinds:
        return None
    mine = {t for t, k in zip(ctx.query.tokens, ctx.query.kinds, strict=True) if k == LEGAL}
    theirs = {t for t, k in zip(ctx.name.tokens, ctx.name.kinds, strict=True) if k == LEGAL}
    if mine and theirs and not mine & theirs:
        return FeatureResult(
            1.0, f"different legal forms: {', '.join(sorted(mine))} / {', '.join(sorted(theirs))}"
        )
    return None


def country_agrees(ctx: Context) -> FeatureResult | None:
    """The input's country is one of the entity's countries."""
    common = ctx.query_countries & ctx.entity_countries
    if common:
        return FeatureResult(1.0, f"same country: {', '.join(sorted(common))}")
    return None


def country_differs(ctx: Context) -> FeatureResult | None:
    """The input names countries and none of them is one of the entity's."""
    query, entity = ctx.query_countries, ctx.entity_countries
    if query and entity and not query & entity:
        return FeatureResult(
            1.0,
            f"different countries: {', '.join(sorted(query))} / {', '.join(sorted(entity))}",
        )
    return None


def identifier_agrees(ctx: Context) -> FeatureResult | None:
    """An identifier given with the input (registration number, USCC, LEI …) is the entity's."""
    for value in ctx.query_identifiers:
        scheme = ctx.entity_identifiers.get(value)
        if scheme is not None:
            return FeatureResult(1.0, f"same identifier: {scheme} {value}")
    return None
