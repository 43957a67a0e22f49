"""Chinese names written in Latin letters, read as the Han names they spell.

A Chinese name in pinyin comes written many ways: word by word ("Huawei Jishu Youxian
Gongsi"), syllable by syllable ("Hua Wei Ji Shu"), joined ("huaweijishu"), with tone marks
(Huáwéi, dropped with the other accents) or tone numbers (hua2wei2), with apostrophes (Xi'an),
or in Wade-Giles (Hua-wei Chi-shu, as Taiwan writes it). :func:`read_runs` cuts such a run of
words into syllables and again into words the way a Han name is cut
(:func:`clearance.matching.normalise`): listed places, generic words and legal forms by their
readings (``jishu`` is 技术, compared as "technology"; ``youxian gongsi`` is 有限公司, a legal
form), the syllables between them joined into one distinctive word (``huawei``). Both sides
of a comparison then hold the same words.

A run is read again only when it shows it is Chinese: a listed word of two syllables or more
inside it (not the whole of one word, which is read as it is), or three syllables or more
written apart ("Hai Kang Wei Shi"). A listed word never cuts a written word in two ("Zhu
Hailun" holds no Zhuhai); "Sun Gang Trading" stays as it is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from clearance.matching.memo import remember
from clearance.matching.words import DISTINCT, GENERIC, PLACE, classify, pinyin, word_lists

__all__ = [
    "MIN_READING",
    "all_syllables",
    "han_without_legal",
    "latin_reading",
    "load_tables",
    "pinyin_spellings",
    "read_runs",
    "reads_as",
    "syllables",
    "tone_numbers",
]

#: Longest listed word, in syllables, looked for in a run.
_MAX_SYLLABLES = 8
#: Longest pinyin syllable (zhuang, shuang).
_LONGEST = 6
_TONED = re.compile(r"^(?:[a-z]+[1-5])+[a-z]*$")
_TONE_PART = re.compile(r"([a-z]+)[1-5]")
_VOWEL = re.compile(r"[aeiouv]")  # not the syllables of interjections (m, n, ng, hm)


@cache
def _pinyin_syllables() -> frozenset[str]:
    """Every pinyin syllable, toneless (ü as u), from pypinyin's table of readings."""
    from pypinyin.pinyin_dict import pinyin_dict

    readings = {r for value in pinyin_dict.values() for r in value.split(",")}
    found: set[str] = set()
    for reading in readings:
        plain = "".join(
            c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c)
        ).lower()
        if plain.isascii() and plain.isalpha() and _VOWEL.search(plain):
            found.add(plain)
    return frozenset(found)


#: ü written as v, as keyboards and pypinyin write it (lv for lü, 绿), read as u.
_V_SPELLINGS = {"lv": "lu", "nv": "nu", "lve": "lue", "nve": "nue"}


@cache
def _pinyin_first() -> frozenset[str]:
    """The pinyin syllables and their spellings with v."""
    return _pinyin_syllables() | frozenset(_V_SPELLINGS)


@cache
def _syllable_set() -> frozenset[str]:
    """Every pinyin syllable, and every Wade-Giles one not also pinyin."""
    return _pinyin_syllables() | frozenset(_wade_giles())


@cache
def _wade_giles() -> dict[str, str]:
    """Wade-Giles syllable (apostrophes and umlauts dropped) -> the pinyin syllable it
    writes, for the Wade-Giles syllables that are not also pinyin ones (from pypinyin's
    conversion table). Where a spelling stands for two syllables (chi: ji or qi) the first
    in pinyin order is kept."""
    from pypinyin.style.wadegiles import to_wade_glides

    plain = _pinyin_syllables()
    table: dict[str, str] = dict(_V_SPELLINGS)
    for syllable in sorted(plain):
        written = to_wade_glides(syllable).replace("'", "").replace("v", "u").replace("ü", "u")
        if len(written) > 1 and written.isalpha() and written.isascii() and written not in plain:
            table.setdefault(written, syllable)
    return table


def load_tables() -> None:
    """Read the syllable tables now (before forking workers, so that they share them)."""
    _syllable_set()
    word_lists()


