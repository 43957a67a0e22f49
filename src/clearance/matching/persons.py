"""Person names compared part by part: how alike two names of people are.

Company names and people's names differ in what makes them the same: a company keeps its
distinctive word, a person keeps a given name and a surname but may be written with or
without middle names and patronymics ("Ramzan Akhmatovich Kadyrov", "Ramzan Kadyrov"),
surname first ("KADYROV, Ramzan"), with initials ("J. R. R. Tolkien") or in another
transliteration ("Jewgeni", "Yevgeny"; "Houthi", "Huthi"; "Alexei", "Aleksey"). So the
parts of the two names (:mod:`clearance.matching.person_parts`) are paired one to one in any
order, best pairs first, and scored:

* a part the other name lacks (a middle name, a patronymic, a second surname) costs little
  (:data:`EXTRA_COST`): one name says more than the other;
* parts left unpaired on both sides are different names (Akhmat Kadyrov is not Ramzan
  Kadyrov): each costs its full weight (:data:`DIFFERENT_COST`);
* a character (a syllable) more or less in a name in Han characters or Hangul is a different
  name, not a middle name;
* a name resting on one part alone, when the other has more, is at most a review
  (:data:`ONE_PART_CAP`): many people share a surname;
* in names with a patronymic link ("Hamad bin Khalifa"), the person's own name is not
  paired with the father's: "Hamad bin Khalifa" is not "Khalifa bin Hamad".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from clearance.matching.person_parts import (
    INITIAL_WEIGHT,
    PART_WEIGHT,
    PersonName,
    PersonPart,
    person_name,
)

__all__ = [
    "DIFFERENT_COST",
    "EXTRA_COST",
    "LEAST_ALIKE",
    "ONE_PART_CAP",
    "PartPair",
    "PersonMatch",
    "compare_persons",
    "part_likeness",
    "transliteration_key",
]

#: What each unit of weight of a part only one name has costs (a middle name, a patronymic).
EXTRA_COST = 0.1
#: What each unit of weight of parts unpaired on both sides costs (different names).
DIFFERENT_COST = 1.0
#: The highest score of a match resting on one name part when either name has more.
ONE_PART_CAP = 0.7
#: What the parts paired must weigh not to be capped: a name and an initial at least
#: ("R. Kadyrov"), not a surname alone ("Kadyrov").
ENOUGH_EVIDENCE = PART_WEIGHT + INITIAL_WEIGHT
#: What one edit costs, as a share of the longer part's length.
EDIT_COST = 1.0
#: Parts this long may differ in their first letter by one typo.
TYPO_FIRST_LETTER = 6
#: Parts less alike than this are different names (1 - edits / length of the longer).
LEAST_ALIKE = 0.6
#: How alike two transliterations of one name are (alike once folded: Omar, Umar).
SAME_NAME = 0.9
#: How alike two spellings that sound the same are (when spelt alike enough to pair).
SOUNDS_ALIKE = 0.85
#: How alike an initial is to a name it begins.
INITIAL = 0.8
#: Parts joined ("Kady rov", "RamzanKadyrov") must be this alike to the part they stand for.
JOINED_ALIKE = 0.8


@dataclass(slots=True)
class PartPair:
    """Parts of the query (positions ``q``) paired with parts of the name (``c``)."""

    q: tuple[int, ...]
    c: tuple[int, ...]
    sim: float
    how: str
    weight: float
    evidence: float  # the weight of the parts of the longer side (joined parts count each)


@dataclass(slots=True)
class PersonMatch:
    """The score of two persons' names, the parts paired and those left over."""

    score: float
    pairs: list[PartPair]
    extra: list[str]  # parts only one name has
    different: list[str]  # parts unpaired on both sides
    capped: bool  # one part only agrees

    def explanation(self, query: PersonName, name: PersonName) -> str:
        """Why the names scored as they did, in words."""
        shown = []
        for pair in self.pairs:
            left = _written(query.parts[i].surface for i in pair.q)
            right = _written(name.parts[j].surface for j in pair.c)
            shown.append(left if pair.how == "same" else f"{left} ≈ {right} ({pair.how})")
        text = f"name parts agree with {name.text!r}: {', '.join(shown)}"
        if self.extra:
            text += f"; only one name has {', '.join(self.extra)}"
        if self.different:
            text += f"; different parts: {', '.join(self.different)}"
        if self.capped:
            text += "; one name part alone agrees"
        return text


