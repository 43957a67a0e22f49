"""``uflpa-html`` and ``fcc-html``: lists published only as HTML tables."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from clearance.model import EntityKind, NameKind, RelationKind
from clearance.registry.importers import detect_format
from clearance.registry.importers.fcc_html import covered_parties
from clearance.registry.importers.uflpa_html import parse_uflpa_name
from tests.registry.importers.conftest import read


def test_uflpa_page(fixtures: Path) -> None:
    path = fixtures / "uflpa-entity-list.html"
    assert detect_format(path).name == "uflpa-html"
    got = read(path)
    xpcc = got.named("Xinjiang Production and Construction Corps (XPCC)")
    assert xpcc.listings[0].start_date == date(2022, 6, 21)
    assert xpcc.listings[0].scope == "includes subsidiaries"
    assert "XPCC" in [n.value for n in xpcc.names]
    hoshine = got.named("Hoshine Silicon Industry (Shanshan) Co., Ltd")
    assert [n.value for n in hoshine.names] == ["Hesheng Silicon Industry (Shanshan) Co."]
    daqo = got.named("Xinjiang Daqo New Energy, Co. Ltd")
    assert len(daqo.names) == 3
    zhongtai = got.named("Xinjiang Zhongtai Chemical Co., Ltd.")
    assert zhongtai.names[0].kind is NameKind.FORMER
    ninestar = got.named("Ninestar Corporation")
    subs = [r for r in got.relations if r.object == ninestar.id]
    assert len(subs) == 8
    assert all(r.kind is RelationKind.SUBSIDIARY for r in subs)
    assert got.entities[subs[1].subject].name == "Zhuhai Pantum Electronics Co., Ltd."
    assert "Zhuhai-based" not in ninestar.name
    assert ninestar.listings[0].program.startswith("Entities working with the government")


def test_uflpa_name_forms() -> None:
    name, names, subs, covers = parse_uflpa_name(
        "Camel Group Co., Ltd. (also known as Camel Group) and its subsidiaries"
    )
    assert (name, [n.value for n in names], subs, covers) == (
        "Camel Group Co., Ltd.",
        ["Camel Group"],
        [],
        True,
    )


def test_fcc_page(fixtures: Path) -> None:
    path = fixtures / "fcc-covered-list.html"
    assert detect_format(path).name == "fcc-html"
    got = read(path)
    hik = got.named("Hangzhou Hikvision Digital Technology Company")
    assert hik.kind is EntityKind.COMPANY
    assert hik.listings[0].start_date == date(2021, 3, 12)
    assert hik.listings[0].scope is not None
    assert "to the extent" in hik.listings[0].scope
    assert "Hangzhou Hikvision Digital Technology Co." in [n.value for n in hik.names]
    assert got.named("ComNet (USA) LLC").listings[0].start_date == date(2022, 9, 20)
    assert got.named("AO Kaspersky Lab")
    routers = got.named("Routers produced in a foreign country")
    assert routers.kind is EntityKind.CATEGORY


def test_fcc_parties() -> None:
    text = "Cybersecurity and anti-virus software produced or provided by Kaspersky Lab, Inc. "
    assert covered_parties(text + "or any of its successors and assignees.") == [
        "Kaspersky Lab, Inc."
    ]
