"""Screening explanations in the language in force, for tables and reports people read.

The matching engine writes its explanations in English (``clearance.matching.features`` and
``clearance.matching.hits``, compiled with mypyc: their behaviour stays as it is), and JSON,
JSON lines and CSV of the commands keep them so. A table (and a report's supplier table)
shows each line translated here: the line is read
back against the engine's templates and written again from the "cli" catalogue; a line that
matches no template is shown as written. Names, lists and words quoted from the data stay as
they are; numbers are written the language's way.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from babel.numbers import format_decimal, get_decimal_symbol

from clearance.i18n import babel_locale, current_lang, format_number, ngettext
from clearance.i18n import gettext as _

__all__ = [
    "decimal",
    "explanation_line",
    "relation_name",
    "relation_statement",
    "screening_status",
]

_NUMBER = r"[\d.]+"


def _decimal(text: str) -> str:
    """``"0.90"`` as the language writes it, with the same decimals (``0,90`` in French)."""
    whole, _dot, decimals = text.partition(".")
    if not decimals:
        return format_number(int(whole))
    return f"{format_number(int(whole))}{get_decimal_symbol(babel_locale())}{decimals}"


def decimal(value: float, places: int = 2) -> str:
    """``value`` with ``places`` decimals as the language in force writes it (``0,90``)."""
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return str(format_decimal(value, format=pattern, locale=babel_locale()))


def relation_name(relation: str) -> str:
    """A relation of the registry (``brand``, ``oem_of`` …) as a sentence names it."""
    names = {
        "parent": _("parent company"),
        "subsidiary": _("subsidiary"),
        "affiliate": _("affiliate"),
        "brand": _("brand"),
        "oem_of": _("OEM label"),
    }
    return names.get(relation, relation)


def relation_statement(statement: str) -> str:
    """A relation's statement as ``lists show`` gives it (``EZVIZ is brand of Hikvision``)."""
    if current_lang() == "en":
        return statement
    found = re.fullmatch(
        r"(?P<subject>.+?) is (?P<kind>parent|subsidiary|affiliate|brand|oem_of) of (?P<object>.+)",
        statement,
    )
    if found is None:
        return statement
    return _("{subject} is {kind} of {object}").format(
        subject=found["subject"], kind=_kind(found["kind"]), object=found["object"]
    )


def _count(text: str) -> str:
    """``"1,000"`` (English thousands) as the language writes it."""
    return format_number(int(text.replace(",", "")))


def _kind(kind: str) -> str:
    kinds = {
        "an OEM label": _("an OEM label"),
        "oem_of": _("an OEM label"),
        "a parent": _("a parent company"),
        "parent": _("a parent company"),
        "a subsidiary": _("a subsidiary"),
        "subsidiary": _("a subsidiary"),
        "a affiliate": _("an affiliate"),
        "affiliate": _("an affiliate"),
        "a brand": _("a brand"),
        "brand": _("a brand"),
    }
    return kinds.get(kind, kind)


def _step(text: str) -> str:
    found = re.fullmatch(
        r"(?P<subject>.+?) is (?P<kind>an OEM label|a \w+) of (?P<object>.+)", text
    )
    if found is None:
        return text
    return _("{subject} is {kind} of {object}").format(
        subject=found["subject"], kind=_kind(found["kind"]), object=found["object"]
    )


def _how(how: str) -> str | None:
    """How two words are alike (``clearance.matching.likeness``), or None for another text."""
    edits = re.fullmatch(r"(\d+) edits?", how)
    if edits:
        count = int(edits[1])
        return ngettext("{count} edit", "{count} edits", count).format(count=count)
    kinds = {
        "1 keyboard-neighbour typo": _("1 keyboard-neighbour typo"),
        "sound-alike spelling": _("sound-alike spelling"),
        "vowels dropped": _("vowels dropped"),
        "initial": _("initial"),
        "cut short": _("cut short"),
        "plural": _("plural"),
        "OCR confusion": _("OCR confusion"),
        "doubled letters": _("doubled letters"),
        "consonants alike": _("consonants alike"),
        "joined": _("joined"),
        "split": _("split"),
    }
    return kinds.get(how)


def _pairs(text: str) -> str:
    """Word pairs as the engine writes them (``hikvsion ≈ hikvision (1 edit)``), with how
    they are alike in the language in force."""

    def how(found: re.Match[str]) -> str:
        said = _how(found["how"])
        return found[0] if said is None else f" ≈ {found['right']} ({said})"

    return re.sub(r" ≈ (?P<right>[^,;()]+?) \((?P<how>[^()]+)\)", how, text)


def _person_parts(found: re.Match[str]) -> str:
    """A person's name compared part by part (clearance.matching.persons)."""
    text = _("name parts agree with {name}: {parts}").format(
        name=found["name"], parts=_pairs(found["parts"])
    )
    if found["extra"]:
        text += _("; only one name has {parts}").format(parts=found["extra"])
    if found["different"]:
        text += _("; different parts: {parts}").format(parts=found["different"])
    if found["capped"]:
        text += _("; one name part alone agrees")
    return text


def _words(found: re.Match[str]) -> str:
    extra = found["extra"]
    tail = (
        ngettext(" (+{count} generic word)", " (+{count} generic words)", int(extra)).format(
            count=extra
        )
        if extra
        else ""
    )
    return _(
        "words agree with {name}: {words}{tail}; coverage {query_cover} of the input, "
        "{name_cover} of the name"
    ).format(
        name=found["name"],
        words=_pairs(found["words"]),
        tail=tail,
        query_cover=_decimal(found["query_cover"]),
        name_cover=_decimal(found["name_cover"]),
    )


