"""Convert registry records to and from plain JSON-able dicts (seed YAML and the store)."""

from __future__ import annotations

from datetime import date
from typing import Any

from clearance.model import (
    DeviceHints,
    Entity,
    EntityKind,
    Identifier,
    ListInfo,
    Listing,
    Name,
    NameKind,
    Relation,
    RelationKind,
    detect_script,
)

__all__ = [
    "entity_from_json",
    "list_from_json",
    "listing_from_json",
    "relation_from_json",
]


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def list_from_json(data: dict[str, Any]) -> ListInfo:
    return ListInfo(
        id=data["id"],
        title=data["title"],
        authority=data["authority"],
        jurisdiction=data["jurisdiction"],
        kind=data["kind"],
        source_url=data["source_url"],
        as_of=_date(data.get("as_of")),
        description=data.get("description"),
        translations=_translations(data.get("translations")),
        source_url_fr=data.get("source_url_fr"),
        applies_to=tuple(data.get("applies_to") or ()),
    )


def _translations(data: Any) -> dict[str, dict[str, str]]:
    return {
        str(lang): {str(k): str(v) for k, v in texts.items()}
        for lang, texts in (data or {}).items()
    }


def listing_from_json(data: dict[str, Any], lists: dict[str, ListInfo] | None = None) -> Listing:
    """Build a listing; authority, jurisdiction and who it binds (``applies_to``) default to
    the list's own."""
    list_id = data.get("list") or data["list_id"]
    info = (lists or {}).get(list_id)
    authority = data.get("authority") or (info.authority if info else "")
    jurisdiction = data.get("jurisdiction") or (info.jurisdiction if info else "")
    return Listing(
        list_id=list_id,
        authority=authority,
        jurisdiction=jurisdiction,
        program=data["program"],
        source_url=data["source_url"],
        start_date=_date(data.get("start_date")),
        end_date=_date(data.get("end_date")),
        scope=data.get("scope"),
        citation=data.get("citation"),
        entry_id=data.get("entry_id"),
        applies_to=tuple(data.get("applies_to") or (info.applies_to if info else ())),
        translations=_translations(data.get("translations")),
        source_url_fr=data.get("source_url_fr"),
    )


def name_from_json(data: str | dict[str, Any]) -> Name:
    if isinstance(data, str):
        return Name.of(data)
    value = data["value"]
    return Name(
        value=value,
        kind=NameKind(data.get("kind") or NameKind.ALIAS),
        script=data.get("script") or detect_script(value),
        lang=data.get("lang"),
        source_url=data.get("source_url"),
    )


def hints_from_json(data: dict[str, Any] | None) -> DeviceHints | None:
    if not data:
        return None
    return DeviceHints(
        mac_registrants=tuple(data.get("mac_registrants") or ()),
        snmp_enterprises=tuple(int(x) for x in data.get("snmp_enterprises") or ()),
        model_patterns=tuple(data.get("model_patterns") or ()),
        brands=tuple(data.get("brands") or ()),
        source_urls=tuple(data.get("source_urls") or ()),
    )


def entity_from_json(data: dict[str, Any], lists: dict[str, ListInfo] | None = None) -> Entity:
    return Entity(
        id=data["id"],
        kind=EntityKind(data["kind"]),
        name=data["name"],
        names=[name_from_json(n) for n in data.get("names") or ()],
        countries=list(data.get("countries") or ()),
        identifiers=[
            Identifier(i["scheme"], str(i["value"])) for i in data.get("identifiers") or ()
        ],
        listings=[listing_from_json(x, lists) for x in data.get("listings") or ()],
        device_hints=hints_from_json(data.get("device_hints")),
        notes=data.get("notes"),
        sources=list(data.get("sources") or ()),
    )


def relation_from_json(data: dict[str, Any]) -> Relation:
    """Build a relation; ``parent`` is stored as its inverse, ``subsidiary``."""
    kind = RelationKind(data["kind"])
    subject, obj = data["subject"], data["object"]
    if kind is RelationKind.PARENT:
        kind, subject, obj = RelationKind.SUBSIDIARY, obj, subject
    return Relation(
        subject=subject,
        kind=kind,
        object=obj,
        source_url=data["source_url"],
        certainty=float(data.get("certainty", 1.0)),
        note=data.get("note"),
    )
