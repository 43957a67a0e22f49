"""Issue 18's sensor acceptance: two sensors scan the same emulated site and upload to a real
``clearance serve`` process (SQLite store) on loopback, while the server is stopped and
started again in between.

1. The server is up: both sensors scan at once with ``--send``; each run is stored.
2. The server is stopped: both scan at once; each run waits in its sensor's spool (exit code
   of the scan itself, a warning naming the spool file).
3. The server is started again: both ``sensor flush`` at once; each run is stored.
4. One answer was lost (the spool file is put back after it was sent): flushing it again
   stores nothing.

At the end every device is stored once, every run once (one run per idempotency key).

Devices are emulated on loopback (a /29 of 127.96.0.0/16, this process's own) on the demo's
unprivileged ports; the sensors and the server are separate processes.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from clearance.audit.demo import DEMO_PORTS
from clearance.auth.api_tokens import create_token
from clearance.discovery.emulator.fleet import DeviceSpec, generate_fleet
from clearance.discovery.emulator.servers import Emulator, EmulatorThread
from clearance.store import open_store
from clearance.store.schema import assets, run_uploads, runs, sightings

from ..loopback import process_network

pytestmark = pytest.mark.network

NETWORK = str(process_network(96, 29))
MAIN = "from clearance.cli.app import main; main()"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def fleet() -> Iterator[list[DeviceSpec]]:
    devices = generate_fleet(4, NETWORK, 8)
    thread = EmulatorThread(Emulator(devices, DEMO_PORTS))
    thread.start()
    try:
        yield devices
    finally:
        thread.stop()


class Server:
    """``clearance serve`` on a loopback port, stopped and started again at will."""

    def __init__(self, home: Path) -> None:
        self.db = f"sqlite:///{home / 'server.sqlite'}"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "CLEARANCE_DATA_DIR": str(home / "server-data"),
            "CLEARANCE_CACHE_DIR": str(home / "server-cache"),
            "CLEARANCE_DB": self.db,
        }
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", MAIN, "serve", "--port", str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(1200):
            assert self.proc.poll() is None, "clearance serve ended early"
            try:
                if httpx.get(f"{self.url}/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError("clearance serve did not answer")

    def stop(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        # one worker: uvicorn shuts down, then raises the SIGTERM it caught again
        assert self.proc.wait(timeout=60) in (0, -signal.SIGTERM)
        self.proc = None

    def count(self, table: Any) -> int:
        engine = open_store(self.db)
        try:
            with engine.connect() as conn:
                return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        finally:
            engine.dispose()

    def upload_keys(self) -> list[str]:
        engine = open_store(self.db)
        try:
            with engine.connect() as conn:
                return list(conn.execute(select(run_uploads.c.idempotency_key)).scalars())
        finally:
            engine.dispose()


class Sensor:
    """A sensor machine: its own data folder (so its own spool) and local store."""

    def __init__(self, home: Path, token: str) -> None:
        self.spool = home / "data" / "spool"
        self.env = {
            **os.environ,
            "CLEARANCE_DATA_DIR": str(home / "data"),
            "CLEARANCE_CACHE_DIR": str(home / "cache"),
            "CLEARANCE_DB": f"sqlite:///{home / 'local.sqlite'}",
            "CLEARANCE_TOKEN": token,
            "CLEARANCE_LANG": "en",
        }

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-c", MAIN, *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def waiting(self) -> list[Path]:
        return sorted(self.spool.glob("*.json")) if self.spool.is_dir() else []


def _finish(procs: list[subprocess.Popen[str]]) -> list[tuple[int, str]]:
    done = []
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        done.append((proc.returncode, err))
    return done


def test_two_sensors_store_every_device_once_across_a_restart(
    tmp_path: Path, fleet: list[DeviceSpec]
) -> None:
    server = Server(tmp_path)
    engine = open_store(server.db)
    _, secret = create_token(engine, name="HQ sensors", role="sensor", user="admin", site="HQ")
    engine.dispose()
    sensors = [Sensor(tmp_path / name, secret) for name in ("a", "b")]
    targets = [d.ip for d in fleet]
    scan = ["scan", *targets, "--ports", DEMO_PORTS.scan_spec(), "--timeout", "2"]
    scan += ["--retries", "0", "--format", "json", "--send", server.url]

    server.start()
    try:
        for code, err in _finish([s.start(*scan) for s in sensors]):
            assert code in (0, 1), err
            assert "stored as run" in err
        assert server.count(runs) == 2
    finally:
        server.stop()

    for (code, err), sensor in zip(
        _finish([s.start(*scan) for s in sensors]), sensors, strict=True
    ):
        assert code in (0, 1), err  # the scan's own exit code: sending later is not a failure
        (waiting,) = sensor.waiting()
        assert "could not be sent" in err
        assert waiting.name in " ".join(err.split()).replace(" ", "")  # names the file
    lost_answer = sensors[0].waiting()[0]
    kept_copy = tmp_path / lost_answer.name
    shutil.copy(lost_answer, kept_copy)

    server.start()
    try:
        flushed = _finish([s.start("sensor", "flush", "--format", "json") for s in sensors])
        for code, err in flushed:
            assert code == 0, err
        assert [s.waiting() for s in sensors] == [[], []]
        assert server.count(runs) == 4

        shutil.copy(kept_copy, lost_answer)  # sent, but as if its answer had been lost
        ((code, err),) = _finish([sensors[0].start("sensor", "flush")])
        assert code == 0, err
        assert sensors[0].waiting() == []
    finally:
        server.stop()

    assert server.count(runs) == 4  # each run once
    assert len(set(server.upload_keys())) == 4
    assert server.count(assets) == len(fleet)  # each device once
    assert server.count(sightings) == 4 * len(fleet)
