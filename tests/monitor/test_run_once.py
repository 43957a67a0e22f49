"""``clearance monitor run-once``: a list update served from loopback adds a listing, the
recheck opens a finding for a stored supplier, and its owner gets it by e-mail, once;
air-gapped, nothing is downloaded."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearance.cli.app import app
from clearance.errors import ClearanceError
from clearance.monitor.config import MonitorConfig
from clearance.monitor.run import run_once
from clearance.settings import Settings
from clearance.store import open_store
from clearance.store.findings import list_findings

from .conftest import Mailbox

pytestmark = pytest.mark.network

ADDED = Path(__file__).parents[1] / "fixtures" / "monitor" / "consolidated-added.csv"
SUPPLIER = "Northwind Lantern Optics Co., Ltd."
runner = CliRunner()


@pytest.fixture
def lists_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A list server on loopback serving the CSL CSV that adds Northwind Lantern."""
    paths: list[str] = []
    body = ADDED.read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            paths.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/consolidated.csv"
    monkeypatch.setenv("CLEARANCE_LIST_URL_CSL_CSV", url)
    monkeypatch.setenv("CLEARANCE_UPDATE_LISTS", "csl-csv")
    yield paths
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def _cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout


def _body(mail: Message) -> str:
    payload = mail.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def test_an_update_that_lists_a_supplier_notifies_its_owner_once(
    lists_server: list[str],
    mailbox: tuple[Mailbox, int],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    box, port = mailbox
    monkeypatch.setenv("CLEARANCE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CLEARANCE_SMTP_PORT", str(port))
    monkeypatch.setenv("CLEARANCE_SMTP_SECURITY", "none")
    monkeypatch.setenv("CLEARANCE_SMTP_FROM", "clearance@example.org")
    owners = tmp_path / "owners.yml"
    owners.write_text("default: [security@example.org]\n", encoding="utf-8")
    monkeypatch.setenv("CLEARANCE_OWNERS_FILE", str(owners))
    code, out = _cli("screen", "--name", SUPPLIER, "--save", "--format", "json")
    assert code == 0, out
    assert json.loads(out)[0]["status"] == "clear"

    code, out = _cli("monitor", "run-once", "--format", "json")
    assert code == 0, out
    report = json.loads(out)
    assert lists_server == ["/consolidated.csv"]
    assert [u["status"] for u in report["updates"]] == ["imported"]
    assert report["recheck"]["became_restricted"] == 1
    engine = open_store(Settings.from_env().db_url)
    (finding,) = list_findings(engine)
    engine.dispose()
    assert finding.kind == "supplier"
    assert "Northwind Lantern" in finding.entity
    assert report["notified"]["notices"] == {"email": 1}
    ((to, mail),) = box.mails
    assert to == ["security@example.org"]
    assert "1 finding needs your attention" in str(mail["Subject"])
    assert "1 constat demande votre attention" in str(mail["Subject"])
    assert f"Finding {finding.id} (new)" in _body(mail)

    code, out = _cli("monitor", "run-once", "--format", "json")
    assert code == 0, out
    again = json.loads(out)
    assert [u["status"] for u in again["updates"]] == ["imported"]  # no ETag: fetched again
    assert again["notified"]["notices"] == {"email": 0}
    assert len(box.mails) == 1


def test_air_gapped_never_downloads(lists_server: list[str], tmp_path: Path) -> None:
    code, out = _cli("monitor", "run-once", "--air-gapped", "--format", "json")
    assert code == 0, out
    report = json.loads(out)
    assert report["skipped_update"] == "air-gapped"
    assert report["updates"] == []
    assert lists_server == []
    settings = Settings.from_env()
    engine = open_store(settings.db_url)
    try:
        config = MonitorConfig(air_gapped=True, update_every=3600.0)
        assert run_once(engine, settings, config).skipped_update == "air-gapped"
    finally:
        engine.dispose()
    assert lists_server == []


def test_a_digest_that_cannot_be_sent_exits_3(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from .conftest import free_port

    monkeypatch.setenv("CLEARANCE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CLEARANCE_SMTP_PORT", str(free_port()))  # nobody listens
    monkeypatch.setenv("CLEARANCE_SMTP_SECURITY", "none")
    monkeypatch.setenv("CLEARANCE_SMTP_FROM", "clearance@example.org")
    code, out = _cli("screen", "--name", "Hangzhou Hikvision Digital Technology", "--save")
    assert code == 1, out
    monkeypatch.setenv("CLEARANCE_OWNERS_FILE", str(tmp_path / "none.yml"))
    code, out = _cli("monitor", "run-once", "--no-update", "--format", "json")
    assert code == 0, out  # nobody has an address: nothing to send
    assert json.loads(out)["notified"]["unaddressed"] == ["default"]
    owners = tmp_path / "owners.yml"
    owners.write_text("default: security@example.org\n", encoding="utf-8")
    monkeypatch.setenv("CLEARANCE_OWNERS_FILE", str(owners))
    result = runner.invoke(app, ["monitor", "run-once", "--no-update"])
    assert isinstance(result.exception, ClearanceError)
    assert result.exception.exit_code == 3
    assert "cannot send e-mail through 127.0.0.1" in str(result.exception)
