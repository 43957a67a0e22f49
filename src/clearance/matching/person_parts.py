"""Person names cut into comparable parts: honorifics dropped, scripts read in Latin letters,
particles and initials marked.

rigour's :func:`~rigour.names.analyze_names` does the cutting: it strips honorifics
("Mr.", "Präsident", "Monsieur") and tokenises. Its person-name symbols (Wikidata's given
names and nicknames: Ted and Theodore share one) are not asked for: building them costs some
10 s of CPU and 390 MB per process, more than the screening engine's whole budget for a
batch. Names in Han characters or Hangul carry no spaces between surname and given name:
each character (each syllable) is a part, compared by itself with another in the same script
and read in pinyin (or romanised Korean) against Latin letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from clearance.matching.normalise import simplified
from clearance.matching.tables import character_tables
from clearance.matching.words import pinyin

__all__ = [
    "INITIAL_WEIGHT",
    "PARTICLE_WEIGHT",
    "PersonName",
    "PersonPart",
    "person_name",
]

#: How much an unpaired or paired part counts, by what it is: a name part 1, an initial
#: less (it says little), a particle ("al", "bin", "de", "van") little.
PART_WEIGHT, INITIAL_WEIGHT, PARTICLE_WEIGHT = 1.0, 0.5, 0.2
_KIND_WEIGHTS = {"initial": INITIAL_WEIGHT, "particle": PARTICLE_WEIGHT}

#: Particles written between the parts of names, each with the form they are compared in:
#: Arabic articles (al-, el-, ad- … as transliterations write them), patronymic links ("son
#: of", "daughter of": bin, ibn, ben, bint, ould) and the prepositions and articles of
#: European surnames (de, van, von …). A particle is never the first part of a name (Ben
#: Ben Kingsley's Ben is his given name).
PARTICLES: dict[str, str] = {
    **dict.fromkeys(("al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "an"), "al"),
    **dict.fromkeys(("bin", "ibn", "ben", "bn"), "bin"),
    **dict.fromkeys(("bint", "binti", "binte"), "bint"),
    **dict.fromkeys(("ould", "wuld", "walad"), "ould"),
    **{w: w for w in ("de", "da", "di", "del", "della", "der", "den", "van", "von", "du")},
    **{w: w for w in ("dos", "das", "la", "le", "y", "zu", "ten", "ter")},
}
#: Particles after which the name is the father's (or an ancestor's), not the person's own.
PATRONYMIC = frozenset({"bin", "bint", "ould"})

_HAN_OR_HANGUL = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_CONSONANTS_ONLY = re.compile(r"^[bcdfghjklmnpqrstvwxz]{2,3}$")


@dataclass(slots=True)
class PersonPart:
    """One part of a person's name, as compared.

    Attributes:
        text: the part in lower-case ASCII (Han characters in pinyin).
        surface: the part as written (after case folding).
        weight: what the part counts (:data:`PART_WEIGHT`, :data:`INITIAL_WEIGHT` or
            :data:`PARTICLE_WEIGHT`).
        kind: ``part``, ``initial``, ``particle`` or ``syllable`` (one Han character or
            Hangul syllable).
        own: before the first patronymic particle (bin, ibn …) of a name that has one: the
            person's own names, not the father's.
    """

    text: str
    surface: str
    weight: float
    kind: str
    own: bool


@dataclass(slots=True)
class PersonName:
    """A person's name as its parts, in the order written."""

    text: str
    parts: tuple[PersonPart, ...]

    @property
    def full_parts(self) -> int:
        """How many parts are names (not particles or initials)."""
        return sum(1 for p in self.parts if p.kind in ("part", "syllable"))


def _ascii(text: str) -> str:
    from rigour.text.translit import ascii_text

    return "".join(c for c in ascii_text(text).casefold() if c.isalnum())


def _syllables(form: str) -> list[tuple[str, str]]:
    """A part in Han characters or Hangul as (character, reading) pairs."""
    out = []
    for char in simplified(form):
        if not char.isalnum():
            continue
        reading = pinyin(char)
        if not reading.isascii():
            reading = _ascii(char)
        out.append((char, reading))
    return out


def _given_first(text: str) -> str:
    """ "SURNAME, Given names" (the order of lists and registers) as "Given names SURNAME",
    so that particles and patronymic links read in their place ("AL BEN ALI, Isa Ben Tarif"
    is "Isa Ben Tarif Al Ben Ali")."""
    family, comma, given = text.partition(",")
    if not comma or "," in given or not family.strip() or not given.strip():
        return text
    return f"{given.strip()} {family.strip()}"


def _fold_homoglyphs(text: str) -> str:
    """Cyrillic and Greek look-alikes in a name written in Latin letters read as the Latin
    letters they imitate ("Kadyrоv" with a Cyrillic о), as the screening engine reads them."""
    if text.isascii() or _ASCII_LETTER.search(text) is None:
        return text
    return text.translate(character_tables().homoglyphs)


def _unleet(form: str) -> str:
    """Digits inside a word of letters read as the letters they stand for ("Sech1n")."""
    if form.isalpha() or not any(c.isalpha() for c in form):
        return form
    return form.translate(character_tables().leet)


@lru_cache(maxsize=100_000)
def person_name(text: str) -> PersonName:
    """Cut a person's name into parts (cached: the same string gives the same parts)."""
    from rigour.names import NameTypeTag, analyze_names

    names = analyze_names(NameTypeTag.PER, [_given_first(_fold_homoglyphs(text))], symbols=False)
    if not names:
        return PersonName(text, ())
    name = max(names, key=lambda n: len(n.parts))
    raw: list[tuple[str, str, str]] = []  # text, surface, kind
    for part in name.parts:
        form = str(part.form)
        if _HAN_OR_HANGUL.search(form):
            raw.extend((reading, char, "syllable") for char, reading in _syllables(form))
            continue
        ascii_form = _unleet(_ascii(form))
        if not ascii_form or "?" in ascii_form:
            ascii_form = form  # a script rigour cannot read: compare as written
        if raw and ascii_form in PARTICLES:
            raw.append((PARTICLES[ascii_form], form, "particle"))
        elif len(ascii_form) == 1 and ascii_form.isalpha():
            raw.append((ascii_form, form, "initial"))
        elif _CONSONANTS_ONLY.match(ascii_form):  # "JFK", "JR": initials written together
            raw.extend((letter, letter, "initial") for letter in ascii_form)
        else:
            raw.append((ascii_form, form, "part"))
    raw = [r for r in raw if r[0]]  # a character with no reading (ɿ beside Han) is no part
    patronymic = next((i for i, r in enumerate(raw) if r[0] in PATRONYMIC and r[2] != "part"), -1)
    parts: list[PersonPart] = []
    for i, (ascii_form, surface, kind) in enumerate(raw):
        weight = _KIND_WEIGHTS.get(kind, PART_WEIGHT)
        parts.append(PersonPart(ascii_form, surface, weight, kind, i < patronymic))
    return PersonName(text, tuple(parts))
