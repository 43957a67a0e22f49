"""``ofac-xml``: OFAC's SDN.XML (``sdnList/sdnEntry``), streamed; the namespace varies
between publications, so elements are matched by local name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from clearance.errors import InputError
from clearance.i18n import gettext as _
from clearance.model import Entity, EntityKind, Identifier, Listing, Name, NameKind
from clearance.registry.importers.base import ImportFormat, Item, Limits
from clearance.registry.importers.cell_values import country_code, name_of
from clearance.registry.importers.dates import parse_date
from clearance.registry.importers.identifiers import clean_identifier, scheme_for
from clearance.registry.importers.ofac_common import EXPORTS, SDN_LIST, read_remarks
from clearance.registry.importers.xml_reading import local, text_of, xml_records

__all__ = ["FORMAT"]


def detect(path: Path, head: bytes) -> bool:
    return path.is_file() and b"<sdnList" in head and b"sdnEntry" in head


def _full(first: str, last: str) -> str:
    return f"{last}, {first}" if first and last else (last or first)


def read(path: Path, limits: Limits) -> Iterator[Item]:
    url = SDN_LIST.source_url
    yield SDN_LIST
    for number, elem in xml_records(path, {"sdnEntry"}, limits):
        uid = text_of(elem, "uid")
        name = _full(text_of(elem, "firstName"), text_of(elem, "lastName"))
        if not uid or not name:
            raise InputError(
                _("an entry needs uid and lastName"),
                path=str(path),
                record=uid or str(number),
                field="uid" if not uid else "lastName",
            )
        programs = [p.text.strip() for p in elem.iter() if local(p.tag) == "program" and p.text]
        names: list[Name] = []
        for aka in (a for a in elem.iter() if local(a.tag) == "aka"):
            value = _full(text_of(aka, "firstName"), text_of(aka, "lastName"))
            kind = NameKind.FORMER if text_of(aka, "type").lower() == "f.k.a." else NameKind.ALIAS
            if value and value != name:
                names.append(name_of(value, kind, source_url=url))
        identifiers = [Identifier("ofac_ent_num", uid)]
        listed = None
        for ident in (i for i in elem.iter() if local(i.tag) == "id"):
            id_type, id_number = text_of(ident, "idType"), text_of(ident, "idNumber")
            if id_type.startswith("Listing Date"):
                listed = listed or parse_date(id_number)
                continue
            scheme = scheme_for(id_type)
            if scheme and id_number:
                identifiers.append(Identifier(scheme, clean_identifier(scheme, id_number)))
        countries = [
            code
            for a in elem.iter()
            if local(a.tag) in {"address", "nationality", "citizenship"}
            for code in [country_code(text_of(a, "country"))]
            if code
        ]
        remarks = text_of(elem, "remarks")
        facts = read_remarks(remarks, url)
        sdn_type = text_of(elem, "sdnType").lower()
        yield Entity(
            id=f"{SDN_LIST.id}-{uid}",
            kind=EntityKind.PERSON if sdn_type == "individual" else EntityKind.COMPANY,
            name=name,
            names=list(dict.fromkeys([*names, *facts.names])),
            countries=list(dict.fromkeys(countries)),
            identifiers=list(dict.fromkeys([*identifiers, *facts.identifiers])),
            listings=[
                Listing(
                    list_id=SDN_LIST.id,
                    authority=SDN_LIST.authority,
                    jurisdiction="US",
                    program="; ".join(programs) or "unknown",
                    source_url=url,
                    start_date=listed or facts.listed,
                    entry_id=uid,
                )
            ],
            notes=remarks or None,
            sources=[url],
        )


FORMAT = ImportFormat(
    name="ofac-xml",
    title="OFAC SDN list, SDN.XML",
    list_id=SDN_LIST.id,
    url=EXPORTS + "SDN.XML",
    detect=detect,
    read=read,
)
