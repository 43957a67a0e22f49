"""``clearance serve --workers 2`` as a process on loopback, and ``yente-cli screen`` (from
the unchanged yente-client package) turning a supplier CSV into its review CSV."""

from __future__ import annotations

import csv
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

BIN = Path(sys.executable).parent
MAPPING = ("-i", "vendor=name", "-i", "country=country")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the module (it starts in seconds: a store and an index of its own)."""
    home = tmp_path_factory.mktemp("served")
    env = {
        **os.environ,
        "CLEARANCE_DATA_DIR": str(home / "data"),
        "CLEARANCE_CACHE_DIR": str(home / "cache"),
        "CLEARANCE_DB": f"sqlite:///{home / 'clearance.sqlite'}",
    }
    port = _free_port()
    command = "from clearance.cli.app import main; main()"
    options = ("--port", str(port), "--workers", "2", "--open-matching")
    proc = subprocess.Popen(
        [sys.executable, "-c", command, "serve", *options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            assert proc.poll() is None, "clearance serve ended early"
            try:
                if httpx.get(f"{url}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0


def test_two_workers_answer_and_stop_on_sigterm(served: str) -> None:
    assert httpx.get(f"{served}/healthz").json() == {"status": "ok"}
    body = {"queries": {"hik": {"schema": "Company", "properties": {"name": ["Hikvision"]}}}}
    for _ in range(4):  # one connection each, taken by either worker
        reply = httpx.post(f"{served}/match/default", json=body).json()
        assert reply["responses"]["hik"]["results"][0]["id"] == "clearance-hikvision"


def test_yente_cli_screen_writes_the_review_csv(served: str, tmp_path: Path) -> None:
    suppliers = tmp_path / "suppliers.csv"
    suppliers.write_text(
        "vendor,country\n海康威视,cn\nAxis Communications AB,se\n", encoding="utf-8"
    )
    out = tmp_path / "review.csv"
    done = subprocess.run(
        [BIN / "yente-cli", "screen", suppliers, out, "-s", "Company", *MAPPING],
        env={**os.environ, "YENTE_BASE_URL": served},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    matched = {r["vendor"]: r for r in rows if r["match"] == "true"}
    assert matched["海康威视"]["match_id"] == "clearance-hikvision"
    assert "Axis Communications AB" not in matched