_SPLITS: dict[str, tuple[str, ...] | None] = {}
#: Runs of syllable words already read: (words, kinds) -> the words read, or None.
_RUNS: dict[tuple[tuple[str, ...], str], list[tuple[str, str, str]] | None] = {}


def syllables(word: str) -> tuple[str, ...] | None:
    """The pinyin (or Wade-Giles) syllables ``word`` is made of, fewest first; ``None`` when
    it is not made of syllables alone. Remembered per word."""
    if word in _SPLITS:
        return _SPLITS[word]
    return remember(_SPLITS, word, _split(word), 1 << 17)


def _split(word: str) -> tuple[str, ...] | None:
    if not word.isalpha() or not word.isascii() or len(word) > 60:
        return None
    any_spelling = _split_in(word, _syllable_set())
    if any_spelling is None:
        return None  # not syllables in any spelling (most words: one pass, not two)
    found = _split_in(word, _pinyin_first())  # pinyin first: jih is Wade-Giles for ri
    return found if found is not None else any_spelling


def _split_in(word: str, known: frozenset[str]) -> tuple[str, ...] | None:
    """``word`` cut into syllables of ``known``, each the longest after which the rest
    still cuts (so fewest, as a rule), or ``None``. Worked out from the end: ``size[i]`` is
    the syllable taken at ``i``, 0 where the rest from ``i`` does not cut."""
    n = len(word)
    if not any(word[:k] in known for k in range(1, min(_LONGEST, n) + 1)):
        return None  # no syllable begins it (most words are rejected here)
    size = [0] * (n + 1)
    size[n] = -1  # the end: nothing left to cut
    for start in range(n - 1, -1, -1):
        for k in range(min(_LONGEST, n - start), 0, -1):
            if size[start + k] != 0 and word[start : start + k] in known:
                size[start] = k
                break
    if size[0] == 0:
        return None
    parts: list[str] = []
    i = 0
    while i < n:
        parts.append(word[i : i + size[i]])
        i += size[i]
    return tuple(parts)


_WORDS = re.compile(r"[a-z]+")


def all_syllables(segment: str) -> bool:
    """Whether a (lower-case) text is three words or more, each made of pinyin syllables
    (apostrophes and tone numbers aside): Chinese written in Latin letters."""
    if segment.count(" ") + segment.count("-") < 2:
        return False  # fewer than three words
    splits = _SPLITS
    count = 0
    for match in _WORDS.finditer(segment):  # apostrophes split a word at a syllable: Xi'an
        word = match.group()
        if (splits[word] if word in splits else syllables(word)) is None:
            return False
        count += 1
    return count >= 3


def tone_numbers(raw: str) -> str | None:
    """A word in pinyin with tone numbers (hua2wei2) without them, or ``None``."""
    if _TONED.match(raw) is None:
        return None
    known = _syllable_set()
    parts = _TONE_PART.findall(raw)
    tail = _TONE_PART.sub("", raw)
    if not all(p in known for p in parts) or (tail and syllables(tail) is None):
        return None  # each number follows a syllable (not CA5C, H2O)
    if len(parts) == 1 and (tail or len(parts[0]) < 2 or raw.endswith("5")):
        return None  # one syllable with a number: a tone (hua2), not a code (a1, ma5)
    return re.sub(r"[1-5]", "", raw)


def _pinyin_of(syllable: str) -> str:
    return _V_SPELLINGS.get(syllable) or _wade_giles().get(syllable, syllable)


def read_runs(
    tokens: list[str], kinds: list[str], surfaces: list[str]
) -> tuple[list[str], list[str], list[str]] | None:
    """The words of a Latin name with its runs of pinyin read again (see the module
    docstring), or ``None`` when no run reads as Chinese."""
    splits = _SPLITS
    for token in tokens:
        found = splits[token] if token in splits else syllables(token)
        if found is not None:
            break
    else:
        return None  # no word of syllables (the usual case)
    changed = False
    out_t: list[str] = []
    out_k: list[str] = []
    out_s: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        split = syllables(tokens[i])
        if split is None:
            out_t.append(tokens[i])
            out_k.append(kinds[i])
            out_s.append(surfaces[i])
            i += 1
            continue
        end = i
        parts: list[tuple[str, ...]] = []
        while end < n:  # a legal form that is syllables reads as pinyin too (Zhi Zao)
            found = syllables(tokens[end])
            if found is None:
                break
            parts.append(found)
            end += 1
        key = (tuple(tokens[i:end]), "".join(kinds[i:end]))
        if key in _RUNS:
            read = _RUNS[key]
        elif sum(len(p) for p in parts) < 2:
            read = None  # one syllable: nothing to cut
        else:
            read = remember(_RUNS, key, _read_run(tokens[i:end], kinds[i:end], parts), 1 << 16)
        if read is None:
            out_t += tokens[i:end]
            out_k += kinds[i:end]
            out_s += surfaces[i:end]
        else:
            changed = True
            for token, kind, surface in read:
                out_t.append(token)
                out_k.append(kind)
                out_s.append(surface)
        i = end
    return (out_t, out_k, out_s) if changed else None


