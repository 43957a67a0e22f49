"""Wire formats: SADP, DHIP (both forms), SNMP BER, ONVIF WS-Discovery, HTTP titles."""

from __future__ import annotations

from clearance.discovery.emulator.fleet import generate_fleet
from clearance.discovery.emulator.replies import dhip_reply, legacy_reply, wsd_reply
from clearance.discovery.emulator.snmp_replies import snmp_reply
from clearance.discovery.probes import ber, dhip, onvif, sadp, snmp
from clearance.discovery.probes.http import page_title
from tests.conftest import FIXTURES


def test_sadp_probe_match_from_a_real_dvr() -> None:
    fields = sadp.parse_probe_match((FIXTURES / "discovery" / "sadp_probematch.xml").read_bytes())
    assert fields is not None
    result = sadp.result_of(fields)
    assert result.facts["make"] == "Hikvision"
    assert result.facts["model"] == "DS-7804HQH-K1"
    assert result.facts["firmware"] == "V3.5.38build 191215"
    assert result.facts["serial"] == "DS-7804HQH-K10420190822CCCHD53257168WCVU"
    assert "brand" not in result.facts  # OEMInfo N/A is no brand
    assert result.mac == "68:6d:bc:ee:f8:f0"
    assert any(e.kind == "sadp" and "DS-7804HQH-K1" in e.value for e in result.evidence)


def test_sadp_inquiry_is_the_documented_probe() -> None:
    probe = sadp.build_inquiry("8282f1db-2fa6-4709-b261-3c6b6a48ca17")
    assert probe.startswith(b'<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>8282F1DB')
    assert probe.endswith(b"<Types>inquiry</Types></Probe>")
    assert sadp.parse_probe_match(b"<Probe/>") is None
    assert sadp.parse_probe_match(b"not xml") is None


def test_dhip_search_header_layout() -> None:
    frame = dhip.build_search()
    assert frame[:8] == b"\x20\x00\x00\x00DHIP"
    length = int.from_bytes(frame[0x10:0x14], "little")
    assert length == int.from_bytes(frame[0x18:0x1C], "little") == len(frame) - 32
    assert dhip.parse_dhip(frame) == {
        "method": "DHDiscover.search",
        "params": {"mac": "", "uni": 1},
    }


def test_dhip_and_legacy_replies_round_trip() -> None:
    fleet = generate_fleet(60, "127.90.0.0/24", seed=5)
    dev = next(d for d in fleet if d.family == "dahua")
    message = dhip.parse_dhip(dhip_reply(dev, dhip.build_search()) or b"")
    assert message is not None
    info = message["params"]["deviceInfo"]
    assert (info["DeviceType"], info["SerialNo"], info["Version"]) == (
        dev.model,
        dev.serial,
        dev.firmware,
    )
    legacy = dhip.parse_legacy(legacy_reply(dev, dhip.LEGACY_REQUEST) or b"")
    assert legacy == {
        "device_type": dev.device_class,
        "ip": dev.ip,
        "mac": dev.mac,
        "model": dev.model,
    }


def test_ber_round_trip_and_enterprise_numbers() -> None:
    for oid in ("1.3.6.1.2.1.1.1.0", "1.3.6.1.4.1.2011.2.23.602", "2.999.128.16384"):
        tlv, _end = ber.decode(ber.enc_oid(oid))
        assert ber.oid_of(tlv) == oid
    for value in (0, 1, 127, 128, -1, 2**31 - 1):
        assert ber.int_of(ber.decode(ber.enc_int(value))[0]) == value
    assert snmp.enterprise_of("1.3.6.1.4.1.2011.2.23.602") == 2011
    assert snmp.enterprise_of("1.3.6.1.2.1.1.1.0") is None


def test_snmp_get_answered_only_with_the_right_community() -> None:
    fleet = generate_fleet(60, "127.90.0.0/24", seed=5)
    dev = next(d for d in fleet if d.family in {"huawei", "zte", "huawei-ont"})
    request = snmp.build_get("public", 42, [snmp.SYS_DESCR, snmp.SYS_OBJECT_ID])
    answer = snmp.parse_message(snmp_reply(dev, request) or b"")
    assert answer.request_id == 42
    values = dict(answer.bindings)
    assert values[snmp.SYS_OBJECT_ID] is not None
    assert snmp.enterprise_of(values[snmp.SYS_OBJECT_ID]) in {2011, 3902}
    assert snmp_reply(dev, snmp.build_get("private", 43, [snmp.SYS_DESCR])) is None


def test_wsd_probe_match_scopes() -> None:
    fleet = generate_fleet(60, "127.90.0.0/24", seed=5)
    dev = next(d for d in fleet if d.family == "axis")
    fields = onvif.parse_probe_match(wsd_reply(dev, onvif.build_probe(), 80) or b"")
    assert fields is not None
    assert fields["scope.hardware"] == dev.model
    assert fields["scope.name"] == f"AXIS {dev.model}"
    assert fields["XAddrs"] == f"http://{dev.ip}/onvif/device_service"


def test_page_title() -> None:
    assert page_title(b"<html><head><TITLE> WEB&nbsp;SERVICE </TITLE>") == "WEB SERVICE"
    assert page_title(b"<title></title>") is None
