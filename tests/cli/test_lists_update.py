"""``clearance lists update`` against a real HTTP server on loopback."""

from __future__ import annotations

import dataclasses
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from clearance.cli import app as cli_app
from clearance.settings import Settings
from tests.cli.test_lists_import import CSL, FIXTURES, active_version, invoke

pytestmark = pytest.mark.network


class _Handler(BaseHTTPRequestHandler):
    mode = "ok"
    body = CSL.read_bytes()
    requests: list[dict[str, str]] = []  # noqa: RUF012 - shared with the test on purpose
    bodies: dict[str, bytes] = {}  # noqa: RUF012 - other paths' bodies, set by a test

    def do_GET(self) -> None:
        type(self).requests.append(dict(self.headers))
        if self.path in self.bodies:
            body = self.bodies[self.path]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.mode == "drip":  # a byte at a time, never fast enough to finish
            self.send_response(200)
            self.send_header("Content-Length", "200")
            self.end_headers()
            try:
                for byte in self.body[:200]:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.25)
            except OSError:
                return
            return
        if self.mode == "error":
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("ETag", '"v1"')
        self.send_header("Content-Type", "text/csv")
        if self.mode == "truncated":
            self.send_header("Content-Length", str(len(self.body) + 5000))
            self.end_headers()
            self.wfile.write(self.body[: len(self.body) // 2])
            self.close_connection = True
            return
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[_Handler]]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    _Handler.mode = "ok"
    _Handler.requests = []
    _Handler.bodies = {}
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    port = httpd.server_address[1]
    monkeypatch.setenv("CLEARANCE_LIST_URL_CSL_CSV", f"http://127.0.0.1:{port}/consolidated.csv")
    monkeypatch.setenv("CLEARANCE_LIST_URL_CSL_JSON", f"http://127.0.0.1:{port}/consolidated.json")
    yield _Handler
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_update_swaps_in_then_skips_an_unchanged_list(server: type[_Handler]) -> None:
    before = active_version()
    code, out, _ = invoke("lists", "update", "csl-csv", "--format", "json")
    assert code == 0, out
    (row,) = json.loads(out)
    assert row["status"] == "imported"
    source = row["source"]
    assert source["url"].startswith("http://127.0.0.1:")
    assert len(source["sha256"]) == 64
    assert source["retrieved_at"]
    assert source["etag"] == '"v1"'
    after = active_version()
    assert after != before
    assert after == row["version"]
    code, out, _ = invoke("lists", "update", "csl-csv", "--format", "json")
    assert code == 0, out
    assert json.loads(out)[0]["status"] == "not modified"
    assert server.requests[-1]["If-None-Match"] == '"v1"'
    assert active_version() == after


@pytest.mark.parametrize("mode", ["error", "truncated"])
def test_failed_download_keeps_the_old_version(server: type[_Handler], mode: str) -> None:
    before = active_version()
    server.mode = mode
    code, message, _ = invoke("lists", "update", "csl-csv", "--format", "json")
    assert code == 3, message
    assert ("HTTP 500" if mode == "error" else "truncated") in message or "offline" in message
    assert active_version() == before


def test_offline_update_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("CLEARANCE_LIST_URL_CSL_CSV", f"http://127.0.0.1:{port}/c.csv")
    before = active_version()
    code, message, _ = invoke("lists", "update", "csl-csv")
    assert code == 3
    assert "offline or unreachable" in message
    assert "Nothing was changed" in message
    assert active_version() == before


def test_list_without_address_is_a_usage_error(tmp_path: Path) -> None:
    code, message, _ = invoke("lists", "update", "ofac-csv")
    assert code == 2
    assert "CLEARANCE_LIST_URL_OFAC_CSV" in message


def test_a_malformed_second_list_changes_nothing(server: type[_Handler]) -> None:
    whole = (FIXTURES / "csl" / "consolidated.json").read_bytes()
    server.bodies["/consolidated.json"] = whole[: len(whole) // 2]  # cut mid-record
    before = active_version()
    code, message, _ = invoke("lists", "update", "csl-csv", "csl-json", "--format", "json")
    assert code == 2, message
    assert "csl-json list from http://127.0.0.1:" in message
    assert "/consolidated.json" in message
    assert ".download" not in message  # not the temporary file
    assert active_version() == before  # the first list was not swapped in either
    code, out, _ = invoke("lists", "history", "--format", "json")
    assert all("us-csl" not in json.dumps(v["sources"]) for v in json.loads(out))


def test_two_good_lists_are_swapped_in_together(server: type[_Handler]) -> None:
    server.bodies["/consolidated.json"] = (FIXTURES / "csl" / "consolidated.json").read_bytes()
    code, out, _ = invoke("lists", "update", "csl-csv", "csl-json", "--format", "json")
    assert code == 0, out
    rows = json.loads(out)
    assert [(r["format"], r["status"]) for r in rows] == [
        ("csl-csv", "imported"),
        ("csl-json", "imported"),
    ]
    assert rows[1]["previous"] == rows[0]["version"]
    assert active_version() == rows[1]["version"]


def test_a_dripping_server_is_given_up_on(
    server: type[_Handler], monkeypatch: pytest.MonkeyPatch
) -> None:
    from_env = Settings.from_env

    def short(*args: object, **kwargs: object) -> Settings:
        return dataclasses.replace(from_env(*args, **kwargs), download_timeout=1.0)  # type: ignore[arg-type]

    monkeypatch.setattr(cli_app.Settings, "from_env", short)
    server.mode = "drip"  # 200 bytes at 4 a second: 50 s, far past the 1 s limit
    before = active_version()
    code, message, _ = invoke("lists", "update", "csl-csv", "--format", "json")
    assert code == 3, message
    assert "not complete after 1 s" in message
    assert active_version() == before