def _read_run(
    words: list[str], kinds: list[str], parts: list[tuple[str, ...]]
) -> list[tuple[str, str, str]] | None:
    """One run of syllable words cut again, or ``None`` if it does not read as Chinese."""
    flat: list[str] = []
    owner: list[int] = []  # the word each syllable comes from
    for w, split in enumerate(parts):
        for syllable in split:
            flat.append(_pinyin_of(syllable))
            owner.append(w)
    if len(flat) < 2:
        return None
    listed = word_lists().pinyin_words
    starts = {k for k in range(len(flat)) if k == 0 or owner[k] != owner[k - 1]}
    ends = {k for k in range(len(flat)) if k == len(flat) - 1 or owner[k] != owner[k + 1]}
    # Hai Kang Wei Shi (not a title or a listed word among them: Gen. Chen Du)
    singles = sum(1 for p in parts if len(p) == 1)
    apart = singles >= 3 and all(
        k in (DISTINCT, PLACE) or (k == GENERIC and len(w) <= 2)  # Ning De Shi Dai
        for w, k in zip(words, kinds, strict=True)
    )
    out: list[tuple[str, str, str]] = []
    pending: list[int] = []
    found_inside = False

    def flush() -> None:
        if pending:
            reading = "".join(flat[k] for k in pending)
            out.append((reading, classify(reading), _surface(words, owner, pending)))
            pending.clear()

    k, n = 0, len(flat)
    while k < n:
        for size in range(min(_MAX_SYLLABLES, n - k), 1, -1):
            last = k + size - 1
            if owner[k] != owner[last] and (k not in starts or last not in ends):
                continue  # a listed word does not cut a written word in two (Zhu Hailun)
            entry = listed.get("".join(flat[k : k + size]))
            if entry is not None:
                break
        else:
            entry, size = None, 1
            if k in starts and k in ends:  # a listed word of one syllable written alone: Xian
                entry = listed.get(flat[k])
        if entry is None:
            pending.append(k)
            k += 1
            continue
        span = list(range(k, k + size))
        whole_word = owner[k] == owner[span[-1]] and len(parts[owner[k]]) == size
        if not whole_word or entry.token != words[owner[k]]:
            found_inside = True
        flush()
        out.append((entry.token, entry.kind, _surface(words, owner, span)))
        k += size
    flush()
    return out if found_inside or apart else None


def _surface(words: list[str], owner: list[int], span: list[int]) -> str:
    """The words a span of syllables was written in (a part of one word: that word)."""
    first, last = owner[span[0]], owner[span[-1]]
    return " ".join(words[first : last + 1])


# -- whole-name readings ------------------------------------------------------------------
#
# A name in pinyin may be cut into words otherwise than its Han name (上机数控 read
# "Shang Ji Shu Kong" holds jishu, 技术, where the characters hold none; 华大智造 is one
# chunk where "Huada Zhizao" holds zhizao, 制造), or its characters may be read otherwise
# than their first reading (长城: Changcheng, not Zhangcheng). Its whole reading still spells
# the Han name: :func:`latin_reading` reads the letters of a name written in pinyin, and
# :func:`reads_as` tells whether they spell a Han name, trying every reading of each character.

_MARKS = re.compile(r"['’`´ʼ\-]")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
#: Shortest whole reading looked up (two syllables at least: "lina", "huawei").
MIN_READING = 4


