"""nmap XML: real loopback scan output and a LAN scan in nmap's format."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.discovery.identify import DeviceIdentifier
from clearance.discovery.sources import read_observations
from clearance.discovery.sources.nmap_xml import read_nmap_xml
from clearance.errors import FormatError
from clearance.model import Evidence
from clearance.registry.registry import Registry


def test_real_loopback_scan(fixture_path: Path, small_registry: Registry) -> None:
    [obs] = list(read_nmap_xml(fixture_path / "nmap_loopback.xml"))
    assert obs.ip == "127.0.0.1"
    assert obs.hostname == "localhost"
    assert Evidence("http_server", "App-webs/") in obs.evidence
    assert Evidence("http_server", "DNVRS-Webs") in obs.evidence
    assert Evidence("rtsp_server", "Dahua Rtsp Server") in obs.evidence
    assert any(e.kind == "tls_subject" and "O=HIKVISION" in e.value for e in obs.evidence)
    assert {p["port"] for p in (obs.record or {})["ports"]} == {"18080", "18081", "18443", "18554"}
    asset = DeviceIdentifier(small_registry).identify(obs)
    assert {a.entity_id for a in asset.restricted} == {"hikvision", "dahua"}


def test_lan_scan_hosts(fixture_path: Path) -> None:
    hosts = {o.ip: o for o in read_nmap_xml(fixture_path / "nmap_lan.xml", site="HQ")}
    assert set(hosts) == {"192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5", "192.0.2.6"}
    cam = hosts["192.0.2.2"]
    assert cam.mac == "44:19:b6:2a:10:01"
    assert cam.hostname == "cam-lobby.example.org"
    assert cam.site == "HQ"
    assert cam.facts["device_type"] == "webcam"
    assert Evidence("service", "Hikvision IP camera httpd") in cam.evidence
    assert Evidence("cpe", "cpe:/h:hikvision:ds-2cd2143g0-i") in cam.evidence
    dahua = hosts["192.0.2.3"]
    assert Evidence("http_title", "WEB SERVICE") in dahua.evidence
    assert Evidence("rtsp_realm", "Login to 7J0D5B2PAZ9C1A3") in dahua.evidence
    switch = hosts["192.0.2.5"]
    sysdescr = next(e.value for e in switch.evidence if e.kind == "snmp_sysdescr")
    assert sysdescr.startswith("Huawei Versatile Routing Platform Software")
    assert "System uptime" not in sysdescr


def test_lan_scan_identified(fixture_path: Path, seed: Registry) -> None:
    identifier = DeviceIdentifier(seed)
    assets = {
        a.ip: a for a in identifier.identify_all(read_observations(fixture_path / "nmap_lan.xml"))
    }
    cam = assets["192.0.2.2"].restricted
    assert (cam[0].entity_id, cam[0].relation) == ("hikvision", "manufacturer")
    # The seed also leads from Hikvision to its listed parent (CETC): a subsidiary path.
    assert all(a.relation in {"manufacturer", "subsidiary"} for a in cam)
    assert assets["192.0.2.2"].model == "ds-2cd2143g0-i"
    assert assets["192.0.2.3"].restricted[0].entity_id == "dahua"
    assert not assets["192.0.2.4"].restricted  # Shanghai Dahua Scale Factory block
    huawei = assets["192.0.2.5"]
    assert huawei.restricted[0].entity_id == "huawei"
    assert all(a.entity_id.startswith("huawei") for a in huawei.restricted)
    assert huawei.model == "S5720-28X-SI-AC"  # the full model line, not the series
    assert huawei.firmware == "5.170"
    assert not assets["192.0.2.6"].restricted


def test_truncated_xml_names_file_and_line(fixture_path: Path, tmp_path: Path) -> None:
    text = (fixture_path / "nmap_lan.xml").read_text(encoding="utf-8")
    cut = tmp_path / "cut.xml"
    cut.write_text(text[: text.index("<host", text.index("192.0.2.4") - 400)], encoding="utf-8")
    with pytest.raises(FormatError) as err:
        list(read_nmap_xml(cut))
    assert err.value.path == str(cut)
    assert err.value.line is not None
    assert err.value.line > 30
    assert "truncated" in str(err.value)


def test_not_nmap(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text("<?xml version='1.0'?><svg></svg>", encoding="utf-8")
    with pytest.raises(FormatError, match="not nmap"):
        list(read_nmap_xml(path))
