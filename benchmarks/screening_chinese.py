"""Written forms of the registry's Chinese companies, for ``benchmarks/screening.py`` (B1, B2).

Every class is generated from the names the registry holds, so it grows with them: the
Chinese names (script ``han``) read in pinyin with pypinyin (full, syllable by syllable,
joined, with tone marks, tone numbers and apostrophes), written in traditional script with
OpenCC (s2t, s2hk, s2tw), cut to short names; the acronyms the registry holds written with
dots or spaces, and the acronyms of English names; Taiwan's Wade-Giles readings of the
Chinese names of entities of Taiwan (none holds a Chinese name yet: the row says n=0), and
the Hong Kong Government romanisation of the Chinese names of entities of Hong Kong (from the
``cantonese-romanisation`` package's table).

Near misses (B2, ``generic_words_only``): names that share only generic, legal-form and place
words with a listed name.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from clearance.matching.normalise import normalise
from clearance.matching.words import DISTINCT, LEGAL
from clearance.model import Entity, EntityKind
from clearance.registry import Registry

#: Class -> what it holds (printed under the B1 table).
CLASSES = {
    "pinyin_full": "pinyin of a Chinese name, word by word, legal form and generic words too",
    "pinyin_syllables": "the same, syllable by syllable (Hua Wei Ji Shu …)",
    "pinyin_joined": "the same, joined into one word (huaweijishu…)",
    "pinyin_tone_marks": "the same, with tone marks (Huáwéi Jìshù …)",
    "pinyin_tone_numbers": "the same, with tone numbers (hua2wei2 ji4shu4 …)",
    "pinyin_apostrophe": "the same, with apostrophes before a/o/e syllables (Xi'an), word by "
    "word where a word holds one, and joined wherever a syllable after the first has one",
    "acronym_dotted": "a held acronym written with dots or spaces (Z.T.E., C E T C)",
    "acronym_of_english": "initials of an English name (CETC) of a party that may be listed, "
    "where the registry lacks them",
    "chinese_short": "a Chinese name without its legal form (and place, and generic words)",
    "chinese_traditional": "a Chinese name in traditional script (OpenCC s2t, s2hk, s2tw)",
    "romanised_tw": "Wade-Giles reading of the Chinese name of an entity of Taiwan",
    "romanised_hk": "Hong Kong Government romanisation of Cantonese of the Chinese name of an "
    "entity of Hong Kong, with and without its legal form (Sai Gei Yeung Gwong …)",
}
_STOP = {"and", "of", "the", "for", "&"}
_LEGAL_WORDS = {"co", "ltd", "limited", "inc", "llc", "plc", "company", "pty", "gmbh", "sa", "ag"}
_GROUP = {"group", "holdings", "holding"}
_HAN = re.compile(r"[\u3400-\u9fff]")
_OPEN_VOWEL = re.compile(r"^[aoe]")


@cache
def _opencc(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def _simplified(text: str) -> str:
    return str(_opencc("t2s").convert(text))


def _han_names(entity: Entity) -> list[str]:
    seen: dict[str, None] = {}
    for name in entity.names:
        if name.script == "han" or _HAN.search(name.value):
            seen.setdefault(_simplified(name.value), None)
    return list(seen)


def _words(han: str) -> list[list[str]]:
    """A Han name cut into the words a writer would write apart: its places, generic words and
    legal forms, its other characters two by two. Each word as its characters."""
    norm = normalise(han)
    words: list[list[str]] = []
    for surface, kind in zip(norm.surfaces, norm.kinds, strict=True):
        chars = list(surface)
        if kind == DISTINCT or (kind == LEGAL and len(chars) > 3):
            words += [chars[i : i + 2] for i in range(0, len(chars), 2)]
        else:
            words.append(chars)
    return words


def _pinyin_words(han: str, style: Any) -> list[list[str]]:
    from pypinyin import lazy_pinyin

    return [lazy_pinyin("".join(w), style=style, neutral_tone_with_five=True) for w in _words(han)]


def pinyin_forms(han: str) -> dict[str, list[str]]:
    """The pinyin classes of one Han name."""
    from pypinyin import Style

    plain = _pinyin_words(han, Style.NORMAL)
    marks = _pinyin_words(han, Style.TONE)
    numbers = _pinyin_words(han, Style.TONE3)
    out = {
        "pinyin_full": [" ".join("".join(w).capitalize() for w in plain)],
        "pinyin_syllables": [" ".join(s.capitalize() for w in plain for s in w)],
        "pinyin_joined": ["".join(s for w in plain for s in w)],
        "pinyin_tone_marks": [" ".join("".join(w).capitalize() for w in marks)],
        "pinyin_tone_numbers": [" ".join("".join(w) for w in numbers)],
    }
    apostrophe = []
    for w in plain:
        parts = [w[0]] + [("'" if _OPEN_VOWEL.match(s) else "") + s for s in w[1:]]
        apostrophe.append("".join(parts).capitalize())
    if any("'" in a for a in apostrophe):
        out["pinyin_apostrophe"] = [" ".join(apostrophe)]
    flat = [s for w in plain for s in w]
    if any(_OPEN_VOWEL.match(s) for s in flat[1:]):  # joined: Gong'anting, Xi'anfeiji
        joined = flat[0] + "".join(("'" if _OPEN_VOWEL.match(s) else "") + s for s in flat[1:])
        out.setdefault("pinyin_apostrophe", []).append(joined.capitalize())
    return out


def wade_giles(han: str) -> str:
    """A Han name in Wade-Giles, syllables of a word joined by hyphens (Hua-wei Chi-shu)."""
    from pypinyin import Style

    words = _pinyin_words(han, Style.WADEGILES)
    return " ".join("-".join(w).replace("v", "ü").capitalize() for w in words)


@cache
def _hk_table() -> dict[str, list[str]]:
    import json
    from importlib import resources

    data = resources.files("cantoroman").joinpath("data", "charToRoman.json")
    table: dict[str, list[str]] = json.loads(data.read_text("utf-8"))
    return table


def hong_kong_romanisation(han: str) -> list[str]:
    """A Han name in the Hong Kong Government's romanisation of Cantonese, syllable by
    syllable, each character's first romanisation in the ``cantonese-romanisation`` table
    (世紀陽光集團控股有限公司: Sai Gei Yeung Gwong Jaap Tuen Hung Goo Yau Haan Gung Si), and
    the same without its legal form."""
    from clearance.matching.romanised import han_without_legal

    table = _hk_table()
    out = []
    for text in dict.fromkeys((han, han_without_legal(han))):
        chars = [c for c in str(_opencc("s2hk").convert(text)) if c.isalnum()]
        if all(table.get(c) for c in chars):
            out.append(" ".join(table[c][0].capitalize() for c in chars))
    return out


def short_names(han: str) -> list[str]:
    """A Han name without its legal form; also without its leading place; also without its
    trailing generic words (海康威视 from 杭州海康威视数字技术股份有限公司). Not what is left
    of generic words alone (电子科技集团 names no one: see :func:`generic_near_misses`)."""
    norm = normalise(han)
    parts = list(zip(norm.surfaces, norm.kinds, strict=True))
    while parts and parts[-1][1] == LEGAL:
        parts.pop()
    out = ["".join(s for s, _ in parts)]
    if parts and parts[0][1] == "P":
        parts = parts[1:]
        out.append("".join(s for s, _ in parts))
    while parts and parts[-1][1] in ("G", "P", "L"):
        parts.pop()
    out.append("".join(s for s, _ in parts))
    return [
        s
        for s in dict.fromkeys(out)
        if len(s) >= 2 and s != han and DISTINCT in normalise(s).kinds  # not generic alone
    ]


def traditional(han: str) -> list[str]:
    """A simplified Han name in traditional script (three OpenCC conversions, distinct)."""
    found = [str(_opencc(c).convert(han)) for c in ("s2t", "s2hk", "s2tw")]
    return [t for t in dict.fromkeys(found) if t != han]


def english_acronym(name: str) -> str | None:
    """The initials of an English name's words but stop words, "Co., Ltd." and the like and
    group words ("China Electronics Technology Group Corporation": CETC)."""
    words = re.split(r"[\s\-/,()]+", name)
    letters = [
        w[0].upper()
        for w in words
        if w and w.lower().strip(".") not in _STOP | _LEGAL_WORDS | _GROUP and w[0].isalpha()
    ]
    acronym = "".join(letters)
    return acronym if 3 <= len(acronym) <= 8 else None


def dotted(acronym: str) -> list[str]:
    """An acronym written with dots and with spaces (Z.T.E., Z T E)."""
    return [".".join(acronym) + ".", " ".join(acronym)]


def chinese_variants(registry: Registry) -> Iterator[tuple[str, str, str, str]]:
    """(class, variant, source name, entity id) for every class of :data:`CLASSES`."""
    for entity in registry:
        if entity.kind is EntityKind.CATEGORY:
            continue
        han_names = _han_names(entity)
        held = {normalise(n).key for n in entity.all_names()}
        for han in han_names:
            for cls, variants in pinyin_forms(han).items():
                for variant in variants:
                    yield cls, variant, han, entity.id
            for variant in short_names(han):
                if variant not in entity.all_names():
                    yield "chinese_short", variant, han, entity.id
            for variant in traditional(han):
                yield "chinese_traditional", variant, han, entity.id
            countries = {c.lower() for c in entity.countries}
            if "tw" in countries:
                yield "romanised_tw", wade_giles(han), han, entity.id
            if "hk" in countries:
                for variant in hong_kong_romanisation(han):
                    yield "romanised_hk", variant, han, entity.id
        chinese = bool(han_names) or bool({c.lower() for c in entity.countries} & {"cn", "hk"})
        if not chinese:
            continue
        for name in entity.all_names():
            if _HAN.search(name):
                continue
            bare = name.strip()
            if bare.isupper() and 3 <= len(bare) <= 6 and bare.isalpha():
                for variant in dotted(bare):
                    yield "acronym_dotted", variant, name, entity.id
            acronym = english_acronym(name)
            if not registry.may_be_restricted(entity.id):
                continue  # acronyms are looked up among the names of listed parties only
            if acronym is not None and normalise(acronym).key not in held:
                yield "acronym_of_english", acronym, name, entity.id


# -- B2: generic words only ---------------------------------------------------------------

REAL_GENERIC = [
    "Shenzhen Technology Innovation Co Ltd",
    "Beijing Digital Technology Co., Ltd.",
    "Hangzhou Network Technology Co., Ltd.",
    "Shanghai Electronics Group Co., Ltd.",
    "Guangzhou Intelligent Technology Co., Ltd.",
    "China Digital Innovation Holdings",
    "Zhejiang Information Technology Co., Ltd.",
    "Shenzhen Electronics Co., Ltd.",
    "Hangzhou Digital Technology Co Ltd",
    "Global Technology Innovation Group Inc.",
    "深圳市科技创新有限公司",
    "北京数字科技有限公司",
    "杭州网络技术有限公司",
    "Shenzhen Keji Youxian Gongsi",
    "Hangzhou Shuzi Jishu Youxian Gongsi",
]


def generic_near_misses(registry: Registry, count: int = 200) -> list[str]:
    """Names sharing only generic, legal-form and place words with listed names: listed names
    with their distinctive words dropped (Chinese ones also in pinyin), generic words of
    several names recombined, real company names of generic words alone. Names that are a
    listed name of generic words alone ("China Electronics Technology Group") are left out."""
    names = [n for e in registry if e.kind is not EntityKind.CATEGORY for n in e.all_names()]
    whole_generic = set()
    for name in names:
        norm = normalise(name)
        if DISTINCT not in norm.kinds and "I" not in norm.kinds:
            whole_generic.add(
                frozenset(t for t, k in zip(norm.tokens, norm.kinds, strict=True) if k != LEGAL)
            )
    out: list[str] = []
    places: list[str] = []
    generic: list[str] = []
    for name in names:
        norm = normalise(name)
        if DISTINCT not in norm.kinds:
            continue
        kept = [s for s, k in zip(norm.surfaces, norm.kinds, strict=True) if k != DISTINCT]
        kinds = [k for k in norm.kinds if k != DISTINCT]
        if len(kept) >= 2 and any(k in "GP" for k in kinds) and "I" not in kinds:
            joiner = "" if norm.has_han else " "
            out.append(joiner.join(kept))
            if norm.has_han:  # and in pinyin: Hangzhou Shuzi Jishu Gufen Youxian Gongsi
                out.append(pinyin_forms("".join(kept))["pinyin_full"][0])
        for s, k in zip(norm.surfaces, norm.kinds, strict=True):
            if s.isascii() and k == "P":
                places.append(s)
            elif s.isascii() and k == "G" and len(s) > 3:
                generic.append(s)
    rng = random.Random(11)
    forms = ["Co., Ltd.", "Ltd", "Group", "Inc.", "Corporation", "Company Limited"]
    places, generic = sorted(set(places)), sorted(set(generic))
    for _ in range(count):
        words = [rng.choice(places)] if places and rng.random() < 0.8 else []
        words += rng.sample(generic, k=min(len(generic), rng.choice((1, 2, 3))))
        out.append(" ".join(w.title() for w in words) + " " + rng.choice(forms))
    out += REAL_GENERIC
    kept_out = []
    for text in dict.fromkeys(out):
        norm = normalise(text)
        words = frozenset(t for t, k in zip(norm.tokens, norm.kinds, strict=True) if k != LEGAL)
        if words in whole_generic or DISTINCT in norm.kinds:
            continue  # a listed name of generic words alone, or a word that names a party
        kept_out.append(text)
    return kept_out