def _written(surfaces: Iterable[str]) -> str:
    """Parts as written: Latin words apart, Han characters together."""
    parts = list(surfaces)
    return " ".join(parts) if any(s.isascii() for s in parts) else "".join(parts)


def part_likeness(a: PersonPart, b: PersonPart) -> tuple[float, str]:
    """How alike two parts are (0 when they are different names), and how."""
    if a.kind == "particle" or b.kind == "particle":
        if a.kind == b.kind and a.text == b.text:
            return 1.0, "same"
        return 0.0, ""
    if a.kind == "syllable" and b.kind == "syllable":
        # Characters of one reading are different names (高市 and 高石 both read gaoshi).
        return (1.0, "same") if a.surface == b.surface else (0.0, "")
    if a.text == b.text:
        return 1.0, "same"
    if a.kind == "initial" or b.kind == "initial":
        short, long_ = (a, b) if a.kind == "initial" else (b, a)
        if long_.kind != "initial" and long_.text.startswith(short.text):
            return INITIAL, "initial"
        return 0.0, ""
    return _text_likeness(a.text, b.text)


def _text_likeness(a: str, b: str) -> tuple[float, str]:
    alike = _edit_likeness(a, b)
    fa, fb = transliteration_key(a), transliteration_key(b)
    if fa == fb:
        return max(alike, SAME_NAME), "same name, other transliteration"
    folded = _edit_likeness(fa, fb) * TRANSLIT_FACTOR
    if max(alike, folded) < LEAST_ALIKE:
        return 0.0, ""
    if alike >= LEAST_ALIKE and _metaphone(a) == _metaphone(b):
        return max(alike, SOUNDS_ALIKE), "sounds alike"
    if folded > alike:
        return folded, "other transliteration, spelt alike"
    return alike, "spelt alike"


#: Letters that transliterations of one name write differently (German, French, English and
#: Slavic romanisations of Cyrillic; Arabic and Chinese romanisations), each folded to one:
#: W/V (Wiktor, Viktor), Q/K/C (Qasim, Kasim), KS/X (Aleksey, Alexei), Z/S and X/SH/S (Xu,
#: Shu), J/Y/I (Jurij, Yuriy), KH/H, PH/F, and the vowels written for the same sound (O/U:
#: Omar, Umar; EY/EI/AI/AY: Sheikh, Shaikh; E/I/Y); doubled letters once.
_TRANSLIT_FOLDS = (
    ("ks", "x"),
    ("ey", "ei"),
    ("ei", "ai"),
    ("sch", "s"),
    ("sh", "s"),
    ("zh", "y"),
    ("kh", "h"),
    ("ph", "f"),
    ("ck", "k"),
    ("dj", "y"),
    ("w", "v"),
    ("q", "k"),
    ("c", "k"),
    ("x", "s"),
    ("z", "s"),
    ("j", "y"),
    ("y", "i"),
    ("e", "i"),
    ("o", "u"),
)
#: How alike parts alike only once folded are, as a share of their folded likeness.
TRANSLIT_FACTOR = 0.9


@lru_cache(maxsize=100_000)
def transliteration_key(word: str) -> str:
    """``word`` with the letters transliterations write differently folded to one (see
    :data:`_TRANSLIT_FOLDS`) and doubled letters written once: "Wolodymyr" and "Volodymyr",
    "Sheikh" and "Shaikh", "Xu" and "Shu" fold alike."""
    for old, new in _TRANSLIT_FOLDS:
        word = word.replace(old, new)
    return "".join(c for i, c in enumerate(word) if i == 0 or word[i - 1] != c)


@lru_cache(maxsize=100_000)
def _metaphone(word: str) -> str:
    from rigour.text.phonetics import metaphone

    return str(metaphone(word))


