"""``csl-csv`` and ``csl-json``: the US Consolidated Screening List."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from clearance.model import EntityKind, Identifier, NameKind, RelationKind
from clearance.registry.importers import detect_format
from tests.registry.importers.conftest import read


def test_new_header_with_hikvision_and_embedded_affiliates(fixtures: Path) -> None:
    path = fixtures / "csl" / "consolidated.csv"
    assert detect_format(path).name == "csl-csv"
    got = read(path)
    assert [lst.id for lst in got.lists] == ["us-csl"]
    el = got.named("Hangzhou Hikvision Digital Technology Co., Ltd.")
    (listing,) = el.listings
    assert listing.program == "EL"
    assert listing.start_date == date(2019, 10, 9)
    assert listing.citation == "84 FR 54002, 10/09/19"
    assert listing.scope is not None
    assert "Presumption of denial" in listing.scope
    assert el.countries == ["cn"]
    cmic = got.named("HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.")
    assert Identifier("uscc", "91330000733796106P") in cmic.identifiers
    assert Identifier("ofac_ent_num", "30946") in cmic.identifiers
    assert Identifier("isin", "CNE100000PM8") in cmic.identifiers
    assert {"HIKVISION", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY"} <= {n.value for n in cmic.names}
    huawei = got.named("Huawei Technologies Co., Ltd.")
    assert [n.value for n in huawei.names] == ["Huawei", "Huawei Technologies Co., Ltd. (Huawei)"]
    affiliates = {got.entities[r.subject].name for r in got.relations if r.object == huawei.id}
    assert affiliates == {
        "Beijing Huawei Digital Technologies Co., Ltd.",
        "Huawei Device Co., Ltd.",
    }
    assert all(r.kind is RelationKind.AFFILIATE for r in got.relations)


def test_old_header_without_id(fixtures: Path) -> None:
    got = read(fixtures / "csl" / "csl_old_header.csv", "csl-csv")
    assert len(got.entities) == 115
    person = got.named("ABU TEIR, Mohammed")
    assert person.kind is EntityKind.PERSON
    assert {n.value for n in person.names} == {
        "ABU TAIR, Mohammed Mahmud",
        "ABOU TAYR, Mohammad Mahmoud",
    }
    assert all(n.kind is NameKind.ALIAS for n in person.names)
    vessel = got.named("7-28")
    assert Identifier("imo", "8898831") in vessel.identifiers


def test_json(fixtures: Path) -> None:
    path = fixtures / "csl" / "consolidated.json"
    assert detect_format(path).name == "csl-json"
    got = read(path)
    dahua = got.named("Zhejiang Dahua Technology Co., Ltd.")
    assert dahua.listings[0].start_date == date(2019, 10, 9)
    assert dahua.countries == ["cn"]
    huawei = got.named("HUAWEI TECHNOLOGIES CO., LTD.")
    assert Identifier("uscc", "914403001922038216") in huawei.identifiers
    assert huawei.listings[0].entry_id == "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d"


def test_records_whose_ids_share_a_prefix_stay_apart(fixtures: Path, tmp_path: Path) -> None:
    header = (fixtures / "csl" / "consolidated.csv").read_text("utf-8").splitlines()[0]
    path = tmp_path / "consolidated.csv"
    source = "Entity List (EL) - Bureau of Industry and Security"
    rows = [
        f'"{entry}","{source}","","","","{name}"' + ',""' * 23
        for entry, name in (
            ("0123456789abcdef-first", "Alpha Optics Co., Ltd."),
            ("0123456789abcdef-second", "Beta Photonics Co., Ltd."),
            ("f" * 300, "Gamma Lasers Co., Ltd."),
        )
    ]
    path.write_text("\n".join([header, *rows]) + "\n", "utf-8")
    got = read(path, "csl-csv")
    ids = {e.name: e.id for e in got.entities.values()}
    assert ids["Alpha Optics Co., Ltd."] == "us-csl-0123456789abcdef-first"
    assert ids["Beta Photonics Co., Ltd."] == "us-csl-0123456789abcdef-second"
    assert len(ids["Gamma Lasers Co., Ltd."]) == len("us-csl-") + 64  # a long _id, hashed
