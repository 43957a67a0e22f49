"""``clearance identify``: formats, exit codes, errors that name file and line."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearance.cli.app import app
from clearance.cli.context import AppState
from clearance.errors import FormatError
from clearance.registry.registry import Registry

runner = CliRunner()
FIXTURES = Path(__file__).parent.parent / "fixtures" / "discovery"


@pytest.fixture
def seeded(monkeypatch: pytest.MonkeyPatch, seed: Registry) -> None:
    """Skip storing the seed in a fresh database for tests that are about output only."""
    monkeypatch.setattr(AppState, "registry", property(lambda _self: seed))


def test_json_document_and_exit_1() -> None:
    result = runner.invoke(
        app, ["identify", str(FIXTURES / "nmap_lan.xml"), "--site", "HQ", "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert doc["asset_count"] == 5
    assert doc["restricted_count"] == 3
    cam = next(a for a in doc["assets"] if a["ip"] == "192.0.2.2")
    assert set(cam) >= {
        "source", "ip", "mac", "hostname", "manufacturer", "brand", "model", "firmware",
        "serial", "site", "record", "restricted", "evidence",
    }  # fmt: skip
    assert cam["site"] == "HQ"
    assert cam["restricted"][0]["entity_id"] == "hikvision"
    assert cam["restricted"][0]["relation"] == "manufacturer"
    assert cam["restricted"][0]["listings"]
    assert {"kind", "value", "rule"} == set(cam["evidence"][0])


@pytest.mark.usefixtures("seeded")
def test_jsonl_inventory_keeps_record() -> None:
    result = runner.invoke(
        app, ["identify", str(FIXTURES / "inventory_fr.csv"), "--format", "jsonl"]
    )
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[0]["record"]["Fabricant"] == "Dahua"
    assert lines[1]["restricted"] == []


@pytest.mark.usefixtures("seeded")
def test_csv_output_and_several_files() -> None:
    result = runner.invoke(
        app,
        [
            "identify",
            str(FIXTURES / "arp_linux.txt"),
            str(FIXTURES / "dnsmasq.leases"),
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 7
    assert rows[0]["restricted"].startswith("Hangzhou Hikvision")
    assert rows[0]["mac"] == "44:19:b6:2a:10:01"


@pytest.mark.usefixtures("seeded")
def test_nothing_restricted_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "neigh.txt"
    path.write_text("192.0.2.1 dev eth0 lladdr b8:27:eb:01:02:03 REACHABLE\n", encoding="utf-8")
    result = runner.invoke(app, ["identify", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["restricted_count"] == 0


@pytest.mark.usefixtures("seeded")
def test_forced_input_format_and_unknown_format() -> None:
    result = runner.invoke(
        app,
        ["identify", str(FIXTURES / "ip_neigh.txt"), "--input-format", "neighbours", "-f", "json"],
    )
    assert result.exit_code == 1
    bad = runner.invoke(app, ["identify", str(FIXTURES / "ip_neigh.txt"), "--input-format", "x"])
    assert bad.exception is not None
    assert getattr(bad.exception, "exit_code", None) == 2


@pytest.mark.usefixtures("seeded")
def test_bad_input_raises_format_error_with_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.dat"
    junk.write_bytes(b"\x00\x01\x02binary\xff" * 100)
    result = runner.invoke(app, ["identify", str(junk), "--format", "json"])
    assert isinstance(result.exception, FormatError)
    assert result.exception.line == 1
    assert str(junk) in str(result.exception)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from clearance.cli.app import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_exit_2_names_file_and_line(tmp_path: Path) -> None:
    text = (FIXTURES / "nmap_lan.xml").read_text(encoding="utf-8")
    cut = tmp_path / "scan.xml"
    cut.write_text(text[: text.index("<host ") + 200], encoding="utf-8")
    proc = _run("identify", str(cut), "--format", "json")
    assert proc.returncode == 2, proc.stderr
    message = " ".join(proc.stderr.split())
    assert cut.name in message
    assert "line" in message
    assert "truncated" in message


@pytest.mark.usefixtures("seeded")
def test_no_recognisable_columns_names_file_and_line() -> None:
    result = runner.invoke(app, ["identify", str(FIXTURES / "no_columns.csv"), "-f", "json"])
    assert isinstance(result.exception, FormatError)
    assert result.exception.exit_code == 2
    assert str(result.exception).startswith(f"{FIXTURES / 'no_columns.csv'}, line 1:")
