"""``clearance serve --demo`` as a process on loopback: it prints the address and one account
per role as ``ROLE: USERNAME / PASSWORD``, and each account signs in to the overview."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.network
ACCOUNT = re.compile(r"^(ADMIN|EDITOR|REVIEWER|VIEWER): (\S+) / (\S+)$")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_demo_prints_one_account_per_role_that_signs_in(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CLEARANCE_DATA_DIR": str(tmp_path / "data"),
        "CLEARANCE_CACHE_DIR": str(tmp_path / "cache"),
        "TMPDIR": str(tmp_path),
    }
    port = _free_port()
    db = tmp_path / "demo.sqlite"
    command = "from clearance.cli.app import main; main()"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            command,
            "serve",
            "--demo",
            "--port",
            str(port),
            "--db",
            f"sqlite:///{db}",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: list[str] = []
    done = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if sum(bool(ACCOUNT.match(x)) for x in lines) == 4:
                done.set()
        done.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert done.wait(300), "no accounts printed"
        assert lines[0] == f"Clearance demo: http://127.0.0.1:{port}/"
        accounts = {m.group(1): (m.group(2), m.group(3)) for m in map(ACCOUNT.match, lines) if m}
        assert set(accounts) == {"ADMIN", "EDITOR", "REVIEWER", "VIEWER"}
        assert db.exists()  # the store is where --db says
        url = f"http://127.0.0.1:{port}"
        for username, password in accounts.values():
            with httpx.Client(base_url=url, timeout=30) as client:
                for _ in range(300):
                    try:
                        client.get("/healthz")
                        break
                    except httpx.TransportError:
                        threading.Event().wait(0.1)
                signed = client.post("/sign-in", data={"username": username, "password": password})
                assert signed.status_code == 303, username
                page = client.get("/overview")
                assert page.status_code == 200
                assert "restricted devices need work" in page.text
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
        reader.join(30)
        assert proc.stdout is not None
        proc.stdout.close()


def test_serve_demo_refuses_an_existing_store(tmp_path: Path) -> None:
    db = tmp_path / "taken.sqlite"
    db.write_bytes(b"")
    command = "from clearance.cli.app import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", command, "serve", "--demo", "--db", f"sqlite:///{db}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "exists already" in done.stderr
