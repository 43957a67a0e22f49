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
    "MergedEntity",
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
    return _conflict(_by_scheme(identifier_keys(target)), incoming)


def _by_scheme(keys: list[str]) -> dict[str, set[str]]:
    """``scheme -> values`` of strong identifier keys."""
    out: dict[str, set[str]] = {}
    for key in keys:
        scheme, value = key.split(":", 1)
        out.setdefault(scheme, set()).add(value)
    return out


def _conflict(mine: dict[str, set[str]], incoming: Entity) -> bool:
    """True when ``incoming`` has a strong identifier scheme of ``mine`` with no value in
    common."""
    theirs = _by_scheme(identifier_keys(incoming))
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


class MergedEntity:
    """An entity that incoming records keep joining.

    Each :meth:`add` costs the size of the incoming record, not of what the entity has
    gathered so far, so thousands of records joining one entity (the same party on many
    programmes) merge in linear time. :meth:`entity` builds the merged :class:`Entity`.
    Names and strong identifier keys added since the last :meth:`take_added` are kept, so a
    store can write only those.
    """

    __slots__ = (
        "_have_names",
        "_primary",
        "_seen_listings",
        "_strong",
        "added_keys",
        "added_names",
        "countries",
        "device_hints",
        "id",
        "identifiers",
        "kind",
        "listings",
        "name",
        "names",
        "notes",
        "sources",
    )

    def __init__(self, target: Entity) -> None:
        self.id = target.id
        self.kind = target.kind
        self.name = target.name
        self.names = list(target.names)
        self.listings = list(target.listings)
        self.identifiers = dict.fromkeys(target.identifiers)
        self.countries = dict.fromkeys(target.countries)
        self.sources = dict.fromkeys(target.sources)
        self.device_hints = target.device_hints
        self.notes = target.notes
        self._primary = name_key(target.name)
        self._have_names = {(n.value, n.kind) for n in target.names}
        self._seen_listings = set(target.listings)
        self._strong = _by_scheme(identifier_keys(target))
        self.added_names: list[str] = []
        self.added_keys: list[str] = []

    def add(self, incoming: Entity) -> None:
        """Take in everything ``incoming`` knows (the target keeps its id and primary name)."""
        source = incoming.names[0].source_url if incoming.names else None
        script = "latin" if incoming.name.isascii() else detect_script(incoming.name)
        first = Name(incoming.name, NameKind.ALIAS, script, None, source)
        for name in [first, *incoming.names]:
            if name.value == self.name or (name.value, name.kind) in self._have_names:
                continue
            if name.kind is NameKind.ALIAS and name_key(name.value) == self._primary:
                continue
            self._have_names.add((name.value, name.kind))
            self.names.append(name)
            self.added_names.append(name.value)
        for listing in incoming.listings:
            if listing not in self._seen_listings:
                self._seen_listings.add(listing)
                self.listings.append(listing)
        for ident in incoming.identifiers:
            if ident in self.identifiers:
                continue
            self.identifiers[ident] = None
            key = identifier_key(ident)
            if key is not None:
                scheme, value = key.split(":", 1)
                self._strong.setdefault(scheme, set()).add(value)
                self.added_keys.append(key)
        self.countries.update(dict.fromkeys(incoming.countries))
        self.sources.update(dict.fromkeys(incoming.sources))
        self.device_hints = self.device_hints or incoming.device_hints
        self.notes = self.notes or incoming.notes

    def blocks(self, incoming: Entity) -> bool:
        """:func:`blocks_name_merge` of this entity and ``incoming``."""
        if self.kind is EntityKind.PERSON or incoming.kind is EntityKind.PERSON:
            return True
        theirs: dict[str, set[str]] = {}
        for key in identifier_keys(incoming):
            scheme, value = key.split(":", 1)
            theirs.setdefault(scheme, set()).add(value)
        mine = self._strong
        return any(
            scheme in mine and not (mine[scheme] & values) for scheme, values in theirs.items()
        )

    def take_added(self) -> tuple[list[str], list[str]]:
        """The names and strong identifier keys added since the last call."""
        names, keys = self.added_names, self.added_keys
        self.added_names, self.added_keys = [], []
        return names, keys

    def entity(self) -> Entity:
        return Entity(
            id=self.id,
            kind=self.kind,
            name=self.name,
            names=list(self.names),
            countries=list(self.countries),
            identifiers=list(self.identifiers),
            listings=list(self.listings),
            device_hints=self.device_hints,
            notes=self.notes,
            sources=list(self.sources),
        )


def merge_into(target: Entity, incoming: Entity) -> Entity:
    """A copy of ``target`` that also carries everything ``incoming`` knows."""
    merged = MergedEntity(target)
    merged.add(incoming)
    return merged.entity()
