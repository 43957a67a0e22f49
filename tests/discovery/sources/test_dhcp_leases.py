"""DHCP leases: ISC dhcpd, dnsmasq and Kea."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.discovery.identify import DeviceIdentifier
from clearance.discovery.sources.dhcp_leases import (
    read_dnsmasq_leases,
    read_isc_leases,
    read_kea_leases,
)
from clearance.errors import FormatError
from clearance.model import Evidence
from clearance.registry.registry import Registry


def test_isc(fixture_path: Path, small_registry: Registry) -> None:
    leases = list(read_isc_leases(fixture_path / "dhcpd.leases", site="HQ"))
    assert [o.ip for o in leases] == ["192.0.2.20", "192.0.2.21", "192.0.2.22"]
    cam, phone, build = leases
    assert cam.mac == "44:19:b6:2a:10:20"
    assert cam.hostname == "DS-2CD2143G0-I"
    assert phone.evidence == [Evidence("dhcp_vendor_class", "HUAWEI:android:ELS-NX9")]
    assert phone.hostname == "HUAWEI_P40_Pro-8a1f"
    identifier = DeviceIdentifier(small_registry)
    assert identifier.identify(cam).restricted[0].entity_id == "hikvision"
    huawei = identifier.identify(phone)
    assert [a.entity_id for a in huawei.restricted] == ["huawei"]
    assert not identifier.identify(build).restricted


def test_isc_truncated(fixture_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "dhcpd.leases"
    text = (fixture_path / "dhcpd.leases").read_text(encoding="utf-8")
    path.write_text(text[: text.rindex("}")], encoding="utf-8")
    with pytest.raises(FormatError) as err:
        list(read_isc_leases(path))
    assert err.value.line == 32  # the lease that is not closed
    assert "not closed" in str(err.value)


def test_dnsmasq(fixture_path: Path) -> None:
    leases = list(read_dnsmasq_leases(fixture_path / "dnsmasq.leases"))
    assert [o.ip for o in leases] == ["192.0.2.20", "192.0.2.23", "192.0.2.22", "2001:db8::20"]
    assert leases[1].hostname is None
    assert leases[1].mac == "3c:ef:8c:55:20:02"
    assert leases[3].mac is None


def test_dnsmasq_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "dnsmasq.leases"
    path.write_text("1795890001 44:19:b6:2a:10:20 192.0.2.20 cam *\ngarbage\n", encoding="utf-8")
    with pytest.raises(FormatError) as err:
        list(read_dnsmasq_leases(path))
    assert err.value.line == 2


def test_kea(fixture_path: Path) -> None:
    leases = list(read_kea_leases(fixture_path / "kea-leases4.csv"))
    assert [(o.ip, o.mac, o.hostname) for o in leases] == [
        ("192.0.2.30", "00:e0:fc:12:34:56", "ar2200.example.org"),
        ("192.0.2.31", "f0:1b:24:aa:bb:cc", None),
        ("192.0.2.32", "b8:27:eb:01:02:03", "build.example.org"),
    ]
    assert (leases[0].record or {})["valid_lifetime"] == "4000"
