"""masscan JSON, list and XML output, merged per host."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.discovery.sources.masscan import (
    read_masscan_json,
    read_masscan_list,
    read_masscan_xml,
)
from clearance.errors import FormatError
from clearance.model import Evidence


def test_json(fixture_path: Path) -> None:
    hosts = {o.ip: o for o in read_masscan_json(fixture_path / "masscan.json")}
    assert set(hosts) == {"192.0.2.2", "192.0.2.3", "192.0.2.9"}
    assert hosts["192.0.2.2"].evidence == [Evidence("http_server", "App-webs/")]
    assert len((hosts["192.0.2.2"].record or {})["ports"]) == 2
    dahua = hosts["192.0.2.3"].evidence
    assert (
        Evidence("www_authenticate", 'Digest realm="Login to 7J0D5B2PAZ9C1A3", qop="auth"') in dahua
    )
    assert hosts["192.0.2.9"].evidence == [
        Evidence("banner", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3")
    ]


def test_json_lines_and_truncation(tmp_path: Path) -> None:
    path = tmp_path / "scan.ndjson"
    path.write_text(
        '{"ip": "192.0.2.1", "ports": [{"port": 80, "proto": "tcp"}]}\n'
        '{"ip": "192.0.2.2", "ports": [{"port": 80, "proto": "tcp", "serv',
        encoding="utf-8",
    )
    reader = read_masscan_json(path)
    with pytest.raises(FormatError) as err:
        list(reader)
    assert err.value.line == 2


def test_list(fixture_path: Path) -> None:
    hosts = {o.ip: o for o in read_masscan_list(fixture_path / "masscan.list")}
    assert Evidence("http_server", "App-webs/") in hosts["192.0.2.2"].evidence
    assert Evidence("http_title", "Index") in hosts["192.0.2.2"].evidence
    assert Evidence("rtsp_server", "Dahua Rtsp Server") in hosts["192.0.2.3"].evidence


def test_list_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "scan.txt"
    path.write_text("#masscan\nopen tcp 80 192.0.2.1 1700000000\nhello world\n", encoding="utf-8")
    with pytest.raises(FormatError) as err:
        list(read_masscan_list(path))
    assert err.value.line == 3


def test_xml(fixture_path: Path) -> None:
    hosts = {o.ip: o for o in read_masscan_xml(fixture_path / "masscan.xml")}
    assert set(hosts) == {"192.0.2.2", "192.0.2.9"}
    assert hosts["192.0.2.2"].source == "masscan"
    assert Evidence("http_server", "DNVRS-Webs") in hosts["192.0.2.2"].evidence
