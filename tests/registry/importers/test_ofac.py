"""``ofac-csv``, ``ofac-xml`` and ``ofac-advanced-xml``."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from clearance.model import EntityKind, Identifier, NameKind
from clearance.registry.importers import detect_format
from tests.registry.importers.conftest import read


def test_cons_set_carries_hikvision_aliases_uscc_and_listing_date(fixtures: Path) -> None:
    folder = fixtures / "ofac_cons"
    assert detect_format(folder).name == "ofac-csv"
    got = read(folder)
    assert [lst.id for lst in got.lists] == ["us-ofac-cons"]
    hik = got.entities["us-ofac-cons-30946"]
    assert hik.name == "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD."
    assert {"HIKVISION", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY"} <= {n.value for n in hik.names}
    assert Identifier("uscc", "91330000733796106P") in hik.identifiers
    assert Identifier("ofac_ent_num", "30946") in hik.identifiers
    (listing,) = hik.listings
    assert listing.program == "CMIC-EO13959"
    assert listing.start_date == date(2021, 6, 3)
    assert listing.entry_id == "30946"
    assert hik.countries == ["cn"]


def test_cons_main_file_in_any_case(fixtures: Path, tmp_path: Path) -> None:
    for src in (fixtures / "ofac_cons").iterdir():
        shutil.copy(src, tmp_path / src.name.lower())
    got = read(tmp_path / "cons_prim.csv")
    assert "us-ofac-cons-30947" in got.entities


def test_cons_comments_continue_the_remarks(fixtures: Path) -> None:
    got = read(fixtures / "ofac_cons")
    entity = got.entities["us-ofac-cons-17016"]
    assert entity.notes is not None
    assert "Legal Entity Number" in entity.notes


def test_sdn_csv_set(fixtures: Path) -> None:
    got = read(fixtures / "ofac_sdn" / "sdn.csv")
    assert [lst.id for lst in got.lists] == ["us-ofac-sdn"]
    person = got.entities["us-ofac-sdn-10278"]
    assert person.kind is EntityKind.PERSON
    assert "BURTON BURGESS" in {n.value for n in person.names}
    company = got.entities["us-ofac-sdn-11195"]
    assert company.listings[0].program == "NPWMD; IFSR; IRAN-CON-ARMS-EO"


def test_sdn_xml_without_relying_on_the_namespace(fixtures: Path) -> None:
    path = fixtures / "sdn.xml"
    assert detect_format(path).name == "ofac-xml"
    got = read(path)
    entity = got.entities["us-ofac-sdn-32091"]
    assert Identifier("uscc", "91440300000000000X") in entity.identifiers
    assert entity.listings[0].start_date == date(2021, 6, 3)
    assert entity.names[0].kind is NameKind.FORMER
    assert got.entities["us-ofac-sdn-7311"].name == "HANIYA, Ismail Abdul Salah"
    assert got.entities["us-ofac-sdn-36"].countries == ["cu"]


def test_sdn_advanced_xml(fixtures: Path) -> None:
    path = fixtures / "sdn_advanced.xml"
    assert detect_format(path).name == "ofac-advanced-xml"
    got = read(path)
    entity = got.entities["us-ofac-sdn-32091"]
    assert entity.name == "SHENZHEN EXAMPLE SURVEILLANCE TECHNOLOGY CO., LTD."
    kinds = {n.value: n.kind for n in entity.names}
    assert kinds == {
        "EXAMPLE SURVEILLANCE": NameKind.ALIAS,
        "SHENZHEN EXAMPLE SECURITY CO., LTD.": NameKind.FORMER,
    }
    assert Identifier("uscc", "91440300000000000X") in entity.identifiers
    assert entity.listings[0].program == "CMIC-EO13959"
    assert entity.listings[0].start_date == date(2021, 6, 3)
    assert got.entities["us-ofac-sdn-7311"].kind is EntityKind.PERSON
