"""Match features: small functions comparing a query with one registry name.

Each feature's docstring is the explanation a user sees; each returns a
:class:`FeatureResult` (a score in 0..1 and a human-readable detail) or ``None`` when it
does not apply. :mod:`clearance.matching.score` declares which features an algorithm uses
and how they are weighted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from clearance.matching.alignment import Alignment, Pair, is_han
from clearance.matching.cantonese import reads_as_hk
from clearance.matching.likeness import KEYBOARD_TYPO, SOUND_ALIKE, VOWELS_DROPPED
from clearance.matching.normalise import NormName
from clearance.matching.persons import compare_persons
from clearance.matching.romanised import han_without_legal, reads_as
from clearance.matching.words import DISTINCT, GENERIC, LEGAL, PLACE

__all__ = [
    "Context",
    "FeatureResult",
    "chinese_reading",
    "country_agrees",
    "country_differs",
    "exact_name",
    "generic_words_only",
    "hong_kong_reading",
    "identifier_agrees",
    "legal_form_differs",
    "name_within",
    "name_words",
    "person_name",
    "pinyin_reading",
    "short_word_only",
]


@dataclass(slots=True)  # not frozen: see alignment.Pair
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
    #: The registry name as written when it is a person's (its names are compared as
    #: people's names), else empty.
    person_name: str = ""
    #: The pinyin letters the query spells when it is a name in pinyin
    #: (:func:`~clearance.matching.romanised.latin_reading`), else empty.
    query_reading: str = ""
    #: The query's syllables when it is written in Hong Kong's romanisation of Cantonese
    #: (:func:`~clearance.matching.cantonese.hk_syllables`), else empty.
    query_cantonese: tuple[str, ...] = ()


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
        q_han = any(is_han(ctx.query.surfaces[i], ctx.query.tokens[i]) for i in pair.q)
        c_han = any(is_han(ctx.name.surfaces[j], ctx.name.tokens[j]) for j in pair.c)
        if q_han == c_han or ctx.name.kinds[pair.c[0]] != DISTINCT:
            continue
        han, latin = (
            (_surface(ctx.query, pair.q), _surface(ctx.name, pair.c))
            if q_han
            else (_surface(ctx.name, pair.c), _surface(ctx.query, pair.q))
        )
        bridges.append(f"{han} = {latin}")
    if not bridges:
        return None

    def why() -> str:
        written = ctx.matched_name if ctx.name.has_han else ctx.query.text
        return f"pinyin of {written}: {'; '.join(bridges)}"

    return FeatureResult(ctx.alignment.score, why)


def chinese_reading(ctx: Context) -> FeatureResult | None:
    """The input, a name in pinyin (in words, syllables, joined, with tones or apostrophes),
    spells the registered name in Chinese characters as a whole, its legal form aside,
    however its words were cut and whichever reading of a character it took."""
    han = _spelt_han(ctx)
    if han is None:
        return None
    return FeatureResult(1.0, lambda: f"{ctx.query.text!r} is the pinyin of {han}")


def hong_kong_reading(ctx: Context) -> FeatureResult | None:
    """The input, a name in Hong Kong's romanisation of Cantonese (Cheung Kong), spells the
    registered name in Chinese characters syllable by syllable, with or without its legal
    form."""
    if not ctx.query_cantonese or not ctx.name.has_han:
        return None
    han = _spelt_in_cantonese(ctx)
    if han is None:
        return None
    return FeatureResult(1.0, lambda: f"{ctx.query.text!r} is the Hong Kong romanisation of {han}")


def _spelt_in_cantonese(ctx: Context) -> str | None:
    for han in (ctx.name.text, han_without_legal(ctx.name.text)):
        if reads_as_hk(ctx.query_cantonese, han):
            return han
    return None


def _spelt_han(ctx: Context) -> str | None:
    """The registered Han name (legal form aside) the query spells in pinyin or in Hong
    Kong's romanisation, or ``None``."""
    if not ctx.name.has_han:
        return None
    if ctx.query_cantonese and _spelt_in_cantonese(ctx) is not None:
        return ctx.name.text
    if not ctx.query_reading:
        return None
    han = han_without_legal(ctx.name.text)
    return han if reads_as(ctx.query_reading, han) else None


def person_name(ctx: Context) -> FeatureResult | None:
    """The names are a person's: their parts agree in any order (surname first or last),
    spellings, scripts and nicknames of one given name alike, initials for names; a middle
    name or patronymic only one name has counts little, parts that differ count against, and
    a surname alone is at most a review."""
    if not ctx.person_name:
        return None
    match, query, name = compare_persons(ctx.query.text, ctx.person_name)
    if not match.pairs:
        return None
    return FeatureResult(match.score, lambda: match.explanation(query, name))


def generic_words_only(ctx: Context) -> FeatureResult | None:
    """Only generic words (places, trade words, legal forms) agree, none that names a party;
    a name made of generic words alone agrees only when written whole, with nothing else
    beside it ("China Electronics Technology Group" is that name, "China Electronics
    Technology Innovation" is not)."""
    al = ctx.alignment
    if not al.pairs or al.distinct_agrees or _spelt_han(ctx) is not None:
        return None
    if al.name_has_distinct or not _same_words(ctx):
        return FeatureResult(1.0, "only generic words agree")
    return None


def _same_words(ctx: Context) -> bool:
    """Whether every word of both names but legal forms is paired with one of the other."""
    used_q = {i for p in ctx.alignment.pairs for i in p.q}
    used_c = {j for p in ctx.alignment.pairs for j in p.c}
    return all(i in used_q for i, k in enumerate(ctx.query.kinds) if k != LEGAL) and all(
        j in used_c for j, k in enumerate(ctx.name.kinds) if k != LEGAL
    )


#: The least weight the distinctive words of a name must carry to alert when written within
#: a longer input (a word held by hundreds of names weighs half: idf_factor).
WITHIN_WEIGHT = 0.6


def name_within(ctx: Context) -> FeatureResult | None:
    """Every distinctive word of the listed name is in the input, among other words ("Acme
    Hikvision Reseller", "Hikvision Dahua"): at least a review, as another word beside a
    listed name does not make it another party. Not when the words beside it are a place and
    a trade of their own, as a Chinese company's registered name has them (Shanghai Dahua
    Scale Factory is not Zhejiang Dahua)."""
    al = ctx.alignment
    if not al.name_within:
        return None
    used = {i for p in al.pairs for i in p.q}
    rest = "".join(k for i, k in enumerate(ctx.query.kinds) if i not in used and k != LEGAL)
    if not rest:
        return None  # nothing else beside it: name_words says how alike they are
    if PLACE in rest and GENERIC in rest:
        return None  # a company's own name (place, trade name, trade): 上海大华衡器厂
    weight = sum(p.weight for p in al.pairs if any(ctx.name.kinds[j] == DISTINCT for j in p.c))
    if weight < WITHIN_WEIGHT:
        return None
    return FeatureResult(
        1.0, lambda: f"the input holds every distinctive word of {ctx.matched_name!r}"
    )


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
    if _spelt_han(ctx) is not None:
        return None  # the input spells the whole Han name
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