def _edit_likeness(a: str, b: str) -> float:
    """1 - edits / length of the longer part, for parts of three letters or more that begin
    alike (with the same letter, or both with a vowel: Omar, Umar), or that are one typo
    apart in :data:`TYPO_FIRST_LETTER` letters or more (Kadyrov, Jadyrov; aRmzan)."""
    longest = max(len(a), len(b))
    if longest < 3 or not a or not b:  # a part that folds to nothing (ɿ) is alike nothing
        return 0.0
    other_start = a[0] != b[0] and not (a[0] in "aeiouy" and b[0] in "aeiouy")
    if other_start and (longest < TYPO_FIRST_LETTER or OSA.distance(a, b, score_cutoff=1) > 1):
        return 0.0  # Dina is not Nina
    return 1.0 - EDIT_COST * OSA.distance(a, b) / longest


# (similarity, parts spanned, query positions, name positions, how)
_Option = tuple[float, int, tuple[int, ...], tuple[int, ...], str]


def _options(query: PersonName, name: PersonName) -> list[_Option]:
    """Every pairing of parts that is alike, single and joined (two adjacent parts as one)."""
    qp, cp = query.parts, name.parts
    patronymics = any(p.own for p in qp) and any(p.own for p in cp)
    options: list[_Option] = []
    for i, a in enumerate(qp):
        for j, b in enumerate(cp):
            if patronymics and a.own != b.own:
                continue  # the person's own name is not the father's
            sim, how = part_likeness(a, b)
            if sim > 0.0:
                options.append((sim, 1, (i,), (j,), how))
    for side, other, flip in ((qp, cp, False), (cp, qp, True)):
        for i in range(len(side) - 1):
            first, second = side[i], side[i + 1]
            if "initial" in (first.kind, second.kind):
                continue
            joined = first.text + second.text
            for j, b in enumerate(other):
                if b.kind not in ("part", "syllable"):
                    continue
                sim = _edit_likeness(joined, b.text)
                if sim >= JOINED_ALIKE:
                    span, one = (i, i + 1), (j,)
                    qs, cs = (one, span) if flip else (span, one)
                    options.append((sim, 2, qs, cs, "joined"))
    options.sort(key=lambda o: (o[0], o[1]), reverse=True)
    return options


def compare_persons(query: str, name: str) -> tuple[PersonMatch, PersonName, PersonName]:
    """Score two persons' names in 0..1 (see the module's docstring for how)."""
    q, c = person_name(query), person_name(name)
    if not q.parts or not c.parts:
        return PersonMatch(0.0, [], [], [], False), q, c
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[PartPair] = []
    for sim, _, qs, cs, how in _options(q, c):
        if used_q.intersection(qs) or used_c.intersection(cs):
            continue
        used_q.update(qs)
        used_c.update(cs)
        q_weight = sum(q.parts[i].weight for i in qs)
        c_weight = sum(c.parts[j].weight for j in cs)
        pairs.append(PartPair(qs, cs, sim, how, min(q_weight, c_weight), max(q_weight, c_weight)))
    matched = sum(p.sim * p.weight for p in pairs)
    paired = sum(p.weight for p in pairs)
    q_rest = [p for i, p in enumerate(q.parts) if i not in used_q]
    c_rest = [p for j, p in enumerate(c.parts) if j not in used_c]
    q_left = sum(p.weight for p in q_rest if p.kind != "syllable")
    c_left = sum(p.weight for p in c_rest if p.kind != "syllable")
    # A character more or less in a Chinese or Korean name is another given name (李强 is not
    # 李克强): such names have no middle names to leave out.
    syllables = sum(p.weight for p in q_rest + c_rest if p.kind == "syllable")
    different = min(q_left, c_left) + syllables
    extra = abs(q_left - c_left)
    total = paired + DIFFERENT_COST * different + EXTRA_COST * extra
    value = matched / total if total > 0.0 else 0.0
    evidence = sum(p.evidence for p in pairs if p.weight >= INITIAL_WEIGHT)
    capped = evidence < ENOUGH_EVIDENCE and max(q.full_parts, c.full_parts) >= 2
    if capped:
        value = min(value, ONE_PART_CAP)
    both = bool(q_left and c_left)
    rest = q_rest + c_rest
    match = PersonMatch(
        round(value, 4),
        pairs,
        extra=[p.surface for p in rest if not both and p.kind != "syllable"],
        different=[p.surface for p in rest if both or p.kind == "syllable"],
        capped=capped,
    )
    return match, q, c
