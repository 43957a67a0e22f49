"""``ofac-advanced-xml``: OFAC's SDN_ADVANCED.XML.

Two streaming passes: the first reads the reference values (alias, party and document
types) and the sanctions entries (programs and listing dates by profile); the second reads
``DistinctParties/DistinctParty`` one at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element

from clearance.errors import InputError
from clearance.i18n import gettext as _
from clearance.model import Entity, EntityKind, Identifier, Listing, Name, NameKind
from clearance.registry.importers.base import ImportFormat, Item, Limits
from clearance.registry.importers.cell_values import name_of
from clearance.registry.importers.identifiers import clean_identifier, scheme_for
from clearance.registry.importers.ofac_common import EXPORTS, SDN_LIST
from clearance.registry.importers.xml_reading import local, text_of, xml_records

__all__ = ["FORMAT"]

_REFS = {
    "AliasType",
    "PartySubType",
    "PartyType",
    "IDRegDocType",
    "IDRegDocument",
    "SanctionsEntry",
}


@dataclass(slots=True)
class _Refs:
    alias_types: dict[str, str] = field(default_factory=dict)
    party_types: dict[str, str] = field(default_factory=dict)
    sub_types: dict[str, str] = field(default_factory=dict)  # sub type id -> party type id
    doc_types: dict[str, str] = field(default_factory=dict)
    programs: dict[str, list[str]] = field(default_factory=dict)  # profile id -> programs
    listed: dict[str, date] = field(default_factory=dict)
    documents: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # by identity


def detect(path: Path, head: bytes) -> bool:
    return (
        path.is_file()
        and b"<Sanctions" in head
        and (b"ReferenceValueSets" in head or b"DistinctParties" in head or b"ADVANCED_XML" in head)
    )


def _date(elem: Element) -> date | None:
    try:
        return date(
            int(text_of(elem, "Year")),
            int(text_of(elem, "Month") or 1),
            int(text_of(elem, "Day") or 1),
        )
    except ValueError:
        return None


def _references(path: Path, limits: Limits) -> _Refs:
    refs = _Refs()
    for _unused, elem in xml_records(
        path, _REFS, Limits(limits.max_bytes), frozenset({"DistinctParty"})
    ):
        tag, ref = local(elem.tag), elem.get("ID", "")
        text = (elem.text or "").strip()
        if tag == "AliasType":
            refs.alias_types[ref] = text
        elif tag == "PartyType":
            refs.party_types[ref] = text
        elif tag == "PartySubType":
            refs.sub_types[ref] = elem.get("PartyTypeID", "")
        elif tag == "IDRegDocType":
            refs.doc_types[ref] = text
        elif tag == "IDRegDocument":
            refs.documents.setdefault(elem.get("IdentityID", ""), []).append(
                (elem.get("IDRegDocTypeID", ""), text_of(elem, "IDRegistrationNo"))
            )
        elif tag == "SanctionsEntry":
            profile = elem.get("ProfileID", "")
            for node in elem.iter():
                name = local(node.tag)
                if name == "Comment" and node.text and node.text.strip():
                    refs.programs.setdefault(profile, []).append(node.text.strip())
                elif name == "Date" and profile not in refs.listed:
                    when = _date(node)
                    if when is not None:
                        refs.listed[profile] = when
    return refs


def _alias_name(alias: Element) -> str:
    parts = [
        (node.text or "").strip()
        for node in alias.iter()
        if local(node.tag) == "NamePartValue" and node.text
    ]
    return " ".join(p for p in parts if p)


def read(path: Path, limits: Limits) -> Iterator[Item]:
    refs = _references(path, limits)
    url = EXPORTS + "SDN_ADVANCED.XML"
    yield SDN_LIST
    for number, party in xml_records(
        path, {"DistinctParty"}, limits, frozenset({"SanctionsEntry", "ReferenceValueSets"})
    ):
        fixed = party.get("FixedRef", "")
        profile = next((p for p in party if local(p.tag) == "Profile"), None)
        if not fixed or profile is None:
            raise InputError(
                _("a party needs FixedRef and a Profile"),
                path=str(path),
                record=fixed or str(number),
                field="FixedRef" if not fixed else "Profile",
            )
        profile_id = profile.get("ID", fixed)
        primary = ""
        names: list[Name] = []
        for alias in (a for a in profile.iter() if local(a.tag) == "Alias"):
            value = _alias_name(alias)
            if not value:
                continue
            if alias.get("Primary") == "true" and not primary:
                primary = value
                continue
            kind_text = refs.alias_types.get(alias.get("AliasTypeID", ""), "").upper()
            kind = NameKind.FORMER if kind_text.startswith("F.K.A") else NameKind.ALIAS
            names.append(name_of(value, kind, source_url=url))
        if not primary:
            raise InputError(
                _("no primary name"), path=str(path), record=fixed, field="Alias[@Primary='true']"
            )
        identifiers = [Identifier("ofac_ent_num", fixed)]
        identities = [i.get("ID", "") for i in profile if local(i.tag) == "Identity"]
        for doc_type, number_text in (d for i in identities for d in refs.documents.get(i, [])):
            scheme = scheme_for(refs.doc_types.get(doc_type, ""))
            if scheme and number_text:
                identifiers.append(Identifier(scheme, clean_identifier(scheme, number_text)))
        party_type = refs.party_types.get(
            refs.sub_types.get(profile.get("PartySubTypeID", ""), ""), ""
        )
        yield Entity(
            id=f"{SDN_LIST.id}-{fixed}",
            kind=EntityKind.PERSON if party_type.lower() == "individual" else EntityKind.COMPANY,
            name=primary,
            names=[n for n in dict.fromkeys(names) if n.value != primary],
            identifiers=list(dict.fromkeys(identifiers)),
            listings=[
                Listing(
                    list_id=SDN_LIST.id,
                    authority=SDN_LIST.authority,
                    jurisdiction="US",
                    program="; ".join(dict.fromkeys(refs.programs.get(profile_id, [])))
                    or "unknown",
                    source_url=url,
                    start_date=refs.listed.get(profile_id),
                    entry_id=fixed,
                )
            ],
            sources=[url],
        )


FORMAT = ImportFormat(
    name="ofac-advanced-xml",
    title="OFAC SDN list, SDN_ADVANCED.XML",
    list_id=SDN_LIST.id,
    url=EXPORTS + "SDN_ADVANCED.XML",
    detect=detect,
    read=read,
)
