"""``eu-fsf-xml``: the EU Financial Sanctions Files consolidated list
(``export/sanctionEntity[@logicalId]`` with ``nameAlias@wholeName``, ``regulation``,
``subjectType``, ``identification`` and ``address``), streamed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from clearance.errors import InputError
from clearance.i18n import gettext as _
from clearance.model import Entity, EntityKind, Identifier, ListInfo, Listing, NameKind
from clearance.registry.importers.base import ImportFormat, Item, Limits
from clearance.registry.importers.cell_values import name_of
from clearance.registry.importers.dates import parse_date
from clearance.registry.importers.identifiers import scheme_for
from clearance.registry.importers.xml_reading import local, xml_records

__all__ = ["FORMAT"]

URL = "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content"
LIST = ListInfo(
    id="eu-fsf",
    title="EU consolidated list of financial sanctions (FSF)",
    authority="European Commission (DG FISMA)",
    jurisdiction="EU",
    kind="sanctions",
    source_url="https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-"
    "entities-subject-to-eu-financial-sanctions",
    description="Persons, groups and entities subject to EU financial sanctions.",
)
_IDS = {
    "regnumber": "registration",
    "tax": "tax_id",
    "passport": "passport",
    "imo": "imo",
    "swiftbic": "swift_bic",
    "lei": "lei",
    "id": "national_id",
}


def detect(path: Path, head: bytes) -> bool:
    return path.is_file() and b"sanctionEntity" in head and (b"<export" in head or b"fsd" in head)


def read(path: Path, limits: Limits) -> Iterator[Item]:
    yield LIST
    for number, ent in xml_records(path, {"sanctionEntity"}, limits):
        logical = ent.get("logicalId", "")
        if not logical:
            raise InputError(
                _("an entity needs a logicalId"),
                path=str(path),
                record=str(number),
                field="sanctionEntity@logicalId",
            )
        names = [
            n.get("wholeName", "").strip()
            for n in ent
            if local(n.tag) == "nameAlias" and n.get("wholeName", "").strip()
        ]
        if not names:
            raise InputError(
                _("no nameAlias with a wholeName"),
                path=str(path),
                record=logical,
                field="nameAlias@wholeName",
            )
        subject = next((s for s in ent if local(s.tag) == "subjectType"), None)
        code = (subject.get("code", "") if subject is not None else "").lower()
        regulations = [r for r in ent if local(r.tag) == "regulation"]
        programme = next((r.get("programme", "") for r in regulations if r.get("programme")), "")
        listed = None
        for reg in regulations:
            listed = listed or parse_date(
                reg.get("entryIntoForceDate") or reg.get("publicationDate")
            )
        listed = parse_date(ent.get("designationDate")) or listed
        identifiers = []
        for ident in (i for i in ent if local(i.tag) == "identification"):
            type_code = ident.get("identificationTypeCode", "").lower()
            scheme = _IDS.get(type_code) or scheme_for(
                ident.get("identificationTypeDescription", "")
            )
            value = ident.get("number", "").strip()
            if scheme and value:
                identifiers.append(Identifier(scheme, value))
        countries = [
            a.get("countryIso2Code", "").lower()
            for a in ent
            if local(a.tag) in {"address", "citizenship"}
            and len(a.get("countryIso2Code", "")) == 2
            and a.get("countryIso2Code") != "00"
        ]
        yield Entity(
            id=f"{LIST.id}-{logical}",
            kind=EntityKind.PERSON if code == "person" else EntityKind.COMPANY,
            name=names[0],
            names=[
                name_of(n, NameKind.ALIAS, source_url=LIST.source_url)
                for n in dict.fromkeys(names[1:])
                if n != names[0]
            ],
            countries=list(dict.fromkeys(countries)),
            identifiers=list(dict.fromkeys(identifiers)),
            listings=[
                Listing(
                    list_id=LIST.id,
                    authority=LIST.authority,
                    jurisdiction="EU",
                    program=programme or "EU sanctions",
                    source_url=LIST.source_url,
                    start_date=listed,
                    citation=ent.get("referenceNumber") or None,
                    entry_id=logical,
                )
            ],
            sources=[LIST.source_url],
        )


FORMAT = ImportFormat(
    name="eu-fsf-xml",
    title="EU Financial Sanctions Files consolidated list (XML)",
    list_id=LIST.id,
    url=None,
    detect=detect,
    read=read,
)
