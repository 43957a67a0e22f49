"""The registry as FollowTheMoney entities, the JSON lines yente and Aleph load.

Each party becomes a ``Company``, ``Organization``, ``Person`` or ``LegalEntity`` with its
names (``name``, ``alias``, ``previousName``), countries, identifiers in their FtM properties
(``uscCode``, ``isinCode``, ``leiCode`` …), ``topics`` from the kinds of lists it is on and its
``notes``; each listing becomes a ``Sanction`` on it (authority, program, dates, scope as
``provisions``, citation as ``summary``, source URLs); relations become ``Ownership``
(subsidiary, parent) or ``UnknownLink`` (affiliate, brand, OEM label). The registry holds no
successor relation, so no ``Succession`` is written.

Ids are stable and prefixed: ``clearance-<entity id>`` for a party, ``clearance-sanction-…``
and ``clearance-rel-…`` (a digest of what the record states) for the others. Categories of
equipment (FCC Covered List categories) are not parties and have no FtM schema: they are left
out (:func:`ftm_records` counts them).

The FtM model itself (``followthemoney``) is not needed at run time; the tests check every
record against it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from clearance.model import Entity, EntityKind, Listing, NameKind, Relation, RelationKind
from clearance.registry.registry import Registry

__all__ = ["PREFIX", "FtmExport", "entity_ftm_id", "ftm_records", "has_ftm_schema"]

PREFIX = "clearance"
DATASET = "clearance"

_SCHEMA = {
    EntityKind.COMPANY: "Company",
    EntityKind.ORGANISATION: "Organization",
    EntityKind.PERSON: "Person",
}
# Identifier scheme -> FtM property (on LegalEntity and its descendants, unless noted).
_ID_PROPS = {
    "uscc": "uscCode",
    "isin": "isinCode",  # Company only; elsewhere registrationNumber
    "ticker": "ticker",  # Company only
    "lei": "leiCode",
    "registration": "registrationNumber",
    "tax_id": "taxNumber",
    "duns": "dunsCode",
    "swift_bic": "swiftBic",
    "imo": "imoNumber",  # Vessel only; elsewhere registrationNumber
    "passport": "passportNumber",  # Person only
    "national_id": "idNumber",
    "inn": "innCode",
    "ogrn": "ogrnCode",
}
_COMPANY_ONLY = {"isinCode", "ticker"}
_PERSON_ONLY = {"passportNumber"}
_ORG_PROPS = {"swiftBic"}  # Organization, Company
_VESSEL_ONLY = {"imoNumber"}
# The kind of a list -> FtM topics of the parties on it.
_TOPICS = {
    "sanctions": ("sanction",),
    "export-control": ("export.control",),
    "procurement": ("debarment",),
    "telecom-security": ("debarment",),
    "forced-labour": ("forced.labor",),
    "investment-restriction": ("invest.ban",),
    "designation": ("mil",),
    "national-security-order": ("reg.action",),
}
_ID_CHARS = re.compile(r"[^0-9a-zA-Z.\-]+")
_COUNTRY = re.compile(r"^[a-z]{2}$")
_MAX_ID = 200


def _digest(*parts: str | None) -> str:
    text = "\x1f".join(p or "" for p in parts)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]


def entity_ftm_id(entity_id: str) -> str:
    """The FtM id of a registry entity: ``clearance-<id>``, with characters FtM ids do not
    allow replaced (and a digest added so that two ids never meet)."""
    safe = _ID_CHARS.sub("-", entity_id).strip("-.")
    if safe != entity_id or len(safe) + len(PREFIX) + 1 > _MAX_ID:
        safe = f"{safe[: _MAX_ID - len(PREFIX) - 19]}-{_digest(entity_id)}".strip("-.")
    return f"{PREFIX}-{safe}"


def _countries(values: Iterable[str]) -> list[str]:
    codes = [v.strip().lower() for v in values]
    return list(dict.fromkeys(c for c in codes if _COUNTRY.match(c)))


def _iso(value: date | None) -> list[str]:
    return [value.isoformat()] if value else []


def _urls(*values: str | None) -> list[str]:
    return list(dict.fromkeys(v for v in values if v and v.startswith(("http://", "https://"))))


def _texts(*values: str | None) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def _names(*values: str) -> list[str]:
    """Names as FtM keeps them: whitespace runs (line breaks included) as one space."""
    return list(dict.fromkeys(text for v in values if (text := " ".join(v.split()))))


def _record(ident: str, schema: str, props: dict[str, list[str]], **extra: Any) -> dict[str, Any]:
    """An FtM entity as JSON, empty properties dropped."""
    return {
        "id": ident,
        "schema": schema,
        "properties": {k: v for k, v in props.items() if v},
        "datasets": [DATASET],
        **extra,
    }


def _id_property(schema: str, scheme: str) -> str | None:
    prop = _ID_PROPS.get(scheme)
    if prop is None:
        return None
    if (
        (prop in _COMPANY_ONLY and schema != "Company")
        or (prop in _PERSON_ONLY and schema != "Person")
        or (prop in _ORG_PROPS and schema not in {"Company", "Organization"})
        or prop in _VESSEL_ONLY
    ):
        return "registrationNumber"
    return prop


def _party(entity: Entity, schema: str, topics: list[str]) -> dict[str, Any]:
    names = [entity.name] + [n.value for n in entity.names if n.kind is NameKind.LEGAL]
    props: dict[str, list[str]] = {
        "name": _names(*names),
        "alias": _names(
            *(
                n.value
                for n in entity.names
                if n.kind in {NameKind.ALIAS, NameKind.BRAND, NameKind.TRANSLATED}
            )
        ),
        "previousName": _names(*(n.value for n in entity.names if n.kind is NameKind.FORMER)),
        "country": _countries(entity.countries),
        "topics": topics,
        "notes": _texts(entity.notes),
        "sourceUrl": _urls(*entity.sources),
    }
    unmapped: list[str] = []
    for ident in entity.identifiers:
        prop = _id_property(schema, ident.scheme)
        if prop is None:
            unmapped.append(f"{ident.scheme}: {ident.value}")
        else:
            props.setdefault(prop, []).extend(_texts(ident.value))
    props = {k: list(dict.fromkeys(v)) for k, v in props.items()}
    if unmapped:  # the list's own keys (OFAC ent_num …): no FtM property names them
        props["notes"] = [*props["notes"], "Identifiers: " + "; ".join(unmapped)]
    return _record(
        entity_ftm_id(entity.id), schema, props, caption=entity.name, target=bool(entity.listings)
    )


def _sanction(entity: Entity, listing: Listing, registry: Registry) -> dict[str, Any]:
    info = registry.lists.get(listing.list_id)
    start = listing.start_date.isoformat() if listing.start_date else None
    ident = _digest(entity.id, listing.list_id, listing.program, listing.entry_id, start)
    props: dict[str, list[str]] = {
        "entity": [entity_ftm_id(entity.id)],
        "authority": _texts(listing.authority),
        "authorityId": _texts(listing.entry_id),
        "country": _countries([listing.jurisdiction]),
        "program": _texts(listing.program, listing.text("program", "fr")),
        "programId": _texts(listing.list_id),
        "programUrl": _urls(info.source_url if info else None),
        "provisions": _texts(listing.scope, listing.text("scope", "fr")),
        "summary": _texts(listing.citation),
        "startDate": _iso(listing.start_date),
        "listingDate": _iso(listing.start_date),
        "endDate": _iso(listing.end_date),
        "sourceUrl": _urls(listing.source_url, listing.source_url_fr),
    }
    if info is not None:
        props["publisher"] = _texts(info.title)
    return _record(f"{PREFIX}-sanction-{ident}", "Sanction", props)


def _link(rel: Relation) -> dict[str, Any]:
    subject, obj = entity_ftm_id(rel.subject), entity_ftm_id(rel.object)
    ident = f"{PREFIX}-rel-{_digest(rel.subject, str(rel.kind), rel.object)}"
    described = _texts(rel.note, f"certainty {rel.certainty:g}" if rel.certainty < 1 else None)
    common = {"sourceUrl": _urls(rel.source_url), "description": described}
    if rel.kind is RelationKind.SUBSIDIARY:  # subject is a subsidiary of object
        props = {"owner": [obj], "asset": [subject], "role": ["subsidiary"], **common}
        return _record(ident, "Ownership", props)
    if rel.kind is RelationKind.PARENT:  # subject is the parent of object
        props = {"owner": [subject], "asset": [obj], "role": ["parent"], **common}
        return _record(ident, "Ownership", props)
    role = {
        RelationKind.AFFILIATE: "affiliate of",
        RelationKind.BRAND: "brand of",
        RelationKind.OEM_OF: "OEM label of",
    }.get(rel.kind, str(rel.kind))
    props = {"subject": [subject], "object": [obj], "role": [role], **common}
    return _record(ident, "UnknownLink", props)


@dataclass(slots=True)
class FtmExport:
    """What :func:`ftm_records` wrote and left out."""

    records: int = 0
    categories_left_out: list[str] = field(default_factory=list)


def has_ftm_schema(entity: Entity) -> bool:
    """Whether ``entity`` is a party FtM has a schema for (a category of equipment is not)."""
    return entity.kind in _SCHEMA


def ftm_records(
    registry: Registry, entities: Iterable[Entity], report: FtmExport | None = None
) -> Iterator[dict[str, Any]]:
    """FtM records for ``entities``: each party, then its sanctions; then the relations whose
    both ends were written. ``report`` (when given) counts them and names what was left out."""
    report = report if report is not None else FtmExport()
    written: set[str] = set()
    for entity in entities:
        schema = _SCHEMA.get(entity.kind)
        if schema is None:
            report.categories_left_out.append(entity.id)
            continue
        kinds = (
            registry.lists[x.list_id].kind for x in entity.listings if x.list_id in registry.lists
        )
        topics = list(dict.fromkeys(t for kind in kinds for t in _TOPICS.get(kind, ())))
        written.add(entity.id)
        report.records += 1
        yield _party(entity, schema, topics)
        for listing in entity.listings:
            report.records += 1
            yield _sanction(entity, listing, registry)
    for rel in registry.relations:
        if rel.subject in written and rel.object in written:
            report.records += 1
            yield _link(rel)
