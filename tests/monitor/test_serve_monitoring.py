"""``clearance serve`` with monitoring, as a process on loopback: the schedule runs in the
parent only (two workers, one digest), and an air-gapped server schedules no update and
says so on /readyz."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from clearance.cli.app import app
from clearance.monitor.leases import job_status
from clearance.settings import Settings
from clearance.store.db import open_store

from .conftest import SECRET, Hooks, free_port

pytestmark = pytest.mark.network


@contextmanager
def _serving(env: dict[str, str], *options: str) -> Iterator[tuple[str, list[bytes], int]]:
    """A server on loopback; once it stopped, the list holds what it wrote on stderr."""
    port = free_port()
    command = "from clearance.cli.app import main; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", command, "serve", "--port", str(port), *options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    said: list[bytes] = []
    try:
        for _ in range(1200):
            assert proc.poll() is None, "clearance serve ended early"
            try:
                if httpx.get(f"{url}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        yield url, said, proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)
        said.append(proc.communicate(timeout=60)[1])


def test_two_workers_send_one_digest(hooks: tuple[Hooks, str], tmp_path: Path) -> None:
    got, hook_url = hooks
    env = {
        **os.environ,
        "CLEARANCE_WEBHOOK_URL": hook_url,
        "CLEARANCE_WEBHOOK_SECRET": SECRET,
        "CLEARANCE_NOTIFY_EVERY": "1h",
    }
    screened = CliRunner().invoke(
        app, ["screen", "--name", "Hangzhou Hikvision Digital Technology", "--save"]
    )
    assert screened.exit_code == 1, screened.stdout
    with _serving(env, "--workers", "2") as (url, _said, pid):
        for _ in range(600):
            if got.received:
                break
            time.sleep(0.1)
        ready = httpx.get(f"{url}/readyz").json()
        assert ready["monitoring"]["channels"] == ["webhook"]
        assert ready["monitoring"]["notify_every_seconds"] == 3600
    engine = open_store(Settings.from_env().db_url)
    try:
        holder = job_status(engine)["notify"]["holder"]
    finally:
        engine.dispose()
    assert holder == f"{socket.gethostname()}:{pid}"  # the parent, not a worker
    (payload,) = got.payloads()
    assert payload["owner"] == "default"
    assert [n["event"] for n in payload["notices"]] == ["new"]


def test_air_gapped_schedules_no_update_and_says_so(tmp_path: Path) -> None:
    env = {**os.environ, "CLEARANCE_UPDATE_EVERY": "24h", "CLEARANCE_AIR_GAPPED": "1"}
    with _serving(env) as (url, said, _pid):
        ready = httpx.get(f"{url}/readyz").json()
        assert ready["monitoring"]["updates"] == {"scheduled": False, "reason": "air-gapped"}
    assert b"scheduled list updates are off" in said[0]
