"""``ca-sema-xml``, ``uk-csv``, ``eu-fsf-xml``, ``ftm-json`` and ``os-simple-csv``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from clearance.model import EntityKind, Identifier
from clearance.registry.importers import FORMATS, detect_format
from tests.registry.importers.conftest import read


def test_sema(fixtures: Path) -> None:
    path = fixtures / "sema-lmes.xml"
    assert detect_format(path).name == "ca-sema-xml"
    got = read(path)
    psb = got.entities["ca-sema-china-1-part-2-5"]
    assert psb.kind is EntityKind.COMPANY
    assert [n.value for n in psb.names] == [
        "XPCC Public Security Bureau",
        "Public Security Bureau of the XPCC",
    ]
    assert psb.listings[0].start_date == date(2021, 3, 22)
    assert psb.listings[0].entry_id == "China/1, Part 2/5"
    chen = got.entities["ca-sema-china-1-part-1-1"]
    assert (chen.kind, chen.name) == (EntityKind.PERSON, "Mingguo Chen")


def test_uk_csv_groups_name_rows(fixtures: Path) -> None:
    path = fixtures / "UK-Sanctions-List.csv"
    assert detect_format(path).name == "uk-csv"
    got = read(path)
    assert len(got.entities) == 2
    psb = got.entities["uk-sanctions-list-chn0001"]
    assert [n.value for n in psb.names] == ["XPCC PSB"]
    assert psb.listings[0].start_date == date(2021, 3, 22)
    assert got.entities["uk-sanctions-list-chn0002"].kind is EntityKind.PERSON


def test_eu_fsf(fixtures: Path) -> None:
    path = fixtures / "eu-fsf.xml"
    assert detect_format(path).name == "eu-fsf-xml"
    got = read(path)
    psb = got.entities["eu-fsf-13101"]
    assert psb.listings[0].program == "EU.GHR"
    assert psb.countries == ["cn"]
    chen = got.entities["eu-fsf-13102"]
    assert chen.kind is EntityKind.PERSON
    assert "陈明国" in [n.value for n in chen.names]
    assert Identifier("passport", "E00000000") in chen.identifiers


def test_ftm_entities_and_deltas(fixtures: Path) -> None:
    path = fixtures / "opensanctions" / "entities.ftm.json"
    assert detect_format(path).name == "ftm-json"
    got = read(path)
    assert len(got.entities) == 3  # the Address line is not a party
    org = got.entities["opensanctions-NK-2GdmHtZTeNXjNVrBGEXZNj"]
    assert org.countries == ["by"]
    assert org.listings[0].program == "eu_fsf"
    assert org.listings[0].scope == "sanction"
    delta = read(fixtures / "opensanctions" / "entities.delta.json")
    assert list(delta.entities) == ["opensanctions-Q4365364"]


def test_os_simple_csv(fixtures: Path) -> None:
    path = fixtures / "opensanctions" / "targets.simple.csv"
    assert detect_format(path).name == "os-simple-csv"
    got = read(path)
    assert len(got.entities) == 2
    hik = got.entities["opensanctions-NK-hikvisionexample"]
    assert "海康威视" in [n.value for n in hik.names]


def test_opensanctions_formats_carry_the_licence() -> None:
    for name in ("ftm-json", "os-simple-csv"):
        licence = FORMATS[name].licence
        assert licence is not None
        assert "CC BY-NC 4.0" in licence
