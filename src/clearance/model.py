"""Core records shared by every part of Clearance.

Slotted dataclasses, no behaviour beyond small conversions. JSON shapes follow the interface
contract in DESIGN.md: :meth:`Listing.to_json`, :meth:`Asset.to_json` and friends are what
``--format json`` prints and what other tools rely on.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

__all__ = [
    "Asset",
    "Attribution",
    "DeviceHints",
    "Entity",
    "EntityKind",
    "Evidence",
    "Finding",
    "Identifier",
    "ListInfo",
    "Listing",
    "Name",
    "NameKind",
    "Observation",
    "Relation",
    "RelationKind",
    "detect_script",
]


class EntityKind(StrEnum):
    """What a registry entry stands for."""

    COMPANY = "company"
    PERSON = "person"
    ORGANISATION = "organisation"  # government bodies, agencies, paramilitary corps
    CATEGORY = "category"  # a class of equipment, e.g. "foreign-produced UAS"


class NameKind(StrEnum):
    """How a name relates to its entity."""

    LEGAL = "legal"
    ALIAS = "alias"
    BRAND = "brand"
    FORMER = "former"
    TRANSLATED = "translated"


class RelationKind(StrEnum):
    """``subject`` is ``kind`` of ``object``: "EZVIZ is a brand of Hikvision"."""

    PARENT = "parent"
    SUBSIDIARY = "subsidiary"
    AFFILIATE = "affiliate"
    BRAND = "brand"
    OEM_OF = "oem_of"


def detect_script(text: str) -> str:
    """Return the dominant script of ``text``: latin, han, cyrillic, greek, arabic or other."""
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        uname = unicodedata.name(char, "")
        if uname.startswith("CJK") or "IDEOGRAPH" in uname:
            script = "han"
        else:
            script = uname.split(" ", 1)[0].lower() if uname else "other"
            if script not in {"latin", "cyrillic", "greek", "arabic", "hangul", "hiragana"}:
                script = "other"
        counts[script] = counts.get(script, 0) + 1
    if not counts:
        return "latin"
    return max(counts.items(), key=lambda item: item[1])[0]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(slots=True, frozen=True)
class Name:
    """One name of an entity, with its script and kind."""

    value: str
    kind: NameKind = NameKind.ALIAS
    script: str = "latin"
    lang: str | None = None
    source_url: str | None = None

    @classmethod
    def of(
        cls,
        value: str,
        kind: NameKind | str = NameKind.ALIAS,
        lang: str | None = None,
        source_url: str | None = None,
    ) -> Name:
        """Build a name and detect its script."""
        return cls(value, NameKind(kind), detect_script(value), lang, source_url)

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "kind": str(self.kind),
            "script": self.script,
            "lang": self.lang,
            "source_url": self.source_url,
        }


@dataclass(slots=True, frozen=True)
class Identifier:
    """A registration or market identifier (scheme: uscc, lei, isin, ticker, ofac_ent_num …)."""

    scheme: str
    value: str

    def to_json(self) -> dict[str, Any]:
        return {"scheme": self.scheme, "value": self.value}


@dataclass(slots=True, frozen=True)
class ListInfo:
    """A restricted-party list or legal instrument that the registry draws on."""

    id: str
    title: str
    authority: str
    jurisdiction: str
    kind: str  # sanctions | export-control | procurement | forced-labour | investment-order …
    source_url: str
    as_of: date | None = None
    description: str | None = None
    # texts in other languages, where the source publishes them: {"fr": {"title": …}}
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict, hash=False)
    source_url_fr: str | None = None
    # who the list's measure binds, for its listings that name no one themselves
    # (vocabulary: clearance.profile.BOUND_PARTIES)
    applies_to: tuple[str, ...] = ()

    def text(self, name: str, lang: str | None = None) -> str | None:
        """``title``, ``authority`` or ``description`` in ``lang`` where the source gives it."""
        return localised(self, name, lang)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "authority": self.authority,
            "jurisdiction": self.jurisdiction,
            "kind": self.kind,
            "source_url": self.source_url,
            "as_of": _iso(self.as_of),
            "description": self.description,
        }
        if self.translations:
            data["translations"] = {k: dict(v) for k, v in self.translations.items()}
        if self.source_url_fr:
            data["source_url_fr"] = self.source_url_fr
        if self.applies_to:
            data["applies_to"] = list(self.applies_to)
        return data


@dataclass(slots=True, frozen=True)
class Listing:
    """One entity's entry on one list: who restricts it, since when, for what scope."""

    list_id: str
    authority: str
    jurisdiction: str
    program: str
    source_url: str
    start_date: date | None = None
    end_date: date | None = None
    scope: str | None = None
    citation: str | None = None
    entry_id: str | None = None  # the list's own key, e.g. OFAC ent_num 30946
    # who the measure binds: federal-departments, telecom-service-providers, us-federal-
    # contractors, ear-exporters, uflpa-importers … (vocabulary: clearance.profile.BOUND_PARTIES)
    applies_to: tuple[str, ...] = ()
    # texts in other languages, where the source publishes them: {"fr": {"scope": …}}
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict, hash=False)
    source_url_fr: str | None = None

    def text(self, name: str, lang: str | None = None) -> str | None:
        """``program`` or ``scope`` in ``lang`` where the source gives it, else as listed."""
        return localised(self, name, lang)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "list": self.list_id,
            "authority": self.authority,
            "jurisdiction": self.jurisdiction,
            "program": self.program,
            "start_date": _iso(self.start_date),
            "end_date": _iso(self.end_date),
            "scope": self.scope,
            "source_url": self.source_url,
            "citation": self.citation,
            "entry_id": self.entry_id,
        }
        if self.applies_to:
            data["applies_to"] = list(self.applies_to)
        if self.translations:
            data["translations"] = {k: dict(v) for k, v in self.translations.items()}
        if self.source_url_fr:
            data["source_url_fr"] = self.source_url_fr
        return data


