"""``ftm-json``: FollowTheMoney entity JSON lines as OpenSanctions publishes them, and delta
files (``{"op": "ADD"|"MOD"|"DEL", "entity": {…}}``; ADD and MOD lines are imported, DEL
lines are skipped). Only parties (Person, Organization, Company, LegalEntity, PublicBody,
Vessel, Airplane) become entities. OpenSanctions data is CC BY-NC 4.0 (non-commercial)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from clearance.errors import FormatError, InputError
from clearance.i18n import gettext as _
from clearance.model import Entity, EntityKind, Identifier, Listing, NameKind
from clearance.registry.importers.base import ImportFormat, Item, Limits
from clearance.registry.importers.cell_values import country_code, name_of
from clearance.registry.importers.dates import parse_date
from clearance.registry.importers.opensanctions import LICENCE, LIST, SCHEMA_KINDS
from clearance.textio import open_text

__all__ = ["FORMAT", "ftm_entity"]

URL = "https://data.opensanctions.org/datasets/latest/default/entities.ftm.json"
_IDS = {
    "leiCode": "lei",
    "isinCode": "isin",
    "isin": "isin",
    "swiftBic": "swift_bic",
    "imoNumber": "imo",
    "registrationNumber": "registration",
    "taxNumber": "tax_id",
    "innCode": "tax_id",
    "ogrnCode": "registration",
    "uniqueEntityId": "registration",
    "dunsCode": "duns",
    "passportNumber": "passport",
}


def detect(path: Path, head: bytes) -> bool:
    first = head.lstrip().split(b"\n", 1)[0]
    return (
        path.is_file()
        and first.startswith(b"{")
        and ((b'"schema"' in first and b'"properties"' in first) or b'"op"' in first)
    )


def _values(props: dict[str, Any], key: str) -> list[str]:
    raw = props.get(key) or []
    return [str(v).strip() for v in (raw if isinstance(raw, list) else [raw]) if str(v).strip()]


def ftm_entity(data: dict[str, Any], path: Path, line: int) -> Entity | None:
    """An entity from one FtM object, or None for schemata that are not parties."""
    schema = data.get("schema")
    ident = data.get("id")
    if not isinstance(schema, str) or not isinstance(ident, str) or not ident:
        raise InputError(
            _("an entity needs id and schema"),
            path=str(path),
            line=line,
            field="id" if not ident else "schema",
        )
    kind = SCHEMA_KINDS.get(schema)
    if kind is None:
        return None
    props = data.get("properties")
    if not isinstance(props, dict):
        raise InputError(
            _("properties is not an object"),
            path=str(path),
            line=line,
            record=ident,
            field="properties",
        )
    names = _values(props, "name")
    if not names:
        caption = data.get("caption")
        if not caption:
            raise InputError(
                _("no name"), path=str(path), line=line, record=ident, field="properties.name"
            )
        names = [str(caption)]
    others = [name_of(n, NameKind.ALIAS, source_url=LIST.source_url) for n in names[1:]]
    others += [
        name_of(n, NameKind.ALIAS, source_url=LIST.source_url)
        for n in _values(props, "alias") + _values(props, "weakAlias")
    ]
    others += [
        name_of(n, NameKind.FORMER, source_url=LIST.source_url)
        for n in _values(props, "previousName")
    ]
    identifiers = [Identifier("opensanctions", ident)]
    for prop, scheme in _IDS.items():
        identifiers += [Identifier(scheme, v) for v in _values(props, prop)]
    countries = [
        c
        for v in _values(props, "country") + _values(props, "jurisdiction")
        if (c := country_code(v))
    ]
    datasets = data.get("datasets") or []
    topics = _values(props, "topics")
    return Entity(
        id=f"{LIST.id}-{ident}",
        kind=EntityKind(kind),
        name=names[0],
        names=[n for n in dict.fromkeys(others) if n.value != names[0]],
        countries=list(dict.fromkeys(countries)),
        identifiers=list(dict.fromkeys(identifiers)),
        listings=[
            Listing(
                list_id=LIST.id,
                authority=LIST.authority,
                jurisdiction="INT",
                program="; ".join(str(d) for d in datasets) or "default",
                source_url=f"https://www.opensanctions.org/entities/{ident}/",
                start_date=parse_date(str(data.get("first_seen") or ""))
                or parse_date((_values(props, "createdAt") or [""])[0]),
                scope="; ".join(topics) or None,
                entry_id=ident,
            )
        ],
        sources=[LIST.source_url],
    )


def read(path: Path, limits: Limits) -> Iterator[Item]:
    limits.check_size(path)
    yield LIST
    count = 0
    with open_text(path) as fh:
        line = 0
        while True:
            try:
                text = fh.readline()
            except UnicodeDecodeError as exc:
                raise FormatError(
                    _("bad bytes: {reason}").format(reason=exc.reason),
                    path=str(path),
                    line=line + 1,
                ) from exc
            if not text:
                return
            line += 1
            if not text.strip():
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise FormatError(
                    _("malformed or truncated JSON: {msg}").format(msg=exc.msg),
                    path=str(path),
                    line=line,
                    field=f"column {exc.colno}",
                ) from exc
            if not isinstance(data, dict):
                raise FormatError(_("a line is not a JSON object"), path=str(path), line=line)
            if "op" in data:
                if data["op"] not in {"ADD", "MOD", "DEL"}:
                    raise InputError(
                        _("unknown delta op {op!r}").format(op=data["op"]),
                        path=str(path),
                        line=line,
                        field="op",
                    )
                if data["op"] == "DEL":
                    continue
                data = data.get("entity") or {}
                if not isinstance(data, dict):
                    raise InputError(
                        _("entity is not an object"), path=str(path), line=line, field="entity"
                    )
            count += 1
            limits.check_count(path, count, str(count))
            entity = ftm_entity(data, path, line)
            if entity is not None:
                yield entity


FORMAT = ImportFormat(
    name="ftm-json",
    title="OpenSanctions FollowTheMoney entities or deltas (JSON lines)",
    list_id=LIST.id,
    url=URL,
    detect=detect,
    read=read,
    licence=LICENCE,
)
