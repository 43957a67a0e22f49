"""Merging the same party arriving from several lists into one entity.

An incoming record joins an existing entity when they share a strong identifier (USCC, LEI,
ISIN, OFAC ent_num, IMO …); failing that, when an exact normalised name matches (companies and
organisations only: persons need an identifier). The merge keeps the existing entity's id and
primary name, and adds the incoming names, identifiers, countries, listings and sources.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from clearance.legal_forms import legal_forms
from clearance.model import Entity, EntityKind, Identifier, Name, NameKind, detect_script

__all__ = [
    "STRONG_SCHEMES",
    "MergeDecision",
    "blocks_name_merge",
    "identifier_key",
    "identifier_keys",
    "merge_into",
    "name_key",
    "name_keys",
]

# Identifier schemes that name exactly one party world-wide.
STRONG_SCHEMES = frozenset(
    {"uscc", "lei", "isin", "ofac_ent_num", "imo", "swift_bic", "duns", "opensanctions"}
)

_PUNCT = re.compile(r"[^\w]+", re.UNICODE)


@cache
def _short_legal_forms() -> dict[str, str]:
    """The legal-form table's common forms and the short word merge keys write for each."""
    return legal_forms().short_words()


@lru_cache(maxsize=1 << 16)
def name_key(value: str) -> str:
    """Exact-match key of a name: NFKC, case-folded, punctuation removed, ``&`` as ``and``,
    spaces collapsed and the common legal forms shortened (company -> co, limited -> ltd)."""
    text = unicodedata.normalize("NFKC", value).casefold().replace("&", " and ")
    short = _short_legal_forms()
    words = [short.get(w, w) for w in _PUNCT.sub(" ", text).split()]
    return " ".join(words)


def identifier_key(ident: Identifier) -> str | None:
    """``scheme:VALUE`` for strong schemes, None for weak ones (tax numbers, passports …)."""
    if ident.scheme not in STRONG_SCHEMES:
        return None
    value = re.sub(r"\s+", "", ident.value).upper()
    return f"{ident.scheme}:{value}" if value else None


def identifier_keys(entity: Entity) -> list[str]:
    keys = (identifier_key(i) for i in entity.identifiers)
    return list(dict.fromkeys(k for k in keys if k))


def name_keys(entity: Entity) -> list[str]:
    """Name keys an incoming record is merged by: its primary name and its other names of
    two words or more (a lone acronym or word such as "HTC" names too many parties), and
    none for persons, whose names are too often shared."""
    if entity.kind is EntityKind.PERSON:
        return []
    keys = [name_key(entity.name)]
    keys += [k for k in (name_key(n.value) for n in entity.names) if " " in k]
    return list(dict.fromkeys(k for k in keys if len(k) >= 3))


def blocks_name_merge(target: Entity, incoming: Entity) -> bool:
    """True when a shared name must not merge two records: either is a person, or both carry
    a strong identifier of the same scheme with no value in common (two OFAC entries with the
    same name but different ent_nums are two parties)."""
    if target.kind is EntityKind.PERSON or incoming.kind is EntityKind.PERSON:
        return True
    mine: dict[str, set[str]] = {}
    for key in identifier_keys(target):
        scheme, value = key.split(":", 1)
        mine.setdefault(scheme, set()).add(value)
    theirs: dict[str, set[str]] = {}
    for key in identifier_keys(incoming):
        scheme, value = key.split(":", 1)
        theirs.setdefault(scheme, set()).add(value)
    return any(scheme in mine and not (mine[scheme] & values) for scheme, values in theirs.items())


@dataclass(slots=True, frozen=True)
class MergeDecision:
    """Why an incoming record joined an entity: rule ``id``, ``identifier`` or ``name``."""

    list_id: str
    record: str
    entity_id: str
    rule: str
    key: str

    def to_json(self) -> dict[str, str]:
        return {
            "list": self.list_id,
            "record": self.record,
            "entity_id": self.entity_id,
            "rule": self.rule,
            "key": self.key,
        }


def merge_into(target: Entity, incoming: Entity) -> Entity:
    """A copy of ``target`` that also carries everything ``incoming`` knows."""
    have = {(n.value, n.kind) for n in target.names}
    names = list(target.names)
    primary = name_key(target.name)
    source = incoming.names[0].source_url if incoming.names else None
    script = "latin" if incoming.name.isascii() else detect_script(incoming.name)
    first = Name(incoming.name, NameKind.ALIAS, script, None, source)
    for name in [first, *incoming.names]:
        if name.value == target.name or (name.value, name.kind) in have:
            continue
        if name_key(name.value) == primary and name.kind is NameKind.ALIAS:
            continue
        have.add((name.value, name.kind))
        names.append(name)
    listings = list(target.listings)
    for listing in incoming.listings:
        if listing not in listings:
            listings.append(listing)
    identifiers = list(dict.fromkeys([*target.identifiers, *incoming.identifiers]))
    countries = list(dict.fromkeys([*target.countries, *incoming.countries]))
    sources = list(dict.fromkeys([*target.sources, *incoming.sources]))
    return Entity(
        id=target.id,
        kind=target.kind,
        name=target.name,
        names=names,
        countries=countries,
        identifiers=identifiers,
        listings=listings,
        device_hints=target.device_hints or incoming.device_hints,
        notes=target.notes or incoming.notes,
        sources=sources,
    )