def localised(record: Any, name: str, lang: str | None) -> str | None:
    """Field ``name`` of a list or listing in ``lang`` (its translation), else as recorded."""
    if lang:
        text = record.translations.get(lang, {}).get(name)
        if text:
            return str(text)
    value = getattr(record, name)
    return None if value is None else str(value)


@dataclass(slots=True, frozen=True)
class Relation:
    """``subject`` is ``kind`` of ``object`` (entity ids), as claimed by ``source_url``.

    ``certainty`` is 0..1: 1.0 for a company's own filing, lower for press reports of OEM
    relabelling, which hold for some models only.
    """

    subject: str
    kind: RelationKind
    object: str
    source_url: str
    certainty: float = 1.0
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "kind": str(self.kind),
            "object": self.object,
            "certainty": self.certainty,
            "source_url": self.source_url,
            "note": self.note,
        }


@dataclass(slots=True, frozen=True)
class DeviceHints:
    """What links equipment to an entity: registrant names as the IEEE registry spells them,
    IANA SNMP enterprise numbers, model-number regexes (anchored) and brand names."""

    mac_registrants: tuple[str, ...] = ()
    snmp_enterprises: tuple[int, ...] = ()
    model_patterns: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    source_urls: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (
            self.mac_registrants or self.snmp_enterprises or self.model_patterns or self.brands
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "mac_registrants": list(self.mac_registrants),
            "snmp_enterprises": list(self.snmp_enterprises),
            "model_patterns": list(self.model_patterns),
            "brands": list(self.brands),
            "source_urls": list(self.source_urls),
        }


@dataclass(slots=True)
class Entity:
    """A restricted party (or a party related to one), or a category of equipment."""

    id: str
    kind: EntityKind
    name: str
    names: list[Name] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)
    device_hints: DeviceHints | None = None
    notes: str | None = None
    sources: list[str] = field(default_factory=list)

    def all_names(self) -> list[str]:
        """The primary name followed by every other name, without repeats."""
        seen: dict[str, None] = {self.name: None}
        for name in self.names:
            seen.setdefault(name.value, None)
        return list(seen)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": str(self.kind),
            "name": self.name,
            "names": [n.to_json() for n in self.names],
            "countries": list(self.countries),
            "identifiers": [i.to_json() for i in self.identifiers],
            "listings": [lst.to_json() for lst in self.listings],
            "device_hints": self.device_hints.to_json() if self.device_hints else None,
            "notes": self.notes,
            "sources": list(self.sources),
        }


@dataclass(slots=True, frozen=True)
class Evidence:
    """One observed fact about a device and the rule that read it.

    ``kind`` names the evidence: mac, http_server, http_title, rtsp_server, snmp_sysdescr,
    snmp_object_id, tls_subject, favicon, hostname, model_number, make, brand, sadp, dhip,
    onvif, banner … ``rule`` is the id of the fingerprint rule (or ``None`` for raw facts).
    """

    kind: str
    value: str
    rule: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, "rule": self.rule}


@dataclass(slots=True)
class Observation:
    """What one source says about one device, before identification."""

    source: str
    ip: str | None = None
    mac: str | None = None
    hostname: str | None = None
    site: str | None = None
    facts: dict[str, str] = field(default_factory=dict)  # make, model, serial, firmware …
    evidence: list[Evidence] = field(default_factory=list)
    record: dict[str, Any] | None = None  # the original input row for inventories


@dataclass(slots=True, frozen=True)
class Attribution:
    """Why a device counts as restricted: the entity, how it relates, how sure we are."""

    entity_id: str
    entity: str
    relation: str  # manufacturer | subsidiary | brand | oem
    certainty: float
    listings: tuple[Listing, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "entity": self.entity,
            "relation": self.relation,
            "certainty": self.certainty,
            "listings": [lst.to_json() for lst in self.listings],
        }


@dataclass(slots=True)
class Asset:
    """An identified device: what it is, where, and whether it is restricted, with evidence."""

    source: str
    ip: str | None = None
    mac: str | None = None
    hostname: str | None = None
    manufacturer: str | None = None
    brand: str | None = None
    model: str | None = None
    firmware: str | None = None
    serial: str | None = None
    site: str | None = None
    record: dict[str, Any] | None = None
    restricted: list[Attribution] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    # From asset registers: the tag, the room or place within the site, who holds it, and the
    # life-cycle status as written with what it means (disposed | held | in_service).
    asset_tag: str | None = None
    location: str | None = None
    custodian: str | None = None
    register_status: str | None = None
    register_state: str | None = None

    @property
    def disposed(self) -> bool:
        """The register says the device is no longer held (it opens no finding)."""
        return self.register_state == "disposed"

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "ip": self.ip,
            "mac": self.mac,
            "hostname": self.hostname,
            "manufacturer": self.manufacturer,
            "brand": self.brand,
            "model": self.model,
            "firmware": self.firmware,
            "serial": self.serial,
            "site": self.site,
            "asset_tag": self.asset_tag,
            "location": self.location,
            "custodian": self.custodian,
            "register_status": self.register_status,
            "register_state": self.register_state,
            "record": self.record,
            "restricted": [a.to_json() for a in self.restricted],
            "evidence": [e.to_json() for e in self.evidence],
        }


@dataclass(slots=True)
class Finding:
    """A restricted asset or supplier hit, tracked until it is gone (see the store)."""

    id: str
    kind: str  # device | supplier
    subject: str  # asset id or supplier key
    entity_id: str
    status: str = "open"
    site: str | None = None
    owner: str | None = None
    due_date: date | None = None
    note: str | None = None