def _via(found: re.Match[str]) -> str:
    return _("{steps}, which is listed ({lists}); relation certainty {certainty}").format(
        steps="; ".join(_step(s) for s in found["steps"].split("; ")),
        lists=found["lists"],
        certainty=_decimal(found["certainty"]),
    )


#: The engine's explanation templates, read back: a pattern and how to write it again.
_TEMPLATES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"same name as (?P<name>.+) after normalisation"),
        lambda m: _("same name as {name} after normalisation").format(name=m["name"]),
    ),
    (
        re.compile(
            r"words agree with (?P<name>.+?): (?P<words>.*?)"
            rf"(?: \(\+(?P<extra>\d+) generic words?\))?; "
            rf"coverage (?P<query_cover>{_NUMBER}) of the input, "
            rf"(?P<name_cover>{_NUMBER}) of the name"
        ),
        _words,
    ),
    (
        re.compile(r"pinyin of .+ equals .+"),
        lambda m: "; ".join(
            _("pinyin of {han} equals {latin}").format(han=p["han"], latin=p["latin"])
            if (p := re.fullmatch(r"pinyin of (?P<han>.+?) equals (?P<latin>.+)", part))
            else part
            for part in m[0].split("; ")
        ),
    ),
    (
        re.compile(r"pinyin of (?P<written>.+?): (?P<bridges>.+ = .+)"),
        lambda m: _("pinyin of {written}: {bridges}").format(
            written=m["written"], bridges=m["bridges"]
        ),
    ),
    (
        re.compile(r"the input holds every distinctive word of (?P<name>.+)"),
        lambda m: _("the input holds every distinctive word of {name}").format(name=m["name"]),
    ),
    (
        re.compile(r"(?P<acronym>\S+) is an acronym of (?P<name>.+)"),
        lambda m: _("{acronym} is an acronym of {name}").format(
            acronym=m["acronym"], name=m["name"]
        ),
    ),
    (
        re.compile(
            r"name parts agree with (?P<name>.+?): (?P<parts>.*?)"
            r"(?:; only one name has (?P<extra>.+?))?"
            r"(?:; different parts: (?P<different>.+?))?"
            r"(?P<capped>; one name part alone agrees)?"
        ),
        _person_parts,
    ),
    (re.compile(r"only generic words agree"), lambda m: _("only generic words agree")),
    (
        re.compile(r"only a short word is alike, not equal: (?P<pair>.+)"),
        lambda m: _("only a short word is alike, not equal: {pair}").format(pair=_pairs(m["pair"])),
    ),
    (
        re.compile(r"different legal forms: (?P<mine>.+) / (?P<theirs>.+)"),
        lambda m: _("different legal forms: {mine} / {theirs}").format(
            mine=m["mine"], theirs=m["theirs"]
        ),
    ),
    (
        re.compile(r"same country: (?P<countries>.+)"),
        lambda m: _("same country: {countries}").format(countries=m["countries"]),
    ),
    (
        re.compile(r"different countries: (?P<mine>.+) / (?P<theirs>.+)"),
        lambda m: _("different countries: {mine} / {theirs}").format(
            mine=m["mine"], theirs=m["theirs"]
        ),
    ),
    (
        re.compile(r"same identifier: (?P<scheme>\S+) (?P<value>.+)"),
        lambda m: _("same identifier: {scheme} {value}").format(
            scheme=m["scheme"], value=m["value"]
        ),
    ),
    (
        re.compile(
            r"(?P<steps>.+ is (?:an OEM label|a \w+) of .+), which is listed \((?P<lists>[^)]*)\); "
            rf"relation certainty (?P<certainty>{_NUMBER})"
        ),
        _via,
    ),
    (
        re.compile(r"(?P<entity>.+) is listed \((?P<lists>[^)]*)\)"),
        lambda m: _("{entity} is listed ({lists})").format(entity=m["entity"], lists=m["lists"]),
    ),
    (
        re.compile(
            r"the name is, as written, (?P<label>.+), a known OEM label: a review, as an OEM "
            r"relation holds for some models only"
        ),
        lambda m: _(
            "the name is, as written, {label}, a known OEM label: a review, as an OEM relation "
            "holds for some models only"
        ).format(label=m["label"]),
    ),
    (
        re.compile(r"(?P<entity>.+) leads to no listed party"),
        lambda m: _("{entity} leads to no listed party").format(entity=m["entity"]),
    ),
    (
        re.compile(
            r"name cut to its first (?P<kept>[\d,]+) of (?P<total>[\d,]+) characters: "
            r"the rest was not screened"
        ),
        lambda m: _(
            "name cut to its first {kept} of {total} characters: the rest was not screened"
        ).format(kept=_count(m["kept"]), total=_count(m["total"])),
    ),
)


def explanation_line(line: str) -> str:
    """One line of a screening explanation (or a result's note) in the language in force."""
    if current_lang() == "en":
        return line
    for pattern, write in _TEMPLATES:
        found = pattern.fullmatch(line)
        if found is not None:
            return write(found)
    return line


def screening_status(status: str) -> str:
    """A screening status (match, review, clear) for a table, in the language in force."""
    statuses = {"match": _("match"), "review": _("review"), "clear": _("clear")}
    return statuses.get(status, status)
