"""The US Consolidated Screening List record, shared by the CSV and JSON importers.

One CSL row names a party on one of the lists it consolidates (EL, MEU, UVL, DPL, SDN,
NS-CMIC …). Names can embed affiliates ("… Affiliated Entity: X; Y"): those become their own
entities, linked to the party as ``affiliate``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from clearance.errors import InputError
from clearance.i18n import gettext as _
from clearance.model import (
    Entity,
    EntityKind,
    Identifier,
    ListInfo,
    Listing,
    Name,
    NameKind,
    Relation,
    RelationKind,
)
from clearance.registry.importers.base import Item
from clearance.registry.importers.cell_values import country_code, name_of, split_multi
from clearance.registry.importers.dates import date_field, parse_date
from clearance.registry.importers.identifiers import clean_identifier, scheme_for, stable_id

__all__ = ["CSL_LIST", "CSL_URL", "csl_items"]

CSL_URL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
CSL_LIST = ListInfo(
    id="us-csl",
    title="Consolidated Screening List",
    authority="US Departments of Commerce, State and the Treasury (trade.gov)",
    jurisdiction="US",
    kind="export-control",
    source_url=CSL_URL,
    description="Parties on the export-control and sanctions lists of Commerce (EL, MEU, UVL, "
    "DPL), State (ISN, DTC) and the Treasury (SDN, NS-CMIC, SSI, FSE, PLC, CAP), in one file.",
)

_CODE = re.compile(r"\(([A-Z][A-Z0-9-]*)\)")
_AFFILIATES = re.compile(r"[\s.;,]*Affiliated Entit(?:y|ies)\s*:\s*", re.IGNORECASE)
_TRAILING_ALIAS = re.compile(r"^(?P<name>.+?)\s*\((?P<alias>[^()]{1,40})\)\s*\.?$")
_SEMI = re.compile(r"\s*;\s*")
_MAX_ENTRY = 120  # longest _id used as is (entity ids are at most 200 characters)


def _code(source: str) -> str:
    match = _CODE.search(source)
    return match.group(1) if match else source.split(" - ")[0].strip() or "CSL"


def _authority(source: str) -> str:
    return source.split(" - ", 1)[1].strip() if " - " in source else CSL_LIST.authority


def _identifiers(cell: str, entity_number: str, source: str) -> list[Identifier]:
    out: list[Identifier] = []
    for item in split_multi(cell, _SEMI):
        parts = [p.strip() for p in item.split(",") if p.strip()]
        labels = [i for i, p in enumerate(parts) if scheme_for(p)]
        label_at = next((i for i in labels if not any(c.isdigit() for c in parts[i])), None)
        if label_at is None and labels:
            label_at = labels[0]
        if label_at is None:
            continue
        scheme = scheme_for(parts[label_at]) or ""
        values = [
            p for i, p in enumerate(parts) if i != label_at and not (len(p) == 2 and p.isalpha())
        ]
        if values and scheme != "ticker":
            out.append(Identifier(scheme, clean_identifier(scheme, values[0])))
    if entity_number and "treasury" in source.casefold():
        out.append(Identifier("ofac_ent_num", entity_number))
    return list(dict.fromkeys(out))


def _entry_id(entry: str) -> str:
    """The entity id of a record with CSL ``_id`` ``entry``: the whole ``_id`` (records
    whose ids share a prefix stay apart), or its full sha256 when too long for an id."""
    if len(entry) <= _MAX_ENTRY:
        return f"us-csl-{entry}"
    return f"us-csl-{hashlib.sha256(entry.encode()).hexdigest()}"


def _countries(row: dict[str, str]) -> list[str]:
    found: list[str] = []
    for address in split_multi(row.get("addresses"), _SEMI):
        code = country_code(address.rsplit(",", 1)[-1])
        if code:
            found.append(code)
    for key in ("citizenships", "nationalities"):
        for value in split_multi(row.get(key), _SEMI):
            code = country_code(value)
            if code:
                found.append(code)
    return list(dict.fromkeys(found))


def csl_items(row: dict[str, str], path: Path, line: int | None, record: str) -> Iterator[Item]:
    """Entities (and affiliate relations) of one CSL record given as a column -> text dict."""
    source = (row.get("source") or "").strip()
    raw_name = (row.get("name") or "").strip()
    if not raw_name:
        raise InputError(
            _("the party has no name"), path=str(path), line=line, record=record, field="name"
        )
    parts = _AFFILIATES.split(raw_name, maxsplit=1)
    primary = parts[0].strip()
    if len(parts) > 1:
        primary = primary.rstrip(".").strip()
    affiliates = split_multi(parts[1], _SEMI) if len(parts) > 1 else []
    names: list[Name] = []
    trailing = _TRAILING_ALIAS.match(primary)
    if trailing and not trailing.group("alias").lower().startswith(("a.k.a", "including")):
        # "Huawei Technologies Co., Ltd. (Huawei)": the name, its short form, the whole
        names.append(name_of(trailing.group("alias"), NameKind.ALIAS, source_url=CSL_URL))
        names.append(name_of(primary, NameKind.ALIAS, source_url=CSL_URL))
        primary = trailing.group("name").strip()
    for alias in split_multi(row.get("alt_names"), _SEMI):
        if alias != primary:
            names.append(name_of(alias, NameKind.ALIAS, source_url=CSL_URL))
    entry = (row.get("_id") or "").strip()
    number = (row.get("entity_number") or "").strip()
    entity_id = (
        _entry_id(entry)
        if entry
        else stable_id(
            "us-csl",
            source,
            number,
            raw_name,
            row.get("addresses") or "",
            row.get("start_date") or "",
        )
    )
    start_date = date_field(row.get("start_date"), path, "start_date", line=line, record=record)
    programs = "; ".join(split_multi(row.get("programs"), _SEMI))
    code = _code(source)
    scope = "; ".join(
        x
        for x in (
            (row.get("license_requirement") or "").strip(),
            (row.get("license_policy") or "").strip(),
        )
        if x
    )
    listing = Listing(
        list_id=CSL_LIST.id,
        authority=_authority(source),
        jurisdiction="US",
        program=f"{code}: {programs}" if programs else code,
        source_url=(row.get("source_list_url") or "").strip() or CSL_URL,
        start_date=start_date,
        end_date=parse_date(row.get("end_date")),
        scope=scope or None,
        citation=(row.get("federal_register_notice") or "").strip() or None,
        entry_id=entry or number or None,
    )
    kind = (
        EntityKind.PERSON
        if (row.get("type") or "").strip().lower() == "individual"
        else (EntityKind.COMPANY)
    )
    yield Entity(
        id=entity_id,
        kind=kind,
        name=primary,
        names=list(dict.fromkeys(names)),
        countries=_countries(row),
        identifiers=_identifiers(row.get("ids") or "", number, source),
        listings=[listing],
        notes=(row.get("remarks") or "").strip() or None,
        sources=[CSL_URL],
    )
    for affiliate in affiliates:
        aff_id = stable_id(entity_id, affiliate)
        yield Entity(
            id=aff_id,
            kind=EntityKind.COMPANY,
            name=affiliate,
            names=[],
            countries=_countries(row),
            sources=[CSL_URL],
            notes=f"Named as an affiliated entity in the CSL entry for {primary}.",
        )
        yield Relation(
            subject=aff_id,
            kind=RelationKind.AFFILIATE,
            object=entity_id,
            source_url=listing.source_url,
            note="named as an affiliated entity in the CSL entry",
        )