@cache
def _legal_han() -> tuple[str, ...]:
    """The legal forms in Han characters (有限公司 …), longest first."""
    from clearance.legal_forms import legal_forms

    return tuple(sorted(legal_forms().han_generic(), key=len, reverse=True))


@cache
def _legal_readings() -> tuple[str, ...]:
    """The pinyin of the legal forms in Han characters (youxiangongsi …), longest first."""
    from clearance.matching.words import pinyin

    return tuple(sorted({pinyin(h) for h in _legal_han() if h.isalpha()}, key=len, reverse=True))


def _without_tail(text: str, tails: tuple[str, ...]) -> str:
    """``text`` without the longest of ``tails`` it ends with (once), if anything is left."""
    for tail in tails:
        if text.endswith(tail) and len(text) > len(tail):
            return text[: -len(tail)]
    return text


@cache
def _char_readings() -> dict[str, tuple[str, ...]]:
    """Han character of several readings -> every reading pypinyin knows for it, toneless
    (ü as u); the other characters have one (:func:`_readings_of`)."""
    from pypinyin.pinyin_dict import pinyin_dict

    table: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}  # one string per reading
    for code, value in pinyin_dict.items():
        if "," not in value:
            continue
        found: list[str] = []
        for reading in value.split(","):
            plain = "".join(
                c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c)
            ).lower()
            if plain.isascii() and plain.isalpha() and plain not in found:
                found.append(seen.setdefault(plain, plain))
        if len(found) > 1:
            table[chr(code)] = tuple(found)
    return table


def _readings_of(char: str) -> tuple[str, ...]:
    """Every toneless pinyin reading of a character (a character without one: itself)."""
    return _char_readings().get(char) or (pinyin(char),)


def latin_reading(text: str) -> str | None:
    """The pinyin letters a name in Latin letters spells, when every word of it is pinyin (or
    Wade-Giles) syllables, tone marks, tone numbers, apostrophes and hyphens aside, and its
    legal form dropped (Latin "Co., Ltd." or pinyin "youxian gongsi"): "Wu Xi Shang Ji Shu
    Kong Gu Fen You Xian Gong Si" spells ``wuxishangjishukong``. ``None`` for other names
    and for readings under :data:`MIN_READING` letters."""
    if len(text) > 200:
        return None
    plain = text
    if not plain.isascii():
        plain = "".join(
            c for c in unicodedata.normalize("NFD", plain) if not unicodedata.combining(c)
        )
    words = [
        w if w.isalpha() else (tone_numbers(w) or w)
        for w in _LATIN_WORD.findall(_MARKS.sub("", plain.casefold()))
    ]
    legal = word_lists().legal
    abbreviations = word_lists().abbreviations
    while words and syllables(words[-1]) is None:
        if abbreviations.get(words[-1], words[-1]) not in legal and words[-1] not in legal:
            return None  # a word of another language: not a name in pinyin
        words.pop()  # Co., Ltd., Limited
    out: list[str] = []
    for word in words:
        split = syllables(word)
        if split is None:
            return None
        out.extend(_pinyin_of(s) for s in split)
    reading = _without_tail("".join(out), _legal_readings())
    return reading if len(reading) >= MIN_READING and len(out) >= 2 else None


def pinyin_spellings(char: str) -> tuple[str, ...]:
    """Every toneless pinyin reading of one Han character (none for others)."""
    found = _readings_of(char)
    return () if found == (char,) else found


def han_without_legal(han: str) -> str:
    """A name in Han characters without its trailing legal form (有限公司 …)."""
    return _without_tail(han, _legal_han())


def reads_as(reading: str, han: str) -> bool:
    """Whether pinyin letters (:func:`latin_reading`) spell a Han text, character by
    character, any reading of each (长: chang or zhang; 西安: xian, written as one
    syllable); other characters (Latin letters) as written."""
    chars = [c for c in han.casefold() if c.isalnum()]
    failed: set[tuple[int, int]] = set()

    def rest(i: int, at: int) -> bool:
        if i == len(chars):
            return at == len(reading)
        if (i, at) in failed:
            return False
        for option in _readings_of(chars[i]):
            if reading.startswith(option, at) and rest(i + 1, at + len(option)):
                return True
        failed.add((i, at))
        return False

    return len(chars) > 0 and rest(0, 0)
