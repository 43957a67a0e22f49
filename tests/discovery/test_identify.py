"""DeviceIdentifier: evidence → manufacturer, model, firmware → restricted attribution."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clearance.discovery.identify import DeviceIdentifier, name_key
from clearance.discovery.oui import mac_registrant, normalise_mac, registrant_key
from clearance.model import Evidence, Observation
from clearance.registry.registry import Registry


@pytest.fixture(scope="module")
def identifier(small_registry: Registry) -> DeviceIdentifier:
    return DeviceIdentifier(small_registry)


def _entities(identifier: DeviceIdentifier, obs: Observation) -> dict[str, tuple[str, float]]:
    asset = identifier.identify(obs)
    return {a.entity_id: (a.relation, a.certainty) for a in asset.restricted}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("44-19-B6-2A-10-01", "44:19:b6:2a:10:01"),
        ("4419.b62a.1001", "44:19:b6:2a:10:01"),
        ("b8:27:eb:1:2:3", "b8:27:eb:01:02:03"),
        ("4419B62A1001", "44:19:b6:2a:10:01"),
        ("not a mac", None),
        # defect 18: octets separated by spaces, invisible characters pasted along
        ("44 19 b6 2a 10 05", "44:19:b6:2a:10:05"),
        ("44:19:b6:2a:10:05\u200b", "44:19:b6:2a:10:05"),
        ("\ufeff44-19-B6-2A-10-05\u2060 ", "44:19:b6:2a:10:05"),
        ("44 19 b6 2a 10", None),
        ("44:19:b6:2a:10:05:06:07", None),
    ],
)
def test_normalise_mac(text: str, expected: str | None) -> None:
    assert normalise_mac(text) == expected


def test_mac_registrant_is_matched_whole(identifier: DeviceIdentifier) -> None:
    assert mac_registrant("44:19:b6:2a:10:01") == "Hangzhou Hikvision Digital Technology Co.,Ltd."
    asset = identifier.identify(Observation("test", mac="44:19:b6:2a:10:01"))
    assert [(a.entity_id, a.relation) for a in asset.restricted] == [("hikvision", "manufacturer")]
    assert (
        Evidence(
            "mac_registrant",
            "Hangzhou Hikvision Digital Technology Co.,Ltd.",
            "device-hints:hikvision",
        )
        in asset.evidence
    )
    # 40:2C:76:1 is an MA-M block of "Shanghai Dahua Scale Factory", not Zhejiang Dahua.
    assert not identifier.identify(Observation("test", mac="40:2c:76:10:33:44")).restricted
    assert registrant_key("Shanghai Dahua Scale Factory") != registrant_key(
        "Zhejiang Dahua Technology Co., Ltd."
    )
    assert registrant_key("ZHEJIANG DAHUA TECHNOLOGY CO.,LTD") == registrant_key(
        "Zhejiang Dahua Technology Co., Ltd."
    )
    # Locally administered (randomised) addresses have no registrant.
    assert mac_registrant("02:5a:11:22:33:44") is None


def test_dahua_scale_factory_make_is_not_dahua(identifier: DeviceIdentifier) -> None:
    obs = Observation("test", facts={"make": "Shanghai Dahua Scale Factory"})
    assert not identifier.identify(obs).restricted


@pytest.mark.parametrize(
    ("oid", "entity"),
    [
        ("1.3.6.1.4.1.39165.1.1", "hikvision"),
        (".1.3.6.1.4.1.37496.1", "dahua"),
        ("SNMPv2-SMI::enterprises.2011.2.23.96", "huawei"),
        ("1.3.6.1.4.1.3902.3", "zte"),
    ],
)
def test_snmp_enterprise_numbers(identifier: DeviceIdentifier, oid: str, entity: str) -> None:
    obs = Observation("test", evidence=[Evidence("snmp_object_id", oid)])
    assert entity in _entities(identifier, obs)


def test_unrelated_enterprise_number(identifier: DeviceIdentifier) -> None:
    obs = Observation("test", evidence=[Evidence("snmp_object_id", "1.3.6.1.4.1.9.1.516")])
    assert not identifier.identify(obs).restricted


@pytest.mark.parametrize("make", ["海康威视", "HIKVISION", "Hikvision Digital Technology Co.,Ltd."])
def test_make_strings(identifier: DeviceIdentifier, make: str) -> None:
    found = _entities(identifier, Observation("test", facts={"make": make}))
    assert found["hikvision"][0] == "manufacturer"
    assert found["hikvision"][1] >= 0.9


def test_brand_of_subsidiary_and_oem_label(identifier: DeviceIdentifier) -> None:
    ezviz = _entities(identifier, Observation("test", facts={"brand": "EZVIZ"}))
    assert ezviz["hikvision"][0] == "subsidiary"
    annke = _entities(identifier, Observation("test", facts={"make": "ANNKE"}))
    assert annke["hikvision"][0] == "oem"
    assert annke["hikvision"][1] == pytest.approx(0.95 * 0.7, abs=0.001)


def test_model_prefix_collisions(identifier: DeviceIdentifier) -> None:
    # Uniview's IPC + digits matches no rule.
    uniview = Observation("test", facts={"make": "Uniview", "model": "IPC2122LB-SF28-A"})
    assert not identifier.identify(uniview).restricted
    # HiLook's IPC-B… is weak: with a stated make that is no registry party it gives way.
    acme_hilook = Observation("test", facts={"make": "Acme Security", "model": "IPC-B140H"})
    assert not identifier.identify(acme_hilook).restricted
    # Alone it is reported, at a low certainty.
    alone = _entities(identifier, Observation("test", facts={"model": "IPC-B140H"}))
    assert alone["hikvision"][0] == "brand"  # HiLook is a Hikvision brand
    assert alone["hikvision"][1] < 0.8
    # A Hikvision DS- number under another label is strong evidence (relabelled hardware).
    acme_ds = _entities(
        identifier, Observation("test", facts={"make": "Acme Security", "model": "DS-2CD2143G0-I"})
    )
    assert acme_ds["hikvision"][1] >= 0.9


def test_asset_fields_and_evidence_rules(identifier: DeviceIdentifier) -> None:
    obs = Observation(
        "probe",
        ip="192.0.2.2",
        mac="44-19-B6-2A-10-01",
        site="HQ",
        evidence=[
            Evidence("http_server", "App-webs/"),
            Evidence("rtsp_realm", "IP Camera(C6420)"),
            Evidence(
                "sadp",
                "<ProbeMatch><DeviceDescription>DS-2CD2143G0-I</DeviceDescription>"
                "<DeviceSN>DS-2CD2143G0-I20190101AAWRC12345678</DeviceSN>"
                "<SoftwareVersion>V5.6.2build 190701</SoftwareVersion></ProbeMatch>",
            ),
            Evidence("http_title", "Index"),
        ],
    )
    asset = identifier.identify(obs)
    data = asset.to_json()
    assert data["manufacturer"] == "Hangzhou Hikvision Digital Technology Co., Ltd."
    assert data["model"] == "DS-2CD2143G0-I"
    assert data["firmware"] == "V5.6.2build 190701"
    assert data["serial"] == "DS-2CD2143G0-I20190101AAWRC12345678"
    assert data["mac"] == "44:19:b6:2a:10:01"
    assert data["site"] == "HQ"
    assert data["restricted"][0]["entity_id"] == "hikvision"
    assert data["restricted"][0]["listings"][0]["list"] == "us-fcc-covered"
    rules = {(e["kind"], e["rule"]) for e in data["evidence"]}
    assert ("http_server", "http_server.hikvision-app-webs") in rules
    assert ("rtsp_realm", "rtsp_realm.hikvision-ip-camera") in rules
    assert ("sadp", "sadp.hikvision-probe-match") in rules
    assert ("http_title", None) in rules
    json.dumps(data)


def test_dhip_and_onvif_wire_evidence(identifier: DeviceIdentifier) -> None:
    dhip = Observation(
        "probe",
        evidence=[
            Evidence(
                "dhip",
                '{"method":"client.notifyDevInfo","params":{"deviceInfo":'
                '{"DeviceType":"IPC-HFW1230S","SerialNo":"6G0C1F7PAZ12345","Vendor":"Private"}}}',
            )
        ],
    )
    asset = identifier.identify(dhip)
    assert asset.model == "IPC-HFW1230S"
    assert [a.entity_id for a in asset.restricted] == ["dahua"]
    onvif = Observation(
        "probe",
        facts={"make": "HIKVISION", "model": "DS-2CD2T47G2-L", "firmware": "V5.7.3"},
        evidence=[Evidence("onvif", "onvif://www.onvif.org/name/HIKVISION")],
    )
    asset = identifier.identify(onvif)
    assert asset.firmware == "V5.7.3"
    assert asset.restricted[0].certainty >= 0.99


def test_no_evidence_no_attribution(identifier: DeviceIdentifier) -> None:
    obs = Observation("test", ip="192.0.2.9", hostname="build", facts={"make": "Dell"})
    asset = identifier.identify(obs)
    assert asset.restricted == []
    assert asset.manufacturer == "Dell"
    assert Evidence("make", "Dell", None) in asset.evidence


def test_identify_all_streams(identifier: DeviceIdentifier) -> None:
    def observations():  # type: ignore[no-untyped-def]
        yield Observation("a", facts={"make": "Dahua"})
        raise RuntimeError("the second observation is not read before the first is used")

    assets = identifier.identify_all(observations())
    assert next(assets).restricted[0].entity_id == "dahua"


def test_name_key() -> None:
    assert name_key("HIKVISION Co., Ltd.") == name_key("Hikvision")
    assert name_key("杭州海康威视数字技术股份有限公司") == "杭州海康威视数字技术"


def test_recog_examples(identifier: DeviceIdentifier, fixture_path: Path) -> None:
    """Recog's labelled examples (copied, BSD-2-Clause): every covered vendor attributed,
    nothing else attributed."""
    covered = {"Hikvision": "hikvision", "Dahua": "dahua", "Huawei": "huawei", "ZTE": "zte"}
    rows = [
        json.loads(line)
        for line in (fixture_path / "recog_examples.jsonl").read_text("utf-8").splitlines()
    ]
    assert sum(1 for r in rows if r["label"] in covered) == 49
    for row in rows:
        obs = Observation("recog", evidence=[Evidence(row["kind"], row["value"])])
        got = {a.entity_id for a in identifier.identify(obs).restricted}
        if row["label"] in covered:
            assert covered[row["label"]] in got, row
        elif row["label"] == "other":
            assert not got, row


def test_make_through_the_name_engine(small_registry: Registry) -> None:
    from clearance.matching.screen import Screener

    screener = Screener(small_registry)
    with_engine = DeviceIdentifier(small_registry, screener)
    typo = Observation("test", facts={"make": "Hikvison Digital Technology"})
    assert not DeviceIdentifier(small_registry).identify(typo).restricted
    asset = with_engine.identify(typo)
    assert asset.restricted[0].entity_id == "hikvision"
    assert Evidence("make", "Hikvison Digital Technology", "name-screening:hikvision") in (
        asset.evidence
    )
    scale = Observation("test", facts={"make": "Shanghai Dahua Scale Factory"})
    assert not with_engine.identify(scale).restricted
